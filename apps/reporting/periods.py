"""Reporting periods and their data windows (domain.md §5, "from the 15th to the 14th").

Used by ``apps.reports``:

* ``PeriodKind`` — ``month`` / ``quarter`` / ``half`` (first six months) / ``nine_months`` / ``year``.
* ``ReportingPeriod`` — model: ``kind``, ``year``, ``number`` (month 1–12, quarter 1–4, 1 for the
  other kinds), ``start`` and ``end`` (the data window, both inclusive), ``label`` (Vietnamese:
  "Tháng 5 năm 2026", "Quý II năm 2026", "6 tháng đầu năm 2026", "9 tháng năm 2026", "Năm 2026")
  and ``deadline``.
* ``period_window(kind, year, number, start_day=None) -> (start, end)`` — pure. With start day
  ``d`` (default 15) the window runs from day ``d`` of the month BEFORE the period's first month to
  day ``d - 1`` of its last month: Quý II 2026 = 15/03/2026 – 14/06/2026, Năm 2026 = 15/12/2025 –
  14/12/2026. With ``d = 1`` the windows are calendar months (01/04 – 30/06).
* ``period_label(kind, year, number) -> str`` — pure.
* ``period_deadline(end, deadline_days=None) -> date`` — ``end`` + N days (default 2: the 16th).
* ``calendar() -> (start_day, deadline_days)`` — from the ``ReportingSettings`` row, else the settings
  ``PCMT_PERIOD_START_DAY`` / ``PCMT_PERIOD_DEADLINE_DAYS``, else 15 / 2.
* ``periods_generate(year) -> list[ReportingPeriod]`` — every period of a year (12 months, 4
  quarters, half, nine months, year), idempotent; a period nobody has submitted for yet is
  re-aligned with the current calendar, one with submissions is left as it is.
* ``period_get(kind, year, number) -> ReportingPeriod`` — get or create one period.
* ``period_previous(period)`` — the period just before (same kind: previous month/quarter; previous
  year for half, nine months and year) and ``period_same_last_year(period)``; both created on demand.
* ``latest_ended(kind=QUARTER, on=None)`` — the last period of that kind whose window has ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.core.prepared import prepared

from .models import PeriodKind, ReportingPeriod, ReportingSettings, default_deadline_days, default_start_day

__all__ = [
    "PeriodKind",
    "ReportingPeriod",
    "ReportingSettings",
    "calendar",
    "latest_ended",
    "period_deadline",
    "period_get",
    "period_label",
    "period_previous",
    "period_same_last_year",
    "period_window",
    "periods_generate",
    "periods_of_year",
    "recent_periods",
]

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
#: kind → (numbers allowed)
NUMBERS = {
    PeriodKind.MONTH: range(1, 13),
    PeriodKind.QUARTER: range(1, 5),
    PeriodKind.HALF: range(1, 2),
    PeriodKind.NINE_MONTHS: range(1, 2),
    PeriodKind.YEAR: range(1, 2),
}


def _check(kind: str, year: int, number: int) -> None:
    if kind not in NUMBERS:
        raise ValueError(f"Loại kỳ không hợp lệ: {kind!r}")
    if number not in NUMBERS[kind]:
        raise ValueError(f"Số thứ tự {number} không hợp lệ cho kỳ {kind}")
    if not 1900 <= year <= 2200:
        raise ValueError(f"Năm không hợp lệ: {year}")


def months_of(kind: str, number: int) -> tuple[int, int]:
    """(first month, last month) of the period in its calendar year."""
    if kind == PeriodKind.MONTH:
        return number, number
    if kind == PeriodKind.QUARTER:
        return 3 * number - 2, 3 * number
    if kind == PeriodKind.HALF:
        return 1, 6
    if kind == PeriodKind.NINE_MONTHS:
        return 1, 9
    return 1, 12


def _window_start(year: int, month: int, start_day: int) -> dt.date:
    """First day of the data window of calendar month (year, month); month may be 13."""
    if start_day == 1:
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return dt.date(year, month, 1)
    month -= 1  # the window begins in the month before
    if month == 0:
        year, month = year - 1, 12
    return dt.date(year, month, start_day)


def period_window(kind: str, year: int, number: int = 1, start_day: int | None = None) -> tuple[dt.date, dt.date]:
    """(start, end) of the period's data window, both inclusive (see the module docstring)."""
    _check(kind, year, number)
    start_day = calendar()[0] if start_day is None else int(start_day)
    if not 1 <= start_day <= 28:
        raise ValueError("Ngày bắt đầu kỳ số liệu phải từ 1 đến 28.")
    first, last = months_of(kind, number)
    start = _window_start(year, first, start_day)
    end = _window_start(year, last + 1, start_day) - dt.timedelta(days=1)
    return start, end


def period_label(kind: str, year: int, number: int = 1) -> str:
    _check(kind, year, number)
    if kind == PeriodKind.MONTH:
        return f"Tháng {number} năm {year}"
    if kind == PeriodKind.QUARTER:
        return f"Quý {ROMAN[number]} năm {year}"
    if kind == PeriodKind.HALF:
        return f"6 tháng đầu năm {year}"
    if kind == PeriodKind.NINE_MONTHS:
        return f"9 tháng năm {year}"
    return f"Năm {year}"


