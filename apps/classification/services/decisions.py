"""Decisions on a proposal: a commune's level overridden with a reason, and the approval that
supersedes the previous approved assessment (append-only history)."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core import actors, scoping
from apps.core.collation import vi_order

from .. import rules, selectors
from ..choices import AssessmentStatus, RuleSetStatus
from ..models import Assessment, AssessmentResult
from ._common import ASSESSMENT_APPROVE, ASSESSMENT_SUPERSEDE, RESULT_OVERRIDE, _require, _require_province


@transaction.atomic
def assessment_override(*, actor, result: AssessmentResult, level: str, reason: str) -> AssessmentResult:
    """Set a commune's final level by decision, with a reason (required). Only while the assessment
    is a proposal: approved results are history and never change (re-run and approve instead)."""
    _require(actor, "classification.override_assessment")
    result = AssessmentResult.objects.select_for_update().select_related("assessment", "commune").get(pk=result.pk)
    if actors.is_user(actor) and not scoping.can(actor, "view", result):
        raise PermissionDenied(_("Xã, phường nằm ngoài phạm vi được giao."))
    assessment = result.assessment
    if assessment.status != AssessmentStatus.PROPOSED:
        raise ValidationError(
            _("Kết quả đã phê duyệt hoặc đã được thay thế thì không sửa được; hãy chạy lại phân loại rồi phê duyệt.")
        )
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Cần ghi lý do điều chỉnh (căn cứ, văn bản, số liệu bổ sung).")
    allowed = assessment.spec.outcome_codes()
    if level not in allowed:
        errors["level"] = _("Loại “%(level)s” không có trong bộ tiêu chí.") % {"level": level}
    if errors:
        raise ValidationError(errors)
    before = {"final_level": result.final_level, "override_reason": result.override_reason}
    result.final_level = level
    result.override_reason = reason
    result.overridden_by = actors.user_or_none(actor)
    result.overridden_at = timezone.now()
    result.save(update_fields=["final_level", "override_reason", "overridden_by", "overridden_at"])
    audit_record(
        actor=actor,
        action=RESULT_OVERRIDE,
        obj=result,
        area=result.commune,
        before=before,
        after={"final_level": level, "proposed_level": result.proposed_level, "override_reason": reason},
        message=reason,
    )
    return result


@transaction.atomic
def assessment_approve(*, actor, assessment: Assessment) -> Assessment:
    """Approve a proposal. The approved assessment of the same year and rule set, if any, becomes
    superseded (its status only: its results stay as they were, append-only history).

    Refused while a commune is undetermined for a gap the province can close (an app not
    installed, no key-route list: add it and re-run, or decide by override with a reason), and for
    a draft rule set. A commune undetermined only for lack of its OWN data (no evidence for the
    year, no population) is published as "chưa đủ số liệu" (issue 10 §2: no data is not zero).
    """
    _require(actor, "classification.approve_assessment")
    _require_province(actor, list(selectors.current_communes()))
    assessment = Assessment.objects.select_for_update().select_related("rule_set").get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.PROPOSED:
        raise ValidationError(_("Chỉ phê duyệt được kết quả đang ở trạng thái đề xuất."))
    if assessment.rule_set.status == RuleSetStatus.DRAFT:
        raise ValidationError(_("Bộ tiêu chí đang là dự thảo: chưa phê duyệt được kết quả theo bộ tiêu chí này."))
    undetermined = [
        name
        for name, explanation in vi_order(
            assessment.results.filter(final_level=rules.UNDETERMINED), "commune__name"
        ).values_list("commune__full_name", "explanation")
        if not rules.lacks_commune_data_only(explanation or {})
    ]
    if undetermined:
        shown = ", ".join(undetermined[:10]) + ("…" if len(undetermined) > 10 else "")
        raise ValidationError(
            _(
                "Còn %(n)s xã, phường chưa xác định được loại (%(names)s). Hãy bổ sung số liệu rồi chạy lại, "
                "hoặc điều chỉnh loại của từng xã kèm lý do."
            )
            % {"n": len(undetermined), "names": shown}
        )
    now = timezone.now()
    previous = (
        Assessment.objects.select_for_update()
        .filter(rule_set=assessment.rule_set, year=assessment.year, status=AssessmentStatus.APPROVED)
        .first()
    )
    if previous is not None:
        previous.status = AssessmentStatus.SUPERSEDED
        previous.superseded_by = assessment
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_by", "superseded_at"])
        audit_record(
            actor=actor,
            username="system",
            action=ASSESSMENT_SUPERSEDE,
            obj=previous,
            before={"status": AssessmentStatus.APPROVED},
            after={"status": AssessmentStatus.SUPERSEDED, "superseded_by": assessment.pk},
        )
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_by = actors.user_or_none(actor)
    assessment.approved_at = now
    assessment.save(update_fields=["status", "approved_by", "approved_at"])
    counts = Counter(assessment.results.values_list("final_level", flat=True))
    overridden = assessment.results.exclude(override_reason="").count()
    audit_record(
        actor=actor,
        username="system",
        action=ASSESSMENT_APPROVE,
        obj=assessment,
        before={"status": AssessmentStatus.PROPOSED},
        after={
            "status": AssessmentStatus.APPROVED,
            "levels": dict(counts),
            "overridden": overridden,
            "supersedes": previous.pk if previous else None,
        },
    )
    return assessment
