"""Figures of a unit for a period (locked or live), and the submission workflow that locks them.

Used by ``apps.reports``:

* ``figures_for(*, user, unit, period, with_breakdowns=True) -> Figures`` — the figures of ``unit``
  (a commune, or a province/district: every current commune under it that the user may see) for
  ``period``. A commune whose submission for the period is APPROVED contributes its LOCKED
  snapshot; the others are computed live (``indicators.compute``). ``Figures.source`` says which:
  "locked" (every commune locked), "live" (none) or "mixed". Raises ``Http404`` when the unit is
  outside the user's scope and ``PermissionDenied`` when the user may not read figures
  (``reporting.view_dashboard``).
* ``figures_table(*, user, unit, period) -> FiguresTable`` — the same per commune (one row per
  commune with its values, level and whether it is locked) plus the total; constant queries.
* ``Figures.values[code]`` / ``FiguresTable.rows[commune_id].values[code]`` — as ``indicators.INDICATORS``;
  ``FiguresTable.rows[commune_id]`` also has ``level``, ``level_label`` and ``locked``; ``FiguresTable``
  has ``total``, ``source`` and ``locked_commune_ids``.
* ``approved_submissions(*, period_ids, commune_ids)`` — the APPROVED submissions (with snapshots).
* ``current_communes_in(unit)`` — today's communes at or under a unit (queryset, NOT scoped).

Workflow (each step audited in the same transaction, ``apps.audit``):

* ``submission_submit(*, actor, commune, period, note="")`` — a commune officer of that commune
  freezes the commune's figures (every indicator + breakdowns) into the submission's snapshot;
  allowed once the period's window has ended, from "not submitted" or "returned".
* ``submission_return(*, actor, submission, reason)`` — province staff send it back; reason required.
* ``submission_approve(*, actor, submission)`` — province staff approve: the period is LOCKED for
  that commune (``locks.ensure_unlocked`` refuses changes dated inside its window).
* ``period_reopen(*, actor, submission, reason)`` — province staff unlock an approved submission
  (reason required); it goes back to "returned" so the commune corrects and resubmits.

Review steps compare the submission's ``version`` with the database row: a submission that
changed since the reviewer loaded it is refused (``StaleObjectError``) instead of approving figures
nobody looked at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.core import scoping
from apps.core.collation import vi_order
from apps.core.dates import today
from apps.core.locking import lock_for_update, person_name
from apps.core.lookups import Ids
from apps.core.prepared import prepared

from . import actions, demographics, figures, indicators
from .indicators import INDICATORS, Value
from .models import ReportingPeriod, Submission, SubmissionStatus

SNAPSHOT_FORMAT = "pcmt-reporting-snapshot/1"
VIEW_PERM = "reporting.view_dashboard"
SUBMIT_PERM = "reporting.submit_submission"
REVIEW_PERM = "reporting.review_submission"
MIN_REASON = 5


# --- scope ----------------------------------------------------------------------------------------


def current_communes_in(unit: AdministrativeUnit):
    """Today's communes at or under ``unit`` (a queryset, ordered by name)."""
    qs = AdministrativeUnit.objects.current().filter(level=Level.COMMUNE)
    if unit.level == Level.COMMUNE:
        qs = qs.filter(pk=unit.pk)
    else:
        qs = qs.filter(path__startswith=unit.path)
    return vi_order(qs, "name")


def scoped_commune_ids(user, unit: AdministrativeUnit | None = None) -> list[int]:
    """Ids of today's communes at or under ``unit`` (default: the user's whole scope) that the user
    may read figures of (``scoping.commune_ids_in_scope``: 404 out of scope, 403 without the permission)."""
    return scoping.commune_ids_in_scope(user, unit, perm=VIEW_PERM)


# --- snapshots ------------------------------------------------------------------------------------


def _json_value(value: Value) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def parse_values(data: dict[str, Any] | None) -> dict[str, Value]:
    """Indicator values from a snapshot (strings back to Decimal); codes it lacks read as None."""
    data = data or {}
    values: dict[str, Value] = {}
    for code, definition in INDICATORS.items():
        raw = data.get(code)
        try:
            values[code] = definition.quantize(raw) if raw is not None else None
        except (InvalidOperation, ValueError, TypeError):
            values[code] = None
    return values


