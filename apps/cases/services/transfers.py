"""Transfer of residence: the file closes here and continues in the receiving commune."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.registry import ensure_unlocked

from .. import stocks
from ..choices import CloseReason, EventKind, Status
from ..models import CaseEvent, CaseFile
from ._common import _ensure_open, _lock, _next_file_number, _snapshot, refresh_due
from .timeline import EventInput


@transaction.atomic
def case_transfer(*, actor, case: CaseFile, to_commune: AdministrativeUnit, data: EventInput) -> CaseFile:
    """Transfer of residence: this commune's file is closed and a new one opens in the receiving
    commune, linked to it, carrying the status. Both files keep their own history."""
    scoping.ensure_can(actor, "change", case)
    case = _lock(case, None)
    _ensure_open(case)
    if not scoping.is_current_commune(to_commune) or to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": _("Hãy chọn một xã, phường hiện hành khác.")})
    if data.event_date > today() or data.event_date < (case.status_since or case.detected_on):
        raise ValidationError({"event_date": _("Ngày chuyển không hợp lệ.")})
    ensure_unlocked(commune=[case.commune, to_commune], day=data.event_date)
    before = _snapshot(case)
    status, whereabouts = case.status, case.whereabouts
    CaseEvent.objects.create(
        case_file=case,
        kind=EventKind.TRANSFER,
        event_date=data.event_date,
        notes=data.notes,
        other_unit=to_commune,
        from_status=status,
        to_status=Status.CLOSED,
        created_by=actors.user_or_none(actor),
        legal_basis="Luật PCMT 2025 (thông báo 24 giờ)",
    )
    case.status, case.closed_on, case.close_reason = Status.CLOSED, data.event_date, CloseReason.TRANSFERRED
    case.version += 1
    refresh_due(case)
    case.save()
    new_case = CaseFile.objects.create(
        person=case.person,
        commune=to_commune,
        file_number=_next_file_number(to_commune, data.event_date.year),
        case_type=case.case_type,
        status=status,
        whereabouts=whereabouts,
        use_method=case.use_method,
        first_use_date=case.first_use_date,
        detected_on=case.detected_on,
        helper_name="",
        criminal_record=case.criminal_record,
        administrative_sanctions=case.administrative_sanctions,
        transferred_from=case,
        created_by=actors.user_or_none(actor),
    )
    new_case.substances.set(case.substances.all())
    CaseEvent.objects.create(
        case_file=new_case,
        kind=EventKind.TRANSFER,
        event_date=data.event_date,
        notes=data.notes,
        other_unit=case.commune,
        to_status=status,
        whereabouts=whereabouts,
        created_by=actors.user_or_none(actor),
        legal_basis="Luật PCMT 2025 (thông báo 24 giờ)",
    )
    refresh_due(new_case)
    new_case.save()
    stocks.rebuild([case.pk, new_case.pk])
    audit_record(
        actor=actor,
        action="cases.casefile.transfer",
        obj=case,
        area=case.commune,
        before=before,
        after=_snapshot(case),
        message=f"→ {to_commune}",
    )
    audit_record(
        actor=actor,
        action="cases.casefile.transfer_in",
        obj=new_case,
        area=to_commune,
        after=_snapshot(new_case),
        message=f"← {case.commune}",
    )
    return new_case
