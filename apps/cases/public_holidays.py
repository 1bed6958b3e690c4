"""Public holidays for any year, from the rules of the Labour Code (Art. 112, Bộ luật Lao động
2019) as kept by the ``holidays`` package: fixed days (1/1, 30/4, 1/5, 2/9 and the day next to
it), the lunar ones (Tết Nguyên đán, Giỗ Tổ Hùng Vương 10/3 âm lịch, on Vietnam's own lunar
calendar) and the substitute days off when a holiday falls on a weekend.

The rules give the table its first rows for a year; after that the rows are data that province
staff correct in the admin (the government fixes each year's Tết break by decision, which may
move a day). A year that already has rows is therefore never touched again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays as holiday_rules

#: the first year the app computes deadlines for (the 2000 drug law) and how far ahead it loads
FIRST_YEAR = 2000
YEARS_AHEAD = 1


def rule_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The public holidays of ``year`` by the rules, with their Vietnamese names."""
    days = holiday_rules.country_holidays("VN", years=year, language="vi")
    return sorted((day, str(name)[:120]) for day, name in days.items())


def holidays_sync(years: Iterable[int], holiday_model=None) -> dict[int, int]:
    """Load the rule holidays of each year that has no row yet; {year: rows created}."""
    if holiday_model is None:
        from .models import Holiday as holiday_model
    years = list(years)
    present = {d.year for d in holiday_model.objects.filter(date__year__in=list(years)).values_list("date", flat=True)}
    created: dict[int, int] = {}
    for year in years:
        if year in present:
            continue
        rows = [holiday_model(date=day, name=name) for day, name in rule_holidays(year)]
        holiday_model.objects.bulk_create(rows, ignore_conflicts=True)
        created[year] = len(rows)
    return created


def missing_holiday_years(on: dt.date) -> list[int]:
    """This year and the next ones the clocks reach, when they have no holiday at all: working-day
    deadlines would silently count holidays as working days."""
    from .models import Holiday

    wanted = range(on.year, on.year + YEARS_AHEAD + 1)
    present = {d.year for d in Holiday.objects.filter(date__year__in=list(wanted)).dates("date", "year")}
    return [year for year in wanted if year not in present]