def build_snapshot(*, commune: AdministrativeUnit, period: ReportingPeriod) -> dict[str, Any]:
    """Every indicator and breakdown of one commune for the period, JSON-ready (counts only)."""
    table = indicators.compute(commune_ids=[commune.pk], start=period.start, end=period.end)
    values = table.by_commune[commune.pk]
    level = table.levels.get(commune.pk, "")
    return {
        "format": SNAPSHOT_FORMAT,
        "period": {
            "kind": period.kind,
            "year": period.year,
            "number": period.number,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
        },
        "commune": {"id": commune.pk, "code": commune.code, "name": commune.full_name},
        "computed_at": timezone.now().isoformat(),
        "indicators": {code: _json_value(v) for code, v in values.items()},
        "breakdowns": demographics.breakdowns(commune_ids=[commune.pk], end=period.end),
        "level": {"code": level, "label": table.level_labels.get(level, "")},
        "assessment": table.assessment,
        "missing": table.missing,
    }


# --- figures --------------------------------------------------------------------------------------


@dataclass
class CommuneFigures:
    commune_id: int
    values: dict[str, Value]
    level: str = ""
    level_label: str = ""
    locked: bool = False


@dataclass
class FiguresTable:
    period: ReportingPeriod
    rows: dict[int, CommuneFigures]
    total: dict[str, Value]
    locked_commune_ids: list[int] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    assessment: dict[str, Any] | None = None

    @property
    def source(self) -> str:
        if not self.rows:
            return "live"
        if len(self.locked_commune_ids) == len(self.rows):
            return "locked"
        return "mixed" if self.locked_commune_ids else "live"


@dataclass
class Figures:
    unit: AdministrativeUnit
    period: ReportingPeriod
    values: dict[str, Value]
    breakdowns: dict[str, Any]
    source: str
    commune_ids: list[int]
    locked_commune_ids: list[int]
    submission: Submission | None = None
    level: str = ""
    level_label: str = ""
    missing: dict[str, str] = field(default_factory=dict)
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def locked(self) -> bool:
        return self.source == "locked"


def approved_submissions(*, period_ids: Iterable[int], commune_ids: Iterable[int]) -> list[Submission]:
    return _approved(period_ids=Ids(list(period_ids)), commune_ids=Ids(list(commune_ids)))


@prepared
def _approved(*, period_ids: Ids, commune_ids: Ids):
    return Submission.objects.filter(
        period_id__in_ids=period_ids, commune_id__in_ids=commune_ids, status=SubmissionStatus.APPROVED
    ).only("pk", "period_id", "commune_id", "status", "snapshot", "version")


def _table(period: ReportingPeriod, ids: list[int], approved: dict[int, Submission]) -> FiguresTable:
    live_ids = [i for i in ids if i not in approved]
    rows: dict[int, CommuneFigures] = {}
    live_total: dict[str, Value] | None = None
    missing: dict[str, str] = {}
    assessment = None
    if live_ids:
        table = figures.compute_many(commune_ids=live_ids, windows=[(period.start, period.end)])[0]
        missing, assessment = table.missing, table.assessment
        live_total = table.total
        for cid in live_ids:
            level = table.levels.get(cid, "")
            rows[cid] = CommuneFigures(cid, table.by_commune[cid], level, table.level_labels.get(level, ""))
    for cid, submission in approved.items():
        snap = submission.snapshot or {}
        level = (snap.get("level") or {}).get("code", "")
        rows[cid] = CommuneFigures(
            cid,
            parse_values(snap.get("indicators")),
            level,
            (snap.get("level") or {}).get("label", ""),
            locked=True,
        )
        assessment = assessment or snap.get("assessment")
    parts = [rows[cid].values for cid in approved]
    if live_total is not None:
        parts.append(live_total)
    total = indicators.totals_of(parts, missing=missing)
    ordered = {cid: rows[cid] for cid in ids}
    return FiguresTable(period, ordered, total, sorted(approved), missing, assessment)


def figures_table(*, user, unit: AdministrativeUnit | None, period: ReportingPeriod) -> FiguresTable:
    """Per-commune figures (locked where approved, live otherwise) and their total."""
    ids = scoped_commune_ids(user, unit)
    approved = {s.commune_id: s for s in approved_submissions(period_ids=[period.pk], commune_ids=ids)}
    return _table(period, ids, approved)