def calendar() -> tuple[int, int]:
    """(start day, deadline days) in force: the settings row, else the Django settings, else 15 / 2."""
    row = ReportingSettings.objects.filter(pk=1).values_list("start_day", "deadline_days").first()
    if row:
        return int(row[0]), int(row[1])
    return default_start_day(), default_deadline_days()


def period_deadline(end: dt.date, deadline_days: int | None = None) -> dt.date:
    days = calendar()[1] if deadline_days is None else deadline_days
    return end + dt.timedelta(days=days)


def _fields(kind: str, year: int, number: int, cal: tuple[int, int]) -> dict:
    start, end = period_window(kind, year, number, cal[0])
    return {
        "start": start,
        "end": end,
        "label": period_label(kind, year, number),
        "deadline": period_deadline(end, cal[1]),
    }


@prepared
def _period(*, kind: str, year: int, number: int):
    return ReportingPeriod.objects.filter(kind=kind, year=year, number=number).order_by("pk")[:1]


@prepared
def _periods_between(*, kind: str, first: int, last: int):
    return ReportingPeriod.objects.filter(kind=kind, year__gte=first, year__lte=last)


def period_get(kind: str, year: int, number: int = 1, *, cal: tuple[int, int] | None = None) -> ReportingPeriod:
    """The period, created with the current calendar when missing."""
    _check(kind, year, number)
    found = _period(kind=kind, year=year, number=number)
    if found:
        return found[0]
    with transaction.atomic():
        period, _created = ReportingPeriod.objects.get_or_create(
            kind=kind, year=year, number=number, defaults=_fields(kind, year, number, cal or calendar())
        )
    return period


def periods_of_year(year: int) -> list[tuple[str, int]]:
    """(kind, number) of every period of a year, in a stable order."""
    return [(kind, n) for kind in PeriodKind.values for n in NUMBERS[kind]]


@transaction.atomic
def periods_generate(year: int) -> list[ReportingPeriod]:
    """Create (idempotently) every period of ``year``. A period without submissions is re-aligned
    with the current calendar (start day, deadline) if that changed; one with submissions keeps
    the window its figures were computed on."""
    cal = calendar()
    existing = {(p.kind, p.number): p for p in ReportingPeriod.objects.filter(year=year)}
    submitted = set(
        ReportingPeriod.objects.filter(year=year, submissions__isnull=False).values_list("pk", flat=True).distinct()
    )
    result = []
    for kind, number in periods_of_year(year):
        fields = _fields(kind, year, number, cal)
        period = existing.get((kind, number))
        if period is None:
            period = ReportingPeriod.objects.create(kind=kind, year=year, number=number, **fields)
        elif period.pk not in submitted and any(getattr(period, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(period, name, value)
            period.save()
        result.append(period)
    return result


def _previous_key(kind: str, year: int, number: int) -> tuple[str, int, int]:
    if kind == PeriodKind.MONTH:
        return (kind, year - 1, 12) if number == 1 else (kind, year, number - 1)
    if kind == PeriodKind.QUARTER:
        return (kind, year - 1, 4) if number == 1 else (kind, year, number - 1)
    return kind, year - 1, number


def _among(key: tuple[str, int, int], known: Iterable[ReportingPeriod]) -> ReportingPeriod:
    for p in known:
        if (p.kind, p.year, p.number) == key:
            return p
    return period_get(*key)


def period_previous(period: ReportingPeriod, known: Iterable[ReportingPeriod] = ()) -> ReportingPeriod:
    """The period just before, of the same kind (created on demand). ``known``: periods already
    read (a trend), looked in first to spare the query."""
    return _among(_previous_key(period.kind, period.year, period.number), known)


def period_same_last_year(period: ReportingPeriod, known: Iterable[ReportingPeriod] = ()) -> ReportingPeriod:
    """The same period one year earlier (created on demand); ``known`` as in ``period_previous``."""
    return _among((period.kind, period.year - 1, period.number), known)


def recent_periods(period: ReportingPeriod, count: int = 12) -> list[ReportingPeriod]:
    """``count`` periods of the same kind ending with ``period``, oldest first (created on demand).
    One query for the existing ones; missing ones are created."""
    keys = [(period.kind, period.year, period.number)]
    while len(keys) < count:
        keys.append(_previous_key(*keys[-1]))
    keys.reverse()
    existing = {
        (p.kind, p.year, p.number): p for p in _periods_between(kind=period.kind, first=keys[0][1], last=keys[-1][1])
    }
    cal = None
    result = []
    for key in keys:
        found = existing.get(key)
        if found is None:
            cal = cal or calendar()
            found = period_get(*key, cal=cal)
        result.append(found)
    return result


def latest_ended(kind: str = PeriodKind.QUARTER, on: dt.date | None = None) -> ReportingPeriod:
    """The last period of ``kind`` whose data window has ended before ``on`` (default today)."""
    on = on or timezone.localdate()
    start_day = calendar()[0]
    year, number = on.year + 1, max(NUMBERS[kind])
    for _attempt in range(40):
        _start, end = period_window(kind, year, number, start_day)
        if end < on:
            return period_get(kind, year, number)
        kind_, year, number = _previous_key(kind, year, number)
    raise ValueError("Không tìm được kỳ báo cáo đã kết thúc.")
