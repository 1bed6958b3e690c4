"""Issue 10 §3-4: Plan 63's "5% fewer communes with drug problems by 2020" is measured on the 2020
assessment on the 2020 map: the 138 communes of old Tuyên Quang, without Hà Giang."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit
from apps.classification import rules
from apps.classification import selectors as classification_selectors
from apps.classification.models import Assessment, AssessmentResult, RuleSet
from apps.classification.services import ruleset_load_shipped
from apps.prevention import selectors
from apps.prevention.choices import TargetStatus
from apps.prevention.models import Target
from tests.factories.accounts import UserFactory


def test_2020_target_on_the_2020_map(real_units):
    roles.sync_roles()
    ruleset_load_shipped()
    province = AdministrativeUnit.objects.get(generation_id="2025", code="8")
    staff = UserFactory(username="tinh.canbo", role=roles.PROVINCE_STAFF, area=province)
    Target.objects.filter(code="kh63-communes-with-problems").update(baseline_value=Decimal(20))
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    assessment = Assessment.objects.create(
        rule_set=rule_set,
        ruleset_version=rule_set.version,
        ruleset_snapshot=rules.spec_to_dict(classification_selectors.ruleset_spec(rule_set)),
        year=2020,
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 12, 31),
        status="approved",
        run_at=timezone.now(),
        approved_at=timezone.now(),
        map_generation_id="2020",
    )
    tq = list(AdministrativeUnit.objects.filter(generation_id="2020", level="commune", path__startswith="2020:8/"))
    hg = list(AdministrativeUnit.objects.filter(generation_id="2020", level="commune", path__startswith="2020:2/"))
    levels = [(u, "has_problems" if i < 18 else "drug_free") for i, u in enumerate(tq)]
    levels += [(u, "has_problems") for u in hg]  # Hà Giang joined later: not the plan's territory
    AssessmentResult.objects.bulk_create(
        AssessmentResult(
            assessment=assessment,
            commune=u,
            proposed_level=lv,
            final_level=lv,
            criteria_met=0,
            indicators={},
            explanation={},
        )
        for u, lv in levels
    )
    board = {row.target.code: row for row in selectors.target_board(user=staff, on=dt.date(2026, 3, 1)).rows}
    row = board["kh63-communes-with-problems"]
    # 18 of the 138 communes of 2020 had drug problems against a baseline of 20: 10% fewer
    assert row.measure.value == Decimal("10.0")
    assert (row.measure.covered, row.measure.communes) == (138, 138)
    assert "theo bản đồ hành chính năm 2020 (138 đơn vị)" in row.measure.detail
    assert row.evaluation.status == TargetStatus.MET  # deadline passed: the final value, met (≥ 5%)
