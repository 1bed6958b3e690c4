"""Issue 10 §4 on the dashboards: a past period is shown by default on the map of its time (the
units of 1 January of that year), or, by province staff's choice, converted to today's communes.
The page names the map and its verification status ([P] for the 2019 map, rebuilt from the 2020
list), and the figures of the map come from the one counting module
(``stocks.counts_in_window_on_map``): each file in the unit it was recorded under, the files whose
old unit cannot be told in their own row, never in a commune."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit
from apps.reporting import maps, selectors
from apps.reporting.periods import period_get
from tests.factories.accounts import UserFactory
from tests.factories.cases import make_managed_case

DAY = dt.date(2019, 3, 1)


def old(generation: str, name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(
        generation_id=generation, level="commune", name=name, path__startswith=f"{generation}:8/"
    )


@pytest.fixture
def tan_thanh(real_units):
    """Three files of today's Xã Tân Thanh in 2019: one recorded in old Tuân Lộ, two in old Thanh
    Phát (both merged into Tân Thanh on 01/01/2020), one with no old unit (today's commune was
    formed from three)."""
    roles.sync_roles()
    province = AdministrativeUnit.objects.get(generation_id="2025", code="8")
    today = AdministrativeUnit.objects.get(generation_id="2025", level="commune", full_name="Xã Tân Thanh")
    officer = UserFactory(username="tanthanh.congan", role=roles.COMMUNE_OFFICER, area=today)
    make_managed_case(officer, today, detected_on=DAY, recorded_unit=old("2019", "Tuân Lộ"))
    make_managed_case(officer, today, detected_on=DAY, recorded_unit=old("2019", "Thanh Phát"))
    make_managed_case(officer, today, detected_on=DAY, recorded_unit=old("2019", "Thanh Phát"))
    make_managed_case(officer, today, detected_on=DAY)
    staff = UserFactory(username="tinh.canbo", role=roles.PROVINCE_STAFF, area=province)
    steering = UserFactory(username="tanthanh.bcd", role=roles.STEERING_MEMBER, area=today)
    return today, staff, steering


def _people(period_map) -> dict[str, int]:
    return {row.name: row.people for row in period_map.rows if row.people}


def test_a_past_period_is_on_the_map_of_its_time_by_default(tan_thanh):
    today, staff, _steering = tan_thanh
    period = period_get("year", 2019, 1)
    dash = selectors.dashboard(user=staff, unit=None, period=period, map_choice="")
    pm = dash.map
    assert pm is not None and pm.choice == maps.TIME and pm.generation == "2019"
    assert pm.label == "Theo bản đồ hành chính năm 2019 (141 đơn vị) – danh mục suy ra, chưa kiểm chứng đầy đủ"
    assert pm.verification_label == "[P]"
    assert _people(pm) == {"Xã Tuân Lộ": 1, "Xã Thanh Phát": 2}
    assert pm.unknown.people == 1
    assert "Xã Tân Thanh" not in {row.name for row in pm.rows}  # formed on 01/01/2020
    # nothing is lost or counted twice: the map's rows and its unknown row add up to the total
    assert sum(r.people for r in pm.rows) + pm.unknown.people == dash.key_figures[0].value == 4
    # the tiles are the units of that map, grouped by their district of the time
    assert dash.tiles is not None
    tile_names = {row[1] for row in dash.tiles.rows}
    assert "Xã Tuân Lộ" in tile_names and "Xã Tân Thanh" not in tile_names


def test_2020_map_is_verified(tan_thanh):
    _today, staff, _steering = tan_thanh
    pm = selectors.dashboard(user=staff, unit=None, period=period_get("month", 2020, 1)).map
    assert pm.generation == "2020"
    assert pm.verification_label == "[V]"
    assert "[P]" not in pm.label and "chưa kiểm chứng" not in pm.label
    # Tuân Lộ and Thanh Phát are one commune of the 2020 map: the three files are there
    assert _people(pm) == {"Xã Tân Thanh": 3}


def test_converted_to_todays_communes_on_request(tan_thanh):
    today, staff, _steering = tan_thanh
    period = period_get("year", 2019, 1)
    dash = selectors.dashboard(user=staff, unit=None, period=period, map_choice=maps.CONVERTED)
    assert dash.map.choice == maps.CONVERTED and dash.map.generation is None
    assert dash.map.label == "Quy đổi sang đơn vị hành chính hiện nay (124 đơn vị)"
    assert dash.map.rows == []
    row = next(r for r in dash.table if r.commune_id == today.pk)
    assert row.values["people_total"] == 4


def test_a_current_period_offers_no_choice(tan_thanh):
    _today, staff, _steering = tan_thanh
    dash = selectors.dashboard(user=staff, unit=None, period=period_get("quarter", 2026, 1))
    assert dash.map is None


def test_the_page_names_its_map_and_offers_the_choice(client, tan_thanh):
    _today, staff, _steering = tan_thanh
    client.force_login(staff)
    url = reverse("reporting:dashboard")
    html = client.get(url, {"kind": "year", "year": 2019}).content.decode()
    assert 'data-testid="map-choice"' in html
    assert "Theo bản đồ hành chính năm 2019 (141 đơn vị)" in html
    assert 'data-testid="map-verification">[P]' in html
    assert 'data-testid="map-table"' in html and "Không xác định được đơn vị cũ" in html
    html = client.get(url, {"kind": "year", "year": 2019, "map": "converted"}).content.decode()
    assert "Quy đổi sang đơn vị hành chính hiện nay (124 đơn vị)" in html
    assert 'data-testid="map-table"' not in html
    assert 'data-testid="commune-table"' in html
    html = client.get(url, {"kind": "quarter", "year": 2026, "number": 1}).content.decode()
    assert 'data-testid="map-choice"' not in html


def test_commune_dashboard_names_the_map_of_its_old_units(client, tan_thanh):
    today, staff, steering = tan_thanh
    period = period_get("year", 2019, 1)
    pm = selectors.dashboard(user=staff, unit=today, period=period, with_table=False).map
    assert _people(pm) == {"Xã Tuân Lộ": 1, "Xã Thanh Phát": 2}
    assert pm.unknown.people == 1
    # a commune's steering member cannot read the statistical maps (province-level): converted, and said
    pm = selectors.dashboard(user=steering, unit=today, period=period, with_table=False).map
    assert pm.generation is None and pm.note
    client.force_login(staff)
    url = reverse("reporting:commune_dashboard", kwargs={"pk": today.pk})
    html = client.get(url, {"kind": "year", "year": 2019}).content.decode()
    assert "Theo bản đồ hành chính năm 2019 (141 đơn vị)" in html
    assert 'data-testid="map-table"' in html
