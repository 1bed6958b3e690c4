"""Issue 10 §4: a past year is classified on the map in force on 1 January of that year, with QĐ
3122's absolute thresholds applied to the communes of that time; province staff may choose the
conversion to today's communes instead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit
from apps.classification import selectors as classification_selectors
from apps.classification import services
from apps.classification.models import RuleSet
from tests.factories.accounts import UserFactory
from tests.factories.cases import advance, make_case

DAY = dt.date(2019, 2, 1)


def old(generation: str, name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(
        generation_id=generation, level="commune", name=name, path__startswith=f"{generation}:8/"
    )


def addicts(officer, commune, n: int, recorded_unit=None) -> None:
    for _ in range(n):
        case = make_case(officer, commune, detected_on=DAY, recorded_unit=recorded_unit)
        case = advance(officer, case, "refer_determination", DAY)
        advance(officer, case, "addicted", DAY, facility="TTYT")


@pytest.fixture
def tan_thanh_2019(real_units, fake_registers):
    """55 addicts recorded in Tuân Lộ and 50 in Thanh Phát in 2019 (two communes of that year's map,
    merged into Tân Thanh on 01/01/2020), 2 more in today's Xã Tân Thanh with no old unit."""
    roles.sync_roles()
    services.ruleset_load_shipped()
    province = AdministrativeUnit.objects.get(generation_id="2025", code="8")
    today = AdministrativeUnit.objects.get(generation_id="2025", level="commune", full_name="Xã Tân Thanh")
    officer = UserFactory(username="tanthanh.congan", role=roles.COMMUNE_OFFICER, area=today)
    addicts(officer, today, 55, old("2019", "Tuân Lộ"))
    addicts(officer, today, 50, old("2019", "Thanh Phát"))
    addicts(officer, today, 2)
    staff = UserFactory(username="tinh.canbo", role=roles.PROVINCE_STAFF, area=province)
    return today, staff, RuleSet.objects.get(code="QD-3122-2010")


def _by_name(assessment) -> dict[str, str]:
    return {r.commune.full_name: r.proposed_level for r in assessment.results.select_related("commune")}


def test_2019_runs_on_the_2019_map_by_default(tan_thanh_2019):
    today, staff, rule_set = tan_thanh_2019
    assessment = services.assessment_run(actor=staff, rule_set=rule_set, year=2019)
    assert assessment.map_generation_id == "2019"
    assert assessment.results.count() == 141
    levels = _by_name(assessment)
    # each old commune below the 100-addict threshold of type I: not a sum of today's commune
    assert levels["Xã Tuân Lộ"] != "type_1"
    assert levels["Xã Thanh Phát"] != "type_1"
    assert levels["Xã Tuân Lộ"] == levels["Xã Thanh Phát"]
    assert "Xã Tân Thanh" not in levels  # formed on 01/01/2020
    result = assessment.results.get(commune__name="Tuân Lộ")
    assert str(result.indicators["values"]["addicts_with_records"]) in ("55", "55.0")
    # the 2 files of today's commune without an old unit: reported apart, in no commune
    assert assessment.unattributed["people"] == 2
    assert assessment.map_label == (
        "Theo bản đồ hành chính năm 2019 (141 đơn vị) – danh mục suy ra, chưa kiểm chứng đầy đủ"
    )
    # province staff's choice: converted to today's communes, where the sum crosses type I
    assessment = services.assessment_run(actor=staff, rule_set=rule_set, year=2019, map_choice="converted")
    assert assessment.map_generation_id is None
    assert assessment.results.count() == 124
    assert assessment.results.get(commune=today).proposed_level == "type_1"  # 107 ≥ 100
    assert assessment.map_label == "Quy đổi sang đơn vị hành chính hiện nay (124 đơn vị)"


