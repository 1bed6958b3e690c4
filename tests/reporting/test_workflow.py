"""Submission workflow: submit → return with reason → resubmit → approve (audited); the approved
period is locked (``ensure_unlocked``) and ``figures_for`` returns the locked snapshot even after
the live data changed; reopening needs a reason; scope and roles are enforced."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.audit.models import AuditLogEntry
from apps.cases import stocks
from apps.cases.models import CaseEvent, CaseFile
from apps.core.locking import StaleObjectError
from apps.reporting import actions, locks, services
from apps.reporting.models import Submission, SubmissionStatus
from apps.reporting.periods import PeriodKind, period_get
from tests.factories.cases import advance, make_case

from .helpers import build_province


@pytest.fixture
def q1(db):
    return period_get(PeriodKind.QUARTER, 2026, 1)


@pytest.fixture
def province(world, officer_a, officer_b, province_staff):
    return build_province(world, officer_a, officer_b, province_staff)


def _audit(action):
    return list(AuditLogEntry.objects.filter(action=action).order_by("pk"))


def test_full_cycle_is_audited(world, province, q1, officer_a, province_staff):
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1, note="Báo cáo quý I")
    assert sub.status == SubmissionStatus.SUBMITTED and sub.submit_count == 1
    assert sub.snapshot["indicators"]["people_total"] == 3
    assert sub.snapshot["breakdowns"]["total"] == 3
    with pytest.raises(ValidationError):  # reason required
        services.submission_return(actor=province_staff, submission=sub, reason="  ")
    sub = services.submission_return(actor=province_staff, submission=sub, reason="Thiếu số liệu cai nghiện tại cơ sở")
    assert sub.status == SubmissionStatus.RETURNED and "cai nghiện" in sub.return_reason
    with pytest.raises(ValidationError):  # nothing to approve
        services.submission_approve(actor=province_staff, submission=sub)
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    assert sub.submit_count == 2
    sub = services.submission_approve(actor=province_staff, submission=sub)
    assert sub.status == SubmissionStatus.APPROVED and sub.reviewed_by == province_staff
    submits = _audit(actions.SUBMISSION_SUBMIT)
    assert len(submits) == 2 and submits[0].area == world.commune_a and submits[0].actor == officer_a
    assert submits[1].after["indicators"]["people_total"] == 3
    (returned,) = _audit(actions.SUBMISSION_RETURN)
    assert returned.message == "Thiếu số liệu cai nghiện tại cơ sở" and returned.actor == province_staff
    (approved,) = _audit(actions.SUBMISSION_APPROVE)
    assert approved.before["status"] == "submitted" and approved.after["status"] == "approved"


def test_submit_rules(world, q1, officer_a, officer_b, province_staff, steering_a):
    with pytest.raises(PermissionDenied):  # another commune's officer
        services.submission_submit(actor=officer_b, commune=world.commune_a, period=q1)
    with pytest.raises(PermissionDenied):  # province staff review, they do not submit
        services.submission_submit(actor=province_staff, commune=world.commune_a, period=q1)
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=steering_a, commune=world.commune_a, period=q1)
    future = period_get(PeriodKind.YEAR, world.today.year + 1)
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        services.submission_submit(actor=officer_a, commune=world.commune_a, period=future)
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    with pytest.raises(ValidationError, match="chờ tỉnh duyệt"):
        services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    with pytest.raises(PermissionDenied):  # an officer cannot approve their own report
        services.submission_approve(actor=officer_a, submission=sub)
    assert not AuditLogEntry.objects.filter(action=actions.SUBMISSION_APPROVE).exists()


def test_stale_review_refused(world, q1, officer_a, province_staff):
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    stale = Submission.objects.get(pk=sub.pk)
    services.submission_return(actor=province_staff, submission=sub, reason="Sai số vụ án")
    services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    with pytest.raises(StaleObjectError):
        services.submission_approve(actor=province_staff, submission=stale)


def test_locked_period_refuses_changes_and_keeps_snapshot(world, province, q1, officer_a, province_staff):
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    services.submission_approve(actor=province_staff, submission=sub)
    with pytest.raises(ValidationError) as exc:
        locks.ensure_unlocked(commune=world.commune_a, day=dt.date(2026, 2, 3))
    message = exc.value.messages[0]
    assert "Quý I năm 2026" in message and "03/02/2026" in message and "mở lại kỳ" in message
    assert "đã được phê duyệt và khóa" in message
    # outside the window, another commune, a range touching the window
    locks.ensure_unlocked(commune=world.commune_a, day=dt.date(2026, 3, 15))
    locks.ensure_unlocked(commune=world.commune_b, day=dt.date(2026, 2, 3))
    with pytest.raises(ValidationError):
        locks.ensure_unlocked(
            commune=[world.commune_b, world.commune_a.pk], day=dt.date(2026, 3, 1), until=dt.date(2026, 4, 1)
        )
    locks.ensure_unlocked(commune=world.commune_a, day=None)

    before = services.figures_for(user=province_staff, unit=world.commune_a, period=q1)
    assert before.source == "locked" and before.values["people_total"] == 3
    # Live data changes afterwards behind the lock's back (the services refuse it, so the record is
    # moved into the window with raw updates, as a database correction would).
    late = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 3, 20))
    CaseFile.objects.filter(pk=late.pk).update(detected_on=dt.date(2026, 2, 2))
    CaseEvent.objects.filter(case_file=late).update(event_date=dt.date(2026, 2, 2))
    stocks.rebuild([late.pk])  # what ``manage.py rebuild_stocks`` does after such a correction
    after = services.figures_for(user=province_staff, unit=world.commune_a, period=q1)
    assert after.locked and after.values["people_total"] == 3 and after.values["people_new"] == 3
    assert after.breakdowns["total"] == 3
    live_b = services.figures_for(user=province_staff, unit=world.commune_b, period=q1)
    assert live_b.source == "live"
    province_figures = services.figures_for(user=province_staff, unit=world.province, period=q1)
    assert province_figures.source == "mixed" and province_figures.values["people_total"] == 6
    assert province_figures.locked_commune_ids == [world.commune_a.pk]


def test_reopen_needs_a_reason_and_unlocks(world, province, q1, officer_a, province_staff):
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    sub = services.submission_approve(actor=province_staff, submission=sub)
    with pytest.raises(ValidationError):
        services.period_reopen(actor=province_staff, submission=sub, reason="")
    with pytest.raises(PermissionDenied):
        services.period_reopen(actor=officer_a, submission=sub, reason="Muốn sửa số liệu")
    sub = services.period_reopen(actor=province_staff, submission=sub, reason="Xã phát hiện sót một hồ sơ tháng 2")
    assert sub.status == SubmissionStatus.RETURNED and "sót một hồ sơ" in sub.return_reason
    locks.ensure_unlocked(commune=world.commune_a, day=dt.date(2026, 2, 3))
    (entry,) = _audit(actions.SUBMISSION_REOPEN)
    assert entry.message == "Xã phát hiện sót một hồ sơ tháng 2" and entry.before["status"] == "approved"
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 2, 2))
    case = advance(officer_a, case, "positive_test", dt.date(2026, 2, 3))
    advance(officer_a, case, "management_decision", dt.date(2026, 2, 4), decision_number="1/QĐ")
    assert services.figures_for(user=province_staff, unit=world.commune_a, period=q1).values["people_total"] == 4
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    assert sub.snapshot["indicators"]["people_total"] == 4


def test_figures_for_scope(world, q1, officer_a, steering_a, province_staff):
    with pytest.raises(Http404):
        services.figures_for(user=officer_a, unit=world.commune_b, period=q1)
    with pytest.raises(Http404):
        services.figures_for(user=steering_a, unit=world.province, period=q1)
    from tests.factories.accounts import UserFactory

    no_role = UserFactory(username="norole_fig", area=world.commune_a)
    with pytest.raises(PermissionDenied):
        services.figures_for(user=no_role, unit=world.commune_a, period=q1)
    figures = services.figures_for(user=officer_a, unit=world.commune_a, period=q1)
    assert figures.commune_ids == [world.commune_a.pk] and figures.submission is None
    province_ids = services.figures_for(user=province_staff, unit=world.province, period=q1).commune_ids
    assert set(province_ids) == {world.commune_a.pk, world.commune_b.pk}


def test_figures_table_per_commune(world, province, q1, officer_a, province_staff):
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    services.submission_approve(actor=province_staff, submission=sub)
    table = services.figures_table(user=province_staff, unit=world.province, period=q1)
    assert table.rows[world.commune_a.pk].locked and not table.rows[world.commune_b.pk].locked
    assert table.total["people_total"] == 6 and table.source == "mixed"
