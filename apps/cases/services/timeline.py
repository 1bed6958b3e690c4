"""The dated entries of a file's timeline: legal transitions, free events (visits, notes…), and
the voiding or correcting of an entry recorded by mistake."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.registry import ensure_unlocked

from .. import workflow
from ..choices import CloseReason, EventKind, Status, Whereabouts
from ..models import CaseEvent, CaseFile
from ._common import FREE_EVENTS, _ensure_open, _lock, _save_and_derive, _snapshot, load_clock


@dataclass
class EventInput:
    event_date: dt.date
    decision_number: str = ""
    decision_date: dt.date | None = None
    signer: str = ""
    facility: str = ""
    result: str = ""
    end_date: dt.date | None = None
    notes: str = ""
    close_reason: str = ""
    whereabouts: str = ""


@transaction.atomic
def case_transition(
    *, actor, case: CaseFile, code: str, data: EventInput, expected_version: int | None = None
) -> CaseEvent:
    """Move a file to another status along an allowed transition, recording the dated event with
    its legal basis. Illegal moves raise ``ValidationError`` with a Vietnamese message."""
    scoping.ensure_can(actor, "transition", case)
    case = _lock(case, expected_version)
    transition = workflow.TRANSITIONS_BY_CODE.get(code)
    if transition is None:
        raise ValidationError(_("Thao tác không hợp lệ."))
    if case.close_reason == CloseReason.TRANSFERRED:
        # The person's file lives on in the receiving commune; reopening here would make two open files.
        raise ValidationError(
            _("Hồ sơ đã chuyển sang xã khác: mọi thao tác tiếp theo thực hiện trên hồ sơ ở xã nhận."),
            code="transition",
        )
    clock = load_clock()
    try:
        workflow.check_transition(
            transition,
            status=case.status,
            event_date=data.event_date,
            today=today(),
            status_since=case.status_since,
            period_end=case.period_end,
            closed_on=case.closed_on,
            clock=clock,
            current_close_reason=case.close_reason,
            decision_number=data.decision_number,
            facility=data.facility,
            end_date=data.end_date,
            close_reason=data.close_reason,
            age=workflow.age_range(case.person.date_of_birth, case.person.birth_year, data.event_date),
        )
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc), code="transition") from exc
    ensure_unlocked(commune=case.commune, day=data.event_date)
    before = _snapshot(case)
    event = CaseEvent.objects.create(
        case_file=case,
        kind=transition.event,
        event_date=data.event_date,
        end_date=data.end_date,
        decision_number=data.decision_number,
        decision_date=data.decision_date,
        signer=data.signer,
        facility=data.facility,
        result=data.result or transition.result,
        notes=data.notes,
        from_status=case.status,
        to_status=transition.target,
        whereabouts=transition.whereabouts,
        legal_basis=transition.legal_basis,
        created_by=actors.user_or_none(actor),
    )
    case.status = transition.target
    if transition.case_type:
        case.case_type = transition.case_type
    if transition.whereabouts:
        case.whereabouts = transition.whereabouts
    if transition.target == Status.CLOSED:
        case.closed_on = data.event_date
        case.close_reason = transition.close_reason or data.close_reason or CloseReason.OTHER
        if case.close_reason == CloseReason.DEATH:
            event.kind = EventKind.DEATH
            event.save(update_fields=["kind"])
    elif transition.code == "reopen":
        case.closed_on, case.close_reason = None, ""
    case.version += 1
    _save_and_derive(case, clock)
    audit_record(
        actor=actor,
        action="cases.casefile.transition",
        obj=case,
        area=case.commune,
        before=before,
        after=_snapshot(case),
        message=f"{transition.label} ({transition.legal_basis})",
    )
    return event


@transaction.atomic
def case_add_event(*, actor, case: CaseFile, kind: str, data: EventInput) -> CaseEvent:
    """Record a visit, note, violation, relapse or change of whereabouts (no status change)."""
    scoping.ensure_can(actor, "change", case)
    case = _lock(case, None)
    event = _record_free_event(actor=actor, case=case, kind=kind, data=data)
    audit_record(
        actor=actor,
        action=f"cases.casefile.event_{kind}",
        obj=case,
        area=case.commune,
        after={"event": kind, "date": data.event_date, "notes": data.notes, "version": case.version},
    )
    return event


def _record_free_event(
    *, actor, case: CaseFile, kind: str, data: EventInput, replaces: CaseEvent | None = None
) -> CaseEvent:
    """The checks and writes of a free event on a file the caller has locked and may change."""
    if kind not in FREE_EVENTS:
        raise ValidationError(_("Loại sự kiện không hợp lệ."))
    _ensure_open(case)
    if data.event_date > today():
        raise ValidationError({"event_date": _("Ngày sự kiện không được sau ngày hôm nay.")})
    if data.event_date < case.detected_on:
        raise ValidationError({"event_date": _("Ngày sự kiện không được trước ngày lập hồ sơ.")})
    if kind == EventKind.WHEREABOUTS and data.whereabouts not in Whereabouts.values:
        raise ValidationError({"whereabouts": _("Hãy chọn nơi ở hiện nay.")})
    # An approved period is closed for every dated entry, not only those the indicators count today:
    # the signed report rests on the visits and notes recorded for it as much as on its figures.
    ensure_unlocked(commune=case.commune, day=data.event_date)
    event = CaseEvent.objects.create(
        case_file=case,
        kind=kind,
        event_date=data.event_date,
        result=data.result,
        notes=data.notes,
        facility=data.facility,
        whereabouts=data.whereabouts if kind == EventKind.WHEREABOUTS else "",
        created_by=actors.user_or_none(actor),
        replaces=replaces,
    )
    if kind == EventKind.WHEREABOUTS:
        case.whereabouts = data.whereabouts
    case.version += 1
    clock = load_clock()  # once for the due date and the stock spans
    _save_and_derive(case, clock)
    return event


# --- voiding and correcting a timeline entry (issue 12 §1) ----------------------------------------

#: The entries that may be voided: those an officer records freely, which change no legal state.
#: A legal step (test result, decision, rehab, closure…) moved the file's status and started its
#: legal clocks; striking it would leave a status without the act that caused it. Such a step is
#: corrected by its own reverse procedure (reopening, the next decision), which the law records.
VOIDABLE_EVENTS = FREE_EVENTS
VOID_REASON_MIN_LENGTH = 10


def _event_snapshot(event: CaseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "event_date": event.event_date.isoformat(),
        "result": event.result,
        "notes": event.notes,
        "whereabouts": event.whereabouts,
        "created_by": event.created_by_id,
    }


def may_void(user, event: CaseEvent, case: CaseFile) -> bool:
    """Whether to offer "Hủy / sửa" on this entry of a file the user already sees (no query: the
    service checks again against the database through ``scoping``)."""
    if event.voided_at or event.case_file_id != case.pk or event.kind not in VOIDABLE_EVENTS or not case.is_open:
        return False
    if scoping.has_action(user, CaseEvent, "void"):
        return True
    return event.created_by_id == user.pk and scoping.has_action(user, CaseFile, "change")


def _void(*, actor, case: CaseFile, event: CaseEvent, reason: str, expected_version: int | None) -> tuple:
    """Lock the file, check everything and mark the entry void; the caller finishes and audits."""
    if not scoping.can(actor, "view", case):
        raise Http404
    if event.case_file_id != case.pk:
        raise Http404  # an entry of another file (even one the user sees) is not this file's
    # Province staff (the role holds cases.void_caseevent, scoped to their area) or the author,
    # who still holds the right to change this file.
    if not (
        scoping.can(actor, "void", event) or (event.created_by_id == actor.pk and scoping.can(actor, "change", case))
    ):
        raise PermissionDenied
    case = _lock(case, expected_version)
    event = CaseEvent.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.voided_at:
        raise ValidationError(_("Mục này đã được hủy trước đó."), code="voided")
    if event.kind not in VOIDABLE_EVENTS:
        raise ValidationError(
            _(
                "“%(k)s” là một bước pháp lý đã làm thay đổi tình trạng hồ sơ, không hủy được tại đây. Hãy thực "
                "hiện thủ tục ngược lại theo quy định (ví dụ quyết định tiếp theo, mở lại hồ sơ), hoặc báo Công an "
                "tỉnh nếu ghi nhầm."
            )
            % {"k": event.get_kind_display()},
            code="legal_step",
        )
    _ensure_open(case)
    reason = " ".join((reason or "").split())
    if len(reason) < VOID_REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": _("Hãy ghi lý do hủy (ít nhất %(n)s ký tự).") % {"n": VOID_REASON_MIN_LENGTH}},
            code="reason",
        )
    # The figures of an approved period rest on the entries recorded for it, voided or not.
    ensure_unlocked(commune=case.commune, day=event.event_date)
    event.voided_at, event.voided_by, event.void_reason = timezone.now(), actor, reason
    event.save(update_fields=["voided_at", "voided_by", "void_reason"])
    if event.kind == EventKind.WHEREABOUTS:
        _restore_whereabouts(case, event)
    return case, event, reason


def _restore_whereabouts(case: CaseFile, voided: CaseEvent) -> None:
    """A voided change of whereabouts that set the file's current value gives it back the value
    of the latest entry still standing (the figures' spans follow from the events and this)."""
    standing = (
        CaseEvent.objects.filter(case_file=case, voided_at__isnull=True)
        .exclude(whereabouts="")
        .order_by("event_date", "pk")
        .last()
    )
    if case.whereabouts != voided.whereabouts:
        return  # the current value came from a later edit, not from this entry
    if standing is None or (standing.event_date, standing.pk) < (voided.event_date, voided.pk):
        case.whereabouts = standing.whereabouts if standing else case.whereabouts


@transaction.atomic
def case_void_event(
    *, actor, case: CaseFile, event: CaseEvent, reason: str, expected_version: int | None = None
) -> CaseEvent:
    """Void an entry recorded by mistake, with a reason: it stays in the timeline marked void,
    counts, deadlines and figures ignore it, and the audit log keeps it and its voiding."""
    case, event, reason = _void(actor=actor, case=case, event=event, reason=reason, expected_version=expected_version)
    case.version += 1
    _save_and_derive(case)
    audit_record(
        actor=actor,
        action="cases.casefile.event_void",
        obj=case,
        area=case.commune,
        before={"event": _event_snapshot(event)},
        after={"event_id": event.pk, "void_reason": reason, "version": case.version},
        message=_("Hủy “%(k)s” ngày %(d)s: %(r)s")
        % {"k": event.get_kind_display(), "d": f"{event.event_date:%d/%m/%Y}", "r": reason},
    )
    return event


@transaction.atomic
def case_correct_event(
    *,
    actor,
    case: CaseFile,
    event: CaseEvent,
    reason: str,
    data: EventInput,
    expected_version: int | None = None,
) -> CaseEvent:
    """Correct an entry: void it (with the reason) and record the corrected one in its place,
    linked to it (``replaces``), both in one transaction and one audit entry (before → after)."""
    case, event, reason = _void(actor=actor, case=case, event=event, reason=reason, expected_version=expected_version)
    new = _record_free_event(actor=actor, case=case, kind=event.kind, data=data, replaces=event)
    audit_record(
        actor=actor,
        action="cases.casefile.event_correct",
        obj=case,
        area=case.commune,
        before={"event": _event_snapshot(event)},
        after={"event": _event_snapshot(new), "void_reason": reason, "version": case.version},
        message=_("Sửa “%(k)s” ngày %(d)s: %(r)s")
        % {"k": event.get_kind_display(), "d": f"{event.event_date:%d/%m/%Y}", "r": reason},
    )
    return new