def test_2020_on_the_2020_map_holds_the_merged_commune(tan_thanh_2019):
    _today, staff, rule_set = tan_thanh_2019
    assessment = services.assessment_run(actor=staff, rule_set=rule_set, year=2020)
    assert assessment.map_generation_id == "2020"
    assert assessment.results.count() == 138 + 193
    tan_thanh = assessment.results.get(commune=old("2020", "Tân Thanh"))
    assert tan_thanh.proposed_level == "type_1"  # Tuân Lộ + Thanh Phát were one commune in 2020


def test_run_page_offers_the_choice_and_the_output_names_the_map(real_units, fake_registers, client_for):
    roles.sync_roles()
    services.ruleset_load_shipped()
    province = AdministrativeUnit.objects.get(generation_id="2025", code="8")
    staff = UserFactory(username="tinh.canbo", role=roles.PROVINCE_STAFF, area=province)
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    client = client_for(staff)
    page = client.get(reverse("classification:assessment_run") + "?year=2019").content.decode()
    assert "Theo bản đồ hành chính thời điểm đó" in page and "Quy đổi sang đơn vị hiện nay" in page
    assert 'value="time" checked' in page or 'value="time"\n' in page or "checked" in page
    for choice, label in (
        ("time", "Theo bản đồ hành chính năm 2019 (141 đơn vị)"),
        ("converted", "Quy đổi sang đơn vị hành chính hiện nay (124 đơn vị)"),
    ):
        response = client.post(
            reverse("classification:assessment_run"), {"year": 2019, "rule_set": rule_set.pk, "map_choice": choice}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        detail = client.get(response["Location"]).content.decode()
        assert label in detail


def test_figures_page_on_the_map_of_the_time_shows_the_unknown_row(tan_thanh_2019, client_for):
    today, staff, _rule_set = tan_thanh_2019
    client = client_for(staff)
    page = client.get(reverse("classification:map_figures") + "?year=2019&map_choice=time").content.decode()
    assert "Theo bản đồ hành chính năm 2019 (141 đơn vị)" in page
    assert "Không xác định được đơn vị cũ" in page
    figures = classification_selectors.map_figures(user=staff, year=2019)
    by_label = {row.label: (row.people, row.addicts) for row in figures.rows}
    assert by_label["Xã Tuân Lộ"] == (55, 55) and by_label["Xã Thanh Phát"] == (50, 50)
    assert by_label["Không xác định được đơn vị cũ"] == (2, 2)
    assert figures.people == 107
    converted = client.get(reverse("classification:map_figures") + "?year=2019&map_choice=converted")
    assert "Quy đổi sang đơn vị hành chính hiện nay (124 đơn vị)" in converted.content.decode()


def test_hotspots_recorded_under_the_old_commune_count_there_on_the_map_of_the_time(real_units):
    from tests.factories.registers import make_hotspot

    roles.sync_roles()
    services.ruleset_load_shipped()
    province = AdministrativeUnit.objects.get(generation_id="2025", code="8")
    today = AdministrativeUnit.objects.get(generation_id="2025", level="commune", full_name="Xã Tân Thanh")
    officer = UserFactory(username="tanthanh.congan", role=roles.COMMUNE_OFFICER, area=today)
    staff = UserFactory(username="tinh.canbo", role=roles.PROVINCE_STAFF, area=province)
    recorded = AdministrativeUnit.objects.get(generation_id="pre2025", code="2590")  # Xã Tân Thanh before 2025
    for _ in range(5):
        make_hotspot(officer, today, recorded_unit=recorded, kind="hotspot", discovered_on=dt.date(2020, 3, 1))
    # no old unit: today's commune was formed from three, so this one lies in none of them
    make_hotspot(officer, today, kind="hotspot", discovered_on=dt.date(2020, 3, 1))
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    assessment = services.assessment_run(actor=staff, rule_set=rule_set, year=2020)
    result = assessment.results.get(commune=old("2020", "Tân Thanh"))
    assert str(result.indicators["values"]["hotspots_active"]) in ("5", "5.0")
    assert result.proposed_level == "type_1"  # ≥ 5 hotspots (QĐ 3122, verified)
    assert assessment.unattributed["registers"]["hotspots_active"] == "1"
