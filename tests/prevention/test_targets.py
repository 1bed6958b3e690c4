"""Targets: the status rule (pure), the shipped targets, and statuses moving at-risk → met as data
is added. Indicators of the classification and registers apps are checked when those apps are
installed, and answer "chưa có dữ liệu" when they are not."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from apps.areas.models import AdministrativeUnit, UnitSuccession
from apps.prevention import selectors, services, targets
from apps.prevention.choices import TargetStatus
from apps.prevention.models import Target
from apps.prevention.reference import TARGETS
from tests.factories.areas import UnitFactory
from tests.factories.prevention import make_activity, make_model_point, make_person
from tests.utils import assert_query_budget

D = dt.date
ON = D(2026, 6, 30)  # mid-year: a yearly target should be about half-way
JAN_1, DEC_31 = D(2026, 1, 1), D(2026, 12, 31)


def ev(current, target="100", comparison="gte", baseline="0", start=JAN_1, deadline=DEC_31, on=ON):
    return targets.evaluate(
        current=None if current is None else Decimal(current),
        target=Decimal(target),
        comparison=comparison,
        baseline=None if baseline is None else Decimal(baseline),
        start=start,
        deadline=deadline,
        on=on,
        unit="%",
    )


# --- the rule ------------------------------------------------------------------------------------


def test_no_value_is_no_data():
    assert ev(None).status == TargetStatus.NO_DATA


def test_met_when_the_comparison_holds_whatever_the_date():
    assert ev("100").status == TargetStatus.MET
    assert ev("0", target="0", comparison="lte").status == TargetStatus.MET
    assert ev("25", target="20", deadline=D(2025, 12, 31), on=D(2026, 3, 1)).status == TargetStatus.MET
    assert ev("100").reason == "Đạt: 100% ≥ 100%."


def test_on_track_follows_the_straight_line_from_baseline_to_target():
    # 30/6 is day 180 of 364 → 49.5% expected
    on_track = ev("50")
    assert (on_track.status, on_track.expected) == (TargetStatus.ON_TRACK, Decimal("49.5"))
    behind = ev("40")
    assert behind.status == TargetStatus.AT_RISK
    assert "cần ≥ 49,5%" in behind.reason and "hiện 40%" in behind.reason
    # a baseline shifts the line: from 10 to 30 → 19.9 expected
    assert ev("20", target="30", baseline="10").status == TargetStatus.ON_TRACK
    assert ev("19", target="30", baseline="10").status == TargetStatus.AT_RISK


def test_missed_after_the_deadline_at_risk_without_a_baseline():
    # a passed deadline gives the final value, met or missed, never "at risk" (issue 10 §3)
    late = ev("15", target="20", deadline=D(2025, 12, 31), on=D(2026, 3, 1))
    assert late.status == TargetStatus.MISSED and "hết thời hạn 31/12/2025" in late.reason
    blind = ev("40", target="50", baseline=None, deadline=D(2030, 12, 31))
    assert blind.status == TargetStatus.AT_RISK and "số liệu nền" in blind.reason
    assert ev("1", target="0", comparison="lte").status == TargetStatus.AT_RISK


def test_registry_and_shipped_targets_agree(db):
    codes = {t["indicator"] for t in TARGETS}
    assert codes <= set(targets.REGISTRY)
    assert set(dict(Target._meta.get_field("indicator").choices)) == set(targets.REGISTRY)
    shipped = {t.code: t for t in Target.objects.all()}
    assert set(shipped) == {t["code"] for t in TARGETS}
    reduction = shipped["kh63-communes-with-problems"]
    assert (reduction.baseline_value, reduction.baseline_note, reduction.deadline) == (
        None,
        "cần bổ sung số liệu nền",
        D(2020, 12, 31),
    )
    assert shipped["ntp-drug-free-2025"].target_value == 20 and shipped["ntp-drug-free-2030"].target_value == 50
    assert shipped["kh63-model-point-per-district"].params == {"former_province_code": "8"}


# --- the board -----------------------------------------------------------------------------------


def rows(user, on=ON):
    return {row.target.code: row for row in selectors.target_board(user=user, on=on).rows}


def test_targets_without_data_show_no_data(world, province_staff):
    board = rows(province_staff)
    reduction = board["kh63-communes-with-problems"]
    assert reduction.evaluation.status == TargetStatus.NO_DATA
    assert "cần bổ sung số liệu nền" in reduction.evaluation.reason
    assert board["kh63-high-risk-coverage"].evaluation.status == TargetStatus.NO_DATA  # empty register


def test_high_risk_coverage_goes_from_at_risk_to_met_as_people_are_reached(world, officer_a):
    people = [make_person(officer_a, world.commune_a) for _i in range(4)]
    activity = make_activity(officer_a, world.commune_a, date_from=D(2026, 3, 10), reached=people[:1])
    row = rows(officer_a)["kh63-high-risk-coverage"]
    assert (row.measure.value, row.evaluation.status) == (Decimal("25.0"), TargetStatus.AT_RISK)
    assert row.measure.detail == "1/4 người đã được tiếp cận"
    services.activity_set_reaches(actor=officer_a, activity=activity, persons=people[:3])
    assert rows(officer_a)["kh63-high-risk-coverage"].evaluation.status == TargetStatus.ON_TRACK
    services.activity_set_reaches(actor=officer_a, activity=activity, persons=people)
    row = rows(officer_a)["kh63-high-risk-coverage"]
    assert (row.current_display, row.evaluation.status) == ("100%", TargetStatus.MET)


def test_model_point_per_former_district(world, province_staff, officer_a, officer_b):
    # Another former district of the same former province, whose commune is now commune B.
    old_province = AdministrativeUnit.objects.get(generation_id="pre2025", level="province")
    old_district = UnitFactory(
        generation=old_province.generation,
        parent=old_province,
        code="76",
        level="district",
        kind="huyen",
        name="Sơn Dương",
        full_name="Huyện Sơn Dương",
    )
    old_commune = UnitFactory(generation=old_province.generation, parent=old_district, code="2500")
    UnitSuccession.objects.create(old=old_commune, new=world.commune_b, effective_date=D(2025, 7, 1))
    groups = targets.area_groups([world.commune_a.pk, world.commune_b.pk], former_province_code="8")
    assert sorted(g["name"] for g in groups.values()) == ["Huyện Sơn Dương", "Huyện Yên Sơn"]
    assert targets.area_groups([world.commune_a.pk], former_province_code="2") == {}

    row = rows(province_staff)["kh63-model-point-per-district"]
    assert (row.measure.value, row.evaluation.status) == (Decimal("0.0"), TargetStatus.AT_RISK)
    make_model_point(officer_a, world.commune_a, started_on=D(2026, 2, 1))
    row = rows(province_staff)["kh63-model-point-per-district"]
    assert (row.measure.value, row.measure.gaps, row.evaluation.status) == (
        Decimal("50.0"),
        ["Huyện Sơn Dương"],
        TargetStatus.ON_TRACK,
    )
    make_model_point(officer_a, world.commune_a)  # a second one in the same group changes nothing
    assert rows(province_staff)["kh63-model-point-per-district"].measure.value == Decimal("50.0")
    make_model_point(officer_b, world.commune_b, started_on=D(2026, 5, 1))
    row = rows(province_staff)["kh63-model-point-per-district"]
    assert (row.current_display, row.evaluation.status) == ("100%", TargetStatus.MET)
    # a commune officer sees the groups of their own commune only
    assert rows(officer_a)["kh63-model-point-per-district"].measure.detail == "1/1 nhóm địa bàn có mô hình điểm"


def test_target_page_queries_do_not_grow_with_data(world, officer_a, client_for):
    client = client_for(officer_a)
    url = reverse("prevention:target_list")
    make_activity(officer_a, world.commune_a, reached=[make_person(officer_a, world.commune_a)])
    client.get(url)
    with assert_query_budget() as few:
        assert client.get(url).status_code == 200
    people = [make_person(officer_a, world.commune_a) for _i in range(15)]
    for _i in range(5):
        make_activity(officer_a, world.commune_a, reached=people[:5])
        make_model_point(officer_a, world.commune_a)
    client.get(url)  # the first read after a change stores the period's figures again
    with assert_query_budget(exactly=few.count):
        assert client.get(url).status_code == 200


# --- other apps, when installed --------------------------------------------------------------------


def approved_assessment(year, levels):
    """An approved assessment of ``year`` with the given final levels (direct ORM: running and
    approving are covered by tests/classification)."""
    from apps.classification import rules
    from apps.classification import selectors as classification_selectors
    from apps.classification.models import Assessment, AssessmentResult, RuleSet

    rule_set = RuleSet.objects.order_by("-effective_from").first()
    spec = classification_selectors.ruleset_spec(rule_set)
    assessment = Assessment.objects.create(
        rule_set=rule_set,
        ruleset_version=rule_set.version,
        ruleset_snapshot=rules.spec_to_dict(spec),
        year=year,
        period_start=D(year, 1, 1),
        period_end=D(year, 12, 31),
        status="approved",
        run_at=timezone.now(),
        approved_at=timezone.now(),
    )
    AssessmentResult.objects.bulk_create(
        AssessmentResult(
            assessment=assessment,
            commune=commune,
            proposed_level=level,
            final_level=level,
            indicators={},
            explanation={},
        )
        for commune, level in levels
    )
    return assessment


def test_hotspot_targets_from_the_registers(world, officer_a):
    from apps.registers.services import hotspots as register_services
    from tests.factories.registers import make_hotspot

    old = make_hotspot(officer_a, world.commune_a, discovered_on=D(2025, 3, 1))
    make_hotspot(officer_a, world.commune_a, discovered_on=D(2025, 4, 1))
    board = rows(officer_a)
    new, eliminated = board["kh63-no-new-hotspots"], board["kh63-hotspots-eliminated"]
    assert (new.measure.value, new.evaluation.status) == (Decimal(0), TargetStatus.MET)
    assert (eliminated.measure.value, eliminated.evaluation.status) == (Decimal("0.0"), TargetStatus.AT_RISK)
    register_services.hotspot_change_status(
        actor=officer_a, hotspot=old, to_status="eliminated", changed_on=D(2026, 5, 2)
    )
    make_hotspot(officer_a, world.commune_a, discovered_on=D(2026, 2, 1))
    board = rows(officer_a)
    new, eliminated = board["kh63-no-new-hotspots"], board["kh63-hotspots-eliminated"]
    assert (new.measure.value, new.evaluation.status) == (Decimal(1), TargetStatus.AT_RISK)
    # 1 eliminated of the 3 that existed in 2026 (2 from 2025, 1 found in February)
    assert (eliminated.measure.value, eliminated.evaluation.status) == (Decimal("33.3"), TargetStatus.MET)


def test_drug_free_share_from_the_approved_classification_of_the_targets_year(world, province_staff):
    # Both shipped drug-free targets read their own year: 2025 for the end-2025 target, whatever
    # later year was approved since (issue 10 §3). Its deadline passed: the final value.
    approved_assessment(2025, [(world.commune_a, "type_1"), (world.commune_b, "has_problems")])
    approved_assessment(2026, [(world.commune_a, "drug_free"), (world.commune_b, "has_problems")])
    row = rows(province_staff, on=D(2026, 3, 1))["ntp-drug-free-2025"]
    assert (row.measure.value, row.evaluation.status) == (Decimal("0.0"), TargetStatus.MISSED)
    assert "phân loại năm 2025" in row.measure.detail and "1 xã, phường trọng điểm" in row.measure.detail
    assert rows(province_staff, on=D(2026, 3, 1))["ntp-drug-free-2030"].measure.value == Decimal("50.0")
