"""Public holidays for every year the app sees (issue 10 §5), not only the hand-entered 2025–2027."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.cases import services
from apps.cases.models import Holiday
from apps.cases.public_holidays import holidays_sync, missing_holiday_years, rule_holidays
from apps.cases.workflow import add_working_days

D = dt.date


@pytest.mark.parametrize(
    ("year", "tet", "hung_kings"),
    [
        # Official dates: Tết (1/1 lunar) and Giỗ Tổ Hùng Vương (10/3 lunar) of past years.
        (2023, D(2023, 1, 22), D(2023, 4, 29)),
        (2024, D(2024, 2, 10), D(2024, 4, 18)),
        (2025, D(2025, 1, 29), D(2025, 4, 7)),
        (2026, D(2026, 2, 17), D(2026, 4, 26)),
    ],
)
def test_rules_give_the_lunar_holidays_on_their_dates(year, tet, hung_kings):
    days = dict(rule_holidays(year))
    assert tet in days and "Tết" in days[tet]
    assert hung_kings in days and "Hùng Vương" in days[hung_kings]
    # Fixed holidays (Labour Code Art. 112) every year.
    assert {D(year, 1, 1), D(year, 4, 30), D(year, 5, 1), D(year, 9, 2)} <= days.keys()
    tet_days = [d for d, name in days.items() if "Tết Nguyên" in name]
    assert len(tet_days) >= 5  # the 5-day Tết break


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2001, 2019, 2028, 2035, 2045])
def test_the_table_holds_holidays_for_every_year_the_app_sees(year):
    loaded = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
    assert {day for day, _name in rule_holidays(year)} <= loaded


@pytest.mark.django_db
def test_a_registration_deadline_across_tet_2030_skips_the_break():
    """The result on Thursday 31/1/2030, the first day of the Tết 2030 break (31/1–6/2): the five
    working days are 7, 8, 11, 12 and 13 February, not 1–7 February."""
    clock = services.load_clock()
    assert {D(2030, 2, 1), D(2030, 2, 4), D(2030, 2, 5), D(2030, 2, 6)} <= clock.holidays
    assert add_working_days(D(2030, 1, 31), 5, clock.holidays) == D(2030, 2, 13)
    assert add_working_days(D(2030, 1, 31), 5, ()) == D(2030, 2, 7)


@pytest.mark.django_db
def test_sync_loads_only_years_without_rows_and_keeps_corrections():
    Holiday.objects.filter(date__year__in=[2031, 2032]).delete()
    Holiday.objects.create(date=D(2031, 5, 4), name="Nghỉ bù (quyết định của Chính phủ)")
    created = holidays_sync([2031, 2032])
    assert list(created) == [2032] and created[2032] == len(rule_holidays(2032))
    assert list(Holiday.objects.filter(date__year=2031).values_list("name", flat=True)) == [
        "Nghỉ bù (quyết định của Chính phủ)"
    ]
    Holiday.objects.filter(date__year=2033).delete()
    call_command("sync_holidays", "--from", "2033", "--through", "2033")
    assert Holiday.objects.filter(date__year=2033).count() == len(rule_holidays(2033))


@pytest.mark.django_db
def test_worklist_warns_when_next_years_holidays_are_missing(world, officer_a, client_for):
    client = client_for(officer_a)
    url = reverse("cases:worklist")
    assert 'data-testid="holidays-missing"' not in client.get(url).content.decode()
    next_year = timezone.localdate().year + 1
    Holiday.objects.filter(date__year=next_year).delete()
    assert missing_holiday_years(timezone.localdate()) == [next_year]
    page = client.get(url).content.decode()
    assert 'data-testid="holidays-missing"' in page and str(next_year) in page
