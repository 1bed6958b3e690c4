"""Data windows of every kind of period (15th–14th convention, year boundaries, configurable start
day), labels, deadlines, idempotent generation, previous / same period last year."""

import datetime as dt

import pytest

from apps.reporting.models import ReportingPeriod, ReportingSettings
from apps.reporting.periods import (
    PeriodKind,
    latest_ended,
    period_get,
    period_label,
    period_previous,
    period_same_last_year,
    period_window,
    periods_generate,
    recent_periods,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "number", "start", "end"),
    [
        (PeriodKind.MONTH, 2026, 5, D(2026, 4, 15), D(2026, 5, 14)),
        (PeriodKind.MONTH, 2026, 1, D(2025, 12, 15), D(2026, 1, 14)),  # year boundary
        (PeriodKind.MONTH, 2026, 12, D(2026, 11, 15), D(2026, 12, 14)),
        (PeriodKind.MONTH, 2024, 3, D(2024, 2, 15), D(2024, 3, 14)),  # leap year February inside
        (PeriodKind.QUARTER, 2026, 1, D(2025, 12, 15), D(2026, 3, 14)),
        (PeriodKind.QUARTER, 2026, 2, D(2026, 3, 15), D(2026, 6, 14)),
        (PeriodKind.QUARTER, 2026, 3, D(2026, 6, 15), D(2026, 9, 14)),
        (PeriodKind.QUARTER, 2026, 4, D(2026, 9, 15), D(2026, 12, 14)),
        (PeriodKind.HALF, 2026, 1, D(2025, 12, 15), D(2026, 6, 14)),
        (PeriodKind.NINE_MONTHS, 2026, 1, D(2025, 12, 15), D(2026, 9, 14)),
        (PeriodKind.YEAR, 2026, 1, D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_windows_default_start_day(kind, year, number, start, end):
    assert period_window(kind, year, number, 15) == (start, end)


@pytest.mark.parametrize(
    ("kind", "number", "start", "end"),
    [
        (PeriodKind.MONTH, 2, D(2026, 2, 1), D(2026, 2, 28)),
        (PeriodKind.MONTH, 12, D(2026, 12, 1), D(2026, 12, 31)),
        (PeriodKind.QUARTER, 1, D(2026, 1, 1), D(2026, 3, 31)),
        (PeriodKind.YEAR, 1, D(2026, 1, 1), D(2026, 12, 31)),
        (PeriodKind.HALF, 1, D(2026, 1, 1), D(2026, 6, 30)),
    ],
)
def test_windows_calendar_months_with_start_day_1(kind, number, start, end):
    assert period_window(kind, 2026, number, 1) == (start, end)


def test_windows_other_start_day():
    assert period_window(PeriodKind.QUARTER, 2026, 1, 20) == (D(2025, 12, 20), D(2026, 3, 19))
    assert period_window(PeriodKind.YEAR, 2026, 1, 28) == (D(2025, 12, 28), D(2026, 12, 27))


def test_consecutive_windows_tile_the_calendar():
    for start_day in (1, 10, 15, 28):
        previous_end = None
        for year in (2025, 2026):
            for month in range(1, 13):
                start, end = period_window(PeriodKind.MONTH, year, month, start_day)
                if previous_end:
                    assert start == previous_end + dt.timedelta(days=1)
                previous_end = end


@pytest.mark.parametrize("bad", [(PeriodKind.MONTH, 2026, 13), (PeriodKind.QUARTER, 2026, 5), ("week", 2026, 1)])
def test_invalid_periods_refused(bad):
    with pytest.raises(ValueError):
        period_window(*bad, 15)


def test_labels():
    assert period_label(PeriodKind.MONTH, 2026, 5) == "Tháng 5 năm 2026"
    assert period_label(PeriodKind.QUARTER, 2026, 2) == "Quý II năm 2026"
    assert period_label(PeriodKind.HALF, 2026) == "6 tháng đầu năm 2026"
    assert period_label(PeriodKind.NINE_MONTHS, 2026) == "9 tháng năm 2026"
    assert period_label(PeriodKind.YEAR, 2026) == "Năm 2026"


def test_generate_is_idempotent_with_deadline_the_16th(db):
    periods = periods_generate(2026)
    assert len(periods) == 12 + 4 + 3
    assert len(periods_generate(2026)) == 19 and ReportingPeriod.objects.filter(year=2026).count() == 19
    q2 = ReportingPeriod.objects.get(kind="quarter", year=2026, number=2)
    assert (q2.start, q2.end, q2.deadline, q2.label) == (
        D(2026, 3, 15),
        D(2026, 6, 14),
        D(2026, 6, 16),
        "Quý II năm 2026",
    )


def test_configurable_start_day_setting_and_row(db, settings):
    settings.PCMT_PERIOD_START_DAY = 1
    assert period_get(PeriodKind.QUARTER, 2027, 1).start == D(2027, 1, 1)
    ReportingSettings.objects.create(start_day=20, deadline_days=5)
    periods_generate(2027)  # realigns periods nobody submitted for
    q1 = ReportingPeriod.objects.get(kind="quarter", year=2027, number=1)
    assert (q1.start, q1.end, q1.deadline) == (D(2026, 12, 20), D(2027, 3, 19), D(2027, 3, 24))
    assert ReportingSettings.objects.get().pk == 1


def test_previous_and_same_last_year(db):
    q1 = period_get(PeriodKind.QUARTER, 2026, 1)
    assert (period_previous(q1).year, period_previous(q1).number) == (2025, 4)
    jan = period_get(PeriodKind.MONTH, 2026, 1)
    assert (period_previous(jan).year, period_previous(jan).number) == (2025, 12)
    half = period_get(PeriodKind.HALF, 2026)
    assert period_previous(half).label == "6 tháng đầu năm 2025"
    assert period_same_last_year(q1).label == "Quý I năm 2025"
    assert period_same_last_year(period_get(PeriodKind.MONTH, 2026, 7)).label == "Tháng 7 năm 2025"
    trend = recent_periods(q1, 12)
    assert len(trend) == 12 and trend[-1] == q1 and trend[0].label == "Quý II năm 2023"


def test_latest_ended_quarter(db):
    assert latest_ended(PeriodKind.QUARTER, on=D(2026, 11, 29)).label == "Quý III năm 2026"
    assert latest_ended(PeriodKind.QUARTER, on=D(2026, 12, 15)).label == "Quý IV năm 2026"
    assert latest_ended(PeriodKind.QUARTER, on=D(2026, 3, 14)).label == "Quý IV năm 2025"
    assert latest_ended(PeriodKind.YEAR, on=D(2026, 6, 1)).label == "Năm 2025"