def figures_for(*, user, unit: AdministrativeUnit, period: ReportingPeriod, with_breakdowns: bool = True) -> Figures:
    """The unit's figures for the period (see the module docstring)."""
    ids = scoped_commune_ids(user, unit)
    approved = {s.commune_id: s for s in approved_submissions(period_ids=[period.pk], commune_ids=ids)}
    table = _table(period, ids, approved)
    parts_breakdowns: dict[str, Any] = {}
    if with_breakdowns:
        live_ids = [i for i in ids if i not in approved]
        parts = [(s.snapshot or {}).get("breakdowns") or {} for s in approved.values()]
        if live_ids:
            parts.append(figures.breakdowns(commune_ids=live_ids, end=period.end))
        parts_breakdowns = demographics.merge_breakdowns(parts, period.end)
    submission = None
    level = level_label = ""
    if unit.level == Level.COMMUNE and ids:
        submission = Submission.objects.filter(period=period, commune=unit).first()
        row = table.rows.get(unit.pk)
        if row:
            level, level_label = row.level, row.level_label
    return Figures(
        unit=unit,
        period=period,
        values=table.total,
        breakdowns=parts_breakdowns,
        source=table.source,
        commune_ids=ids,
        locked_commune_ids=table.locked_commune_ids,
        submission=submission,
        level=level,
        level_label=level_label,
        missing=table.missing,
    )


# --- workflow -------------------------------------------------------------------------------------


def _require_scope(actor, commune: AdministrativeUnit) -> None:
    if not scoping.unit_in_scope(actor, commune):
        raise PermissionDenied(_("Xã, phường nằm ngoài phạm vi được giao."))


def _audit_state(submission: Submission) -> dict[str, Any]:
    return {
        "period": submission.period.label,
        "commune": submission.commune_id,
        "status": submission.status,
        "version": submission.version,
        "submit_count": submission.submit_count,
        "return_reason": submission.return_reason,
    }


def _reason(reason: str, what: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {"reason": _("Phải ghi rõ lý do %(what)s (ít nhất %(min)s ký tự).") % {"what": what, "min": MIN_REASON}}
        )
    return reason


def _stale_submission(locked: Submission, expected_version: int) -> str:
    # the last one who acted on it: the reviewer after a review, else the submitter
    reviewed_last = locked.reviewed_at and (not locked.submitted_at or locked.reviewed_at >= locked.submitted_at)
    who = locked.reviewed_by if reviewed_last else locked.submitted_by
    return _(
        "Số liệu của xã đã thay đổi sau khi bạn mở trang (phiên bản %(seen)s → %(now)s%(who)s). "
        "Hãy tải lại trang, xem lại số liệu rồi thao tác lại."
    ) % {"seen": expected_version, "now": locked.version, "who": ", " + person_name(who) if who else ""}


def _lock_row(submission: Submission, expected_version: int | None) -> Submission:
    return lock_for_update(
        submission,
        expected_version,
        queryset=Submission.objects.select_related("period", "commune"),
        message=_stale_submission,
    )


def _save_step(
    actor,
    submission: Submission,
    before: dict[str, Any],
    *,
    action: str,
    message: str,
    frozen: dict[str, Any] | None = None,
) -> Submission:
    """Save a workflow step as a new version (a page opened before it is then stale), audited with
    the state before and after (and ``frozen``: the figures a submission froze)."""
    submission.version += 1
    submission.save()
    audit_record(
        actor=actor,
        action=action,
        obj=submission,
        area=submission.commune,
        before=before,
        after={**_audit_state(submission), **(frozen or {})},
        message=message,
    )
    return submission


