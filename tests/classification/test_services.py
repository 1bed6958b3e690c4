"""Assessments: run → override → approve, superseded history (append-only), diffs, audit rows,
permissions; key routes with optimistic locking."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from apps.audit.models import AuditLogEntry
from apps.classification import rules, selectors, services
from apps.classification.choices import AssessmentStatus
from apps.classification.models import Assessment, AssessmentResult, KeyRoute, RuleSet
from apps.core.locking import StaleObjectError

from .helpers import add_cases, approved_assessment, cases_only_ruleset, commune

YEAR = 2025


@pytest.fixture
def simple(world, root):
    """A rule set reading case files only: ≥ 3 people → Loại I; none → không ma túy; else "có tệ nạn"."""
    return cases_only_ruleset(root)


def _levels(assessment) -> dict[str, str]:
    return dict(assessment.results.values_list("commune__code", "final_level"))


def test_run_proposes_a_level_for_every_current_commune_and_is_audited(world, root, province_staff, simple):
    add_cases(root, world.commune_a, 3)
    add_cases(root, world.commune_b, 1)
    c = commune(world, "Kim Bình", "2300")
    assessment = services.assessment_run(actor=province_staff, rule_set=simple, year=YEAR)
    assert assessment.status == AssessmentStatus.PROPOSED
    assert (assessment.period_start, assessment.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert assessment.ruleset_version == 1
    assert assessment.spec == selectors.ruleset_spec(simple)
    assert _levels(assessment) == {
        world.commune_a.code: "type_1",
        world.commune_b.code: rules.HAS_PROBLEMS,
        c.code: "drug_free",
    }
    result = assessment.results.get(commune=world.commune_a)
    assert result.proposed_level == result.final_level == "type_1"
    assert result.criteria_met == 1
    assert result.indicators["values"]["addicts_users_with_records"] == "3"
    assert result.explanation["levels"][0]["criteria"][0]["reason"] == "3 người ≥ 3 người"
    entry = AuditLogEntry.objects.get(action=services.ASSESSMENT_RUN)
    assert entry.actor == province_staff
    assert entry.after["levels"] == {"type_1": 1, rules.HAS_PROBLEMS: 1, "drug_free": 1}


def test_running_needs_the_role_and_the_whole_province(world, officer_a, simple):
    with pytest.raises(PermissionDenied):
        services.assessment_run(actor=officer_a, rule_set=simple, year=YEAR)
    from tests.factories.accounts import UserFactory

    staff_of_one_commune = UserFactory(username="staff_a", role="province_staff", area=world.commune_a)
    with pytest.raises(PermissionDenied, match="toàn tỉnh"):
        services.assessment_run(actor=staff_of_one_commune, rule_set=simple, year=YEAR)
    assert not Assessment.objects.exists()


def test_override_needs_a_reason_and_is_audited(world, root, province_staff, simple):
    assessment = services.assessment_run(actor=root, rule_set=simple, year=YEAR)
    result = assessment.results.get(commune=world.commune_a)
    with pytest.raises(ValidationError) as exc:
        services.assessment_override(actor=province_staff, result=result, level="type_1", reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.assessment_override(actor=province_staff, result=result, level="type_9", reason="x")
    assert "level" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.assessment_override(actor=province_staff, result=result, level=rules.UNDETERMINED, reason="x")

    services.assessment_override(
        actor=province_staff, result=result, level="type_1", reason="Công văn 12/CAT-PC04: 4 người mới phát hiện"
    )
    result.refresh_from_db()
    assert (result.proposed_level, result.final_level) == ("drug_free", "type_1")
    assert result.overridden_by == province_staff and result.overridden_at is not None
    entry = AuditLogEntry.objects.get(action=services.RESULT_OVERRIDE)
    assert entry.area == world.commune_a
    assert entry.before["final_level"] == "drug_free"
    assert entry.after["final_level"] == "type_1"
    assert entry.message.startswith("Công văn 12")


def test_only_province_roles_override_and_only_in_their_scope(world, root, officer_a, simple):
    assessment = services.assessment_run(actor=root, rule_set=simple, year=YEAR)
    result = assessment.results.get(commune=world.commune_a)
    with pytest.raises(PermissionDenied):
        services.assessment_override(actor=officer_a, result=result, level="type_1", reason="x")


def test_approve_refuses_undetermined_communes_until_they_are_decided(world, root, province_staff, no_registers):
    rule_set = RuleSet.objects.get(code="QD-28-2025")
    assessment = services.assessment_run(actor=root, rule_set=rule_set, year=YEAR)
    # without the registers, criteria b, c, d cannot be decided: every commune is undetermined
    assert set(_levels(assessment).values()) == {rules.UNDETERMINED}
    with pytest.raises(ValidationError, match="Còn 2 xã, phường chưa xác định được loại"):
        services.assessment_approve(actor=province_staff, assessment=assessment)
    for result in assessment.results.all():
        services.assessment_override(
            actor=province_staff, result=result, level=rules.HAS_PROBLEMS, reason="Báo cáo của Công an xã"
        )
    services.assessment_approve(actor=province_staff, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert assessment.approved_by == province_staff


def test_approving_a_rerun_supersedes_the_previous_approval_without_touching_its_results(
    world, root, province_staff, simple
):
    add_cases(root, world.commune_a, 2)
    first = approved_assessment(root, simple)
    first_results = list(first.results.order_by("pk").values())
    add_cases(root, world.commune_a, 1)  # a third person in commune A
    second = services.assessment_run(actor=province_staff, rule_set=simple, year=YEAR)

    diff = selectors.assessment_diff(user=province_staff, assessment=second)
    assert diff.base == first
    assert [row.commune for row in diff.changed] == [world.commune_a]
    row = diff.changed[0]
    assert (row.before.final_level, row.after.final_level, row.trend) == (rules.HAS_PROBLEMS, "type_1", "up")
    label = rules.INPUTS["addicts_users_with_records"].label
    assert (label, "2 người", "3 người") in row.changed_indicators
    assert diff.unchanged == 1

    services.assessment_approve(actor=province_staff, assessment=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AssessmentStatus.SUPERSEDED
    assert first.superseded_by == second
    assert second.status == AssessmentStatus.APPROVED
    assert list(first.results.order_by("pk").values()) == first_results  # history untouched
    assert selectors.approved_assessment(year=YEAR, rule_set=simple) == second
    actions = list(
        AuditLogEntry.objects.filter(action__startswith="classification.assessment.").values_list("action", flat=True)
    )
    assert actions.count(services.ASSESSMENT_APPROVE) == 2
    assert actions.count(services.ASSESSMENT_SUPERSEDE) == 1
    superseded = AuditLogEntry.objects.get(action=services.ASSESSMENT_SUPERSEDE)
    assert superseded.object_id == str(first.pk) and superseded.after["superseded_by"] == second.pk


def test_approved_and_superseded_results_cannot_be_overridden_or_approved_again(world, root, simple):
    first = approved_assessment(root, simple)
    result = first.results.first()
    with pytest.raises(ValidationError, match="không sửa được"):
        services.assessment_override(actor=root, result=result, level="type_1", reason="x")
    with pytest.raises(ValidationError, match="đề xuất"):
        services.assessment_approve(actor=root, assessment=first)


def test_at_most_one_approved_assessment_per_year_and_rule_set(world, root, simple):
    first = approved_assessment(root, simple)
    second = services.assessment_run(actor=root, rule_set=simple, year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=second.pk).update(status=AssessmentStatus.APPROVED)
    assert first.status == AssessmentStatus.APPROVED


def test_a_draft_rule_set_cannot_be_approved(world, root):
    draft = cases_only_ruleset(root, code="TEST-DRAFT", status="draft")
    assessment = services.assessment_run(actor=root, rule_set=draft, year=YEAR)
    with pytest.raises(ValidationError, match="dự thảo"):
        services.assessment_approve(actor=root, assessment=assessment)


def test_replacing_a_rule_set_keeps_the_snapshot_of_past_runs(world, root, simple):
    assessment = services.assessment_run(actor=root, rule_set=simple, year=YEAR)
    data = selectors.ruleset_export_data(simple)
    data["levels"][0]["criteria"][0]["threshold"] = "10"
    services.ruleset_import(actor=root, content=json.dumps(data), replace=True)
    assessment.refresh_from_db()
    assert assessment.spec.level("type_1").criteria[0].threshold == Decimal("3")
    assert assessment.ruleset_version == 1
    assert RuleSet.objects.get(pk=simple.pk).version == 2


def test_table_compares_with_the_previous_approved_year(world, root, province_staff, simple):
    add_cases(root, world.commune_a, 3, detected_on=dt.date(2024, 2, 1))
    approved_assessment(root, simple, year=2024)
    from .helpers import close_case

    for case in world.commune_a.case_files.all()[:2]:
        close_case(case, dt.date(2024, 12, 1))
    current = approved_assessment(root, simple, year=2025)
    table = selectors.classification_table(user=province_staff, assessment=current)
    rows = {row.result.commune_id: row for row in table.rows}
    assert rows[world.commune_a.pk].previous.final_level == "type_1"
    assert rows[world.commune_a.pk].result.final_level == rules.HAS_PROBLEMS
    assert rows[world.commune_a.pk].trend == "down"
    assert rows[world.commune_b.pk].trend == "same"
    counts = {c.code: c.count for c in table.counts}
    assert counts == {"type_1": 0, rules.HAS_PROBLEMS: 1, "drug_free": 1, rules.UNDETERMINED: 0}
    filtered = selectors.classification_table(user=province_staff, assessment=current, level="drug_free")
    assert [r.result.commune for r in filtered.rows] == [world.commune_b]
    assert filtered.total == 2


def test_officers_see_only_their_commune_and_only_published_results(world, root, officer_a, simple):
    proposal = services.assessment_run(actor=root, rule_set=simple, year=YEAR)
    assert not selectors.results_visible_to(officer_a).exists()
    services.assessment_approve(actor=root, assessment=proposal)
    visible = selectors.results_visible_to(officer_a)
    assert list(visible.values_list("commune", flat=True)) == [world.commune_a.pk]
    history = selectors.commune_history(user=officer_a, commune=world.commune_b)
    assert history == []


# --- key routes ---------------------------------------------------------------------------------------


def test_key_routes_are_audited_scoped_and_locked(world, province_staff):
    route = services.keyroute_create(
        actor=province_staff, data={"commune": world.commune_a, "year": YEAR, "name": "Quốc lộ 2", "kind": "road"}
    )
    assert AuditLogEntry.objects.get(action=services.KEYROUTE_CREATE).area == world.commune_a
    updated = services.keyroute_update(
        actor=province_staff, route=route, data={"name": "Quốc lộ 2 (đoạn Hàm Yên)"}, expected_version=1
    )
    assert updated.version == 2
    with pytest.raises(StaleObjectError):
        services.keyroute_update(actor=province_staff, route=route, data={"name": "Khác"}, expected_version=1)
    with pytest.raises(ValidationError):
        services.keyroute_create(
            actor=province_staff, data={"commune": world.former_a, "year": YEAR, "name": "Sông Lô", "kind": "waterway"}
        )
    services.keyroute_delete(actor=province_staff, route=route)
    assert not KeyRoute.objects.exists()
    assert AuditLogEntry.objects.filter(action=services.KEYROUTE_DELETE).exists()


def test_officers_cannot_edit_key_routes(world, officer_a):
    with pytest.raises(PermissionDenied):
        services.keyroute_create(actor=officer_a, data={"commune": world.commune_a, "year": YEAR, "name": "QL2"})


def test_results_are_never_created_for_former_communes(world, root, simple):
    assessment = services.assessment_run(actor=root, rule_set=simple, year=2019)
    assert not AssessmentResult.objects.filter(assessment=assessment, commune=world.former_a).exists()
    assert assessment.results.count() == 2
