"""The legal clocks: durations in force on a date, working days and months, a file's next due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from ..choices import DurationKey, EventKind, Status, Whereabouts


class DurationRow(Protocol):
    key: str
    label: str
    value: int
    unit: str
    law: str
    effective_from: dt.date
    effective_to: dt.date | None
    verification: str


@dataclass(frozen=True)
class Clock:
    """The durations and holidays a computation needs, loaded once by the caller."""

    durations: Sequence[DurationRow]
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def duration(self, key: str, on: dt.date) -> DurationRow | None:
        """The duration in force on ``on`` (the law applicable to the event's date)."""
        for row in self.durations:
            if row.key == key and row.effective_from <= on and (row.effective_to is None or on <= row.effective_to):
                return row
        return None

    def add(self, start: dt.date, key: str) -> tuple[dt.date | None, DurationRow | None]:
        row = self.duration(key, start)
        if row is None:
            return None, None
        return add_duration(start, row.value, row.unit, self.holidays), row


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # 31/1 + 1 month = 28 or 29/2
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date]) -> dt.date:
    """``days`` working days after ``start``, skipping Saturdays, Sundays and public holidays."""
    off = set(holidays)
    current, remaining = start, days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            remaining -= 1
    return current


def add_duration(start: dt.date, value: int, unit: str, holidays: Iterable[dt.date] = ()) -> dt.date:
    if unit == "months":
        return add_months(start, value)
    if unit == "working_days":
        return add_working_days(start, value, holidays)
    if unit == "hours":
        return start + dt.timedelta(days=-(-value // 24))
    return start + dt.timedelta(days=value)


@dataclass(frozen=True)
class EventFact:
    """What the workflow needs of an event: the clock its dates, the stock spans
    (``cases.stocks``) also where it put the person."""

    kind: str
    event_date: dt.date
    to_status: str = ""
    decision_date: dt.date | None = None
    end_date: dt.date | None = None
    whereabouts: str = ""


@dataclass(frozen=True)
class Due:
    due_date: dt.date | None
    due_label: str
    period_end: dt.date | None
    status_since: dt.date | None
    last_visit_on: dt.date | None
    basis: str = ""


# status → (duration key giving the period end, label for the due date)
_PERIODS = {
    Status.MANAGED: (DurationKey.MANAGEMENT_PERIOD, _("Hết thời hạn quản lý người sử dụng")),
    Status.AWAITING_REGISTRATION: (DurationKey.REGISTRATION_DEADLINE, _("Hạn đăng ký cai nghiện / điều trị thay thế")),
    Status.VOLUNTARY_COMMUNITY: (DurationKey.VOLUNTARY_REHAB_MAX, _("Hết thời hạn tối đa cai nghiện tự nguyện")),
    Status.VOLUNTARY_FACILITY: (DurationKey.VOLUNTARY_REHAB_MAX, _("Hết thời hạn tối đa cai nghiện tự nguyện")),
    Status.POST_REHAB: (DurationKey.POST_REHAB_PERIOD, _("Hết thời hạn quản lý sau cai nghiện")),
}
_VISIT_STATUSES = {
    Status.MANAGED,
    Status.AWAITING_REGISTRATION,
    Status.VOLUNTARY_COMMUNITY,
    Status.METHADONE,
    Status.POST_REHAB,
}


def compute_due(
    *, status: str, whereabouts: str, events: Sequence[EventFact], detected_on: dt.date, clock: Clock
) -> Due:
    """Next due date of a file from its timeline: the end of the current legal period, the
    registration deadline, the expected return from a facility, or the next home visit."""
    entering = [e for e in events if e.to_status == status]
    since_event = entering[-1] if entering else None
    status_since = since_event.event_date if since_event else detected_on
    visits = [e.event_date for e in events if e.kind == EventKind.HOME_VISIT]
    last_visit = max(visits) if visits else None

    period_end: dt.date | None = None
    label = ""
    basis = ""
    if status in _PERIODS:
        key, label = _PERIODS[status]
        start = (since_event.decision_date if since_event and since_event.decision_date else None) or status_since
        period_end, row = clock.add(start, key)
        if row is not None:
            basis = f"{row.label}: {row.value} {row.unit} – {row.law}"
    elif status == Status.COMPULSORY and since_event and since_event.end_date:
        period_end, label = since_event.end_date, _("Dự kiến chấp hành xong, trở về địa phương")

    due_date, due_label = period_end, str(label) if period_end else ""
    if status in _VISIT_STATUSES and whereabouts == Whereabouts.COMMUNITY:
        next_visit, _row = clock.add(max(filter(None, [last_visit, status_since])), DurationKey.HOME_VISIT_INTERVAL)
        if next_visit and (due_date is None or next_visit < due_date):
            due_date, due_label = next_visit, str(_("Đến hạn thăm gặp, kiểm tra"))
    return Due(
        due_date=due_date,
        due_label=due_label,
        period_end=period_end,
        status_since=status_since,
        last_visit_on=last_visit,
        basis=basis,
    )