@transaction.atomic
def submission_submit(*, actor, commune: AdministrativeUnit, period: ReportingPeriod, note: str = "") -> Submission:
    """Freeze the commune's figures for the period and send them to the province."""
    scoping.require(actor, SUBMIT_PERM, _("Tài khoản không có quyền nộp số liệu kỳ báo cáo."))
    if not scoping.is_current_commune(commune):
        raise ValidationError({"commune": _("Chỉ xã, phường hiện hành mới nộp số liệu.")})
    _require_scope(actor, commune)
    if today() <= period.end:
        raise ValidationError(
            _("Kỳ %(period)s chưa kết thúc (số liệu đến hết ngày %(end)s) nên chưa thể nộp.")
            % {"period": period.label, "end": f"{period.end:%d/%m/%Y}"}
        )
    # One submitter at a time; NO KEY so that foreign-key checks of rows citing the commune (audit
    # rows of other requests) are not blocked (see cases.services._common._next_file_number).
    AdministrativeUnit.objects.select_for_update(no_key=True).filter(pk=commune.pk).exists()
    submission, _created = Submission.objects.get_or_create(period=period, commune=commune)
    submission = _lock_row(submission, None)
    before = _audit_state(submission)
    if submission.status == SubmissionStatus.APPROVED:
        raise ValidationError(
            _("Số liệu %(period)s của %(commune)s đã được phê duyệt và khóa.")
            % {"period": period.label, "commune": commune}
        )
    if submission.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(
            _("Số liệu %(period)s đã nộp, đang chờ tỉnh duyệt; muốn sửa hãy đề nghị tỉnh trả lại.")
            % {"period": period.label}
        )
    submission.snapshot = build_snapshot(commune=commune, period=period)
    submission.status = SubmissionStatus.SUBMITTED
    submission.note = (note or "").strip()
    submission.submitted_by, submission.submitted_at = actor, timezone.now()
    submission.submit_count += 1
    return _save_step(
        actor,
        submission,
        before,
        action=actions.SUBMISSION_SUBMIT,
        message=_("%(period)s – lần nộp thứ %(count)s") % {"period": period.label, "count": submission.submit_count},
        frozen={"indicators": submission.snapshot["indicators"]},
    )


@dataclass(frozen=True)
class _Review:
    """A review step of the province: the status it starts from, the one it leaves, its audit
    action and the refusal when the submission is elsewhere (translated when refused)."""

    source: str
    target: str
    action: str
    refusal: Any


_RETURN = _Review(
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.RETURNED,
    actions.SUBMISSION_RETURN,
    gettext_lazy("Chỉ trả lại được số liệu đã nộp và đang chờ duyệt."),
)
_APPROVE = _Review(
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.APPROVED,
    actions.SUBMISSION_APPROVE,
    gettext_lazy("Chỉ phê duyệt được số liệu đã nộp và đang chờ duyệt."),
)
_REOPEN = _Review(
    SubmissionStatus.APPROVED,
    SubmissionStatus.RETURNED,
    actions.SUBMISSION_REOPEN,
    gettext_lazy("Chỉ mở lại được kỳ đã phê duyệt (đang khóa)."),
)


def _review(
    step: _Review,
    actor,
    submission: Submission,
    expected_version: int | None,
    *,
    message: Callable[[Submission], str],
    return_reason: str | None = None,
) -> Submission:
    """Take the step on the submission locked at the version the reviewer saw; ``message(locked)``
    is the audit row's message."""
    scoping.require(actor, REVIEW_PERM, _("Tài khoản không có quyền duyệt số liệu kỳ báo cáo."))
    _require_scope(actor, submission.commune)
    submission = _lock_row(submission, expected_version if expected_version is not None else submission.version)
    if submission.status != step.source:
        raise ValidationError(str(step.refusal))
    before = _audit_state(submission)
    submission.status = step.target
    if return_reason is not None:
        submission.return_reason = return_reason
    submission.reviewed_by, submission.reviewed_at = actor, timezone.now()
    return _save_step(actor, submission, before, action=step.action, message=message(submission))


@transaction.atomic
def submission_return(
    *, actor, submission: Submission, reason: str, expected_version: int | None = None
) -> Submission:
    """Send a submitted report back to the commune, with the reason."""
    reason = _reason(reason, _("trả lại"))
    return _review(_RETURN, actor, submission, expected_version, return_reason=reason, message=lambda locked: reason)


@transaction.atomic
def submission_approve(*, actor, submission: Submission, expected_version: int | None = None) -> Submission:
    """Approve a submitted report: its snapshot becomes the official figures and the period is
    locked for the commune."""
    return _review(
        _APPROVE,
        actor,
        submission,
        expected_version,
        message=lambda locked: (
            _("%(period)s: khóa số liệu %(window)s")
            % {"period": locked.period.label, "window": locked.period.window_label}
        ),
    )


@transaction.atomic
def period_reopen(*, actor, submission: Submission, reason: str, expected_version: int | None = None) -> Submission:
    """Unlock an approved submission (reason required): back to "returned" for the commune."""
    reason = _reason(reason, _("mở lại kỳ"))
    return_reason = _("Mở lại kỳ: %(reason)s") % {"reason": reason}
    return _review(
        _REOPEN, actor, submission, expected_version, return_reason=return_reason, message=lambda locked: reason
    )
