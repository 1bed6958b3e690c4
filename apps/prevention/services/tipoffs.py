"""Writes of tip-offs (tin báo) and their informants, whose identity is read only through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.registry import ensure_unlocked
from apps.core.text import clean_name, normalize

from .. import actions
from ..choices import (
    TipOffChannel,
    TipOffStatus,
)
from ..models import (
    Informant,
    TipOff,
)
from ._common import _changed, _commune_error, _lock, _not_future, _raise, _text

# --- tip-offs ------------------------------------------------------------------------------------


@dataclass
class TipOffInput:
    received_on: dt.date | None
    channel: str
    commune: AdministrativeUnit | None
    summary: str
    status: str = TipOffStatus.RECEIVED
    result: str = ""
    crime_case_id: int | None = None
    hotspot_id: int | None = None
    received_by: Any = None


@dataclass
class InformantInput:
    full_name: str = ""
    phone: str = ""
    address: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(clean_name(v) for v in (self.full_name, self.phone, self.address))


TIPOFF_FIELDS = [
    "received_on",
    "channel",
    "commune",
    "summary",
    "status",
    "result",
    "crime_case_id",
    "hotspot_id",
    "received_by",
]
INFORMANT_FIELDS = ["full_name", "phone", "address"]


# The register links are foreign keys whose attribute names these fields use; ``model_to_dict``
# knows fields by name only and would drop them, so they are copied by hand under the keys the
# audit trail has always used.
_LINK_FIELDS = ("crime_case_id", "hotspot_id")


def _tipoff_snapshot(tip_off: TipOff) -> dict[str, Any]:
    # Never the informant: the audit log is read by people who may not see it.
    data = versioned_snapshot(tip_off, [f for f in TIPOFF_FIELDS if f not in _LINK_FIELDS])
    data.update({name: getattr(tip_off, name) for name in _LINK_FIELDS})
    return data


def _check_register_link(actor, model_name: str, pk: int | None, field_name: str, errors: dict) -> None:
    if not pk:
        return
    model = django_apps.get_model("registers", model_name)
    # The system may link any record (as it may write for any commune); a user, records in scope.
    records = model.objects.all() if actors.is_system(actor) else scoping.visible_to(model.objects.all(), actor)
    if not records.filter(pk=pk).exists():
        errors[field_name] = _("Không tìm thấy bản ghi số %(n)s trong sổ theo dõi thuộc phạm vi được giao.") % {
            "n": pk
        }


def _validate_tipoff(actor, data: TipOffInput, *, on: dt.date) -> None:
    errors: dict[str, Any] = {}
    if data.received_on is None:
        errors["received_on"] = _("Hãy ghi ngày tiếp nhận.")
    _not_future(errors, TipOff, "received_on", data.received_on, on)
    if data.channel not in TipOffChannel.values:
        errors["channel"] = _("Hãy chọn hình thức tiếp nhận.")
    if not _text(data.summary):
        errors["summary"] = _("Hãy ghi nội dung tin báo.")
    if data.status not in TipOffStatus.values:
        errors["status"] = _("Tình trạng xử lý không hợp lệ.")
    elif data.status not in (TipOffStatus.RECEIVED, TipOffStatus.VERIFYING) and not _text(data.result):
        errors["result"] = _("Tin báo đã xử lý, chuyển hoặc kết thúc: hãy ghi kết quả xử lý.")
    message = _commune_error(actor, data.commune)
    if message:
        errors["commune"] = message
    _check_register_link(actor, "CrimeCase", data.crime_case_id, "crime_case_id", errors)
    _check_register_link(actor, "Hotspot", data.hotspot_id, "hotspot_id", errors)
    _raise(errors)


def _apply_tipoff(tip_off: TipOff, data: TipOffInput, actor) -> None:
    for name in TIPOFF_FIELDS:
        setattr(tip_off, name, getattr(data, name))
    tip_off.received_by = data.received_by or actors.user_or_none(actor)
    tip_off.summary, tip_off.result = _text(data.summary), _text(data.result)
    tip_off.search_text = " | ".join(normalize(p) for p in (tip_off.summary, tip_off.result) if p)


def _save_informant(actor, tip_off: TipOff, data: InformantInput) -> None:
    """Create, change or clear the informant; the audit row names which fields, never the values."""
    current = Informant.objects.filter(tip_off=tip_off).first()
    values = {
        "full_name": clean_name(data.full_name)[:120],
        "phone": clean_name(data.phone)[:20],
        "address": clean_name(data.address)[:250],
    }
    if data.is_empty:
        if current is None:
            return
        current.delete()
        outcome: dict[str, Any] = {"informant": "cleared"}
    else:
        changed = [k for k, v in values.items() if current is None or getattr(current, k) != v]
        if not changed:
            return
        informant = current or Informant(tip_off=tip_off, recorded_by=actors.user_or_none(actor))
        for key, value in values.items():
            setattr(informant, key, value)
        informant.full_clean(exclude=["tip_off", "recorded_by"])
        informant.save()
        outcome = {"informant": "recorded" if current is None else "changed", "fields": changed}
    audit_record(actor=actor, action=actions.INFORMANT_SET, obj=tip_off, area=tip_off.commune, after=outcome)


@transaction.atomic
def tipoff_create(*, actor, data: TipOffInput, informant: InformantInput | None = None) -> TipOff:
    """Record a tip-off. The informant, when given, is stored apart and can be read afterwards only
    with ``prevention.view_informant`` — the officer who records it cannot read it back."""
    scoping.require_action(actor, TipOff, "add")
    _validate_tipoff(actor, data, on=today())
    ensure_unlocked(commune=data.commune, day=data.received_on)
    tip_off = TipOff(created_by=actors.user_or_none(actor))
    _apply_tipoff(tip_off, data, actor)
    tip_off.full_clean(exclude=["created_by", "received_by"])
    tip_off.save()
    audit_record(
        actor=actor, action=actions.TIPOFF_CREATE, obj=tip_off, area=tip_off.commune, after=_tipoff_snapshot(tip_off)
    )
    if informant is not None and not informant.is_empty:
        _save_informant(actor, tip_off, informant)
    return tip_off


@transaction.atomic
def tipoff_update(
    *,
    actor,
    tip_off: TipOff,
    data: TipOffInput,
    expected_version: int | None,
    informant: InformantInput | None = None,
) -> TipOff:
    """Update a tip-off and its handling. ``informant`` (None = unchanged) may only be changed by
    someone allowed to read it: nobody edits what they cannot see."""
    scoping.ensure_can(actor, "change", tip_off)
    if informant is not None and not actor.has_perm("prevention.view_informant"):
        raise PermissionDenied(_("Bạn không có quyền xem, sửa thông tin người báo tin."))
    tip_off = _lock(tip_off, expected_version)
    before = _tipoff_snapshot(tip_off)
    old_received = tip_off.received_on
    if data.commune is None or data.commune.pk != tip_off.commune_id:
        raise ValidationError({"commune": _("Không đổi được xã, phường của tin báo.")})
    _validate_tipoff(actor, data, on=today())
    _apply_tipoff(tip_off, data, actor)
    if data.received_by is None:
        tip_off.received_by_id = before["received_by"]
    tip_off.full_clean(exclude=["created_by", "received_by"])
    after = _tipoff_snapshot(tip_off)
    if _changed(before, after):
        ensure_unlocked(commune=tip_off.commune_id, day=old_received)
        ensure_unlocked(commune=tip_off.commune_id, day=tip_off.received_on)
        tip_off.version += 1
        tip_off.save()
        after["version"] = tip_off.version
        audit_record(
            actor=actor,
            action=actions.TIPOFF_UPDATE,
            obj=tip_off,
            area=tip_off.commune,
            before=before,
            after=after,
        )
    if informant is not None:
        _save_informant(actor, tip_off, informant)
    return tip_off


@transaction.atomic
def informant_read(*, actor, tip_off: TipOff) -> Informant | None:
    """The informant of a tip-off, for someone holding ``prevention.view_informant`` with the
    tip-off in scope. Every reading is audited (``prevention.informant.view``) — the entry names
    the tip-off, never the informant."""
    if not actor.has_perm("prevention.view_informant"):
        raise PermissionDenied(_("Bạn không có quyền xem thông tin người báo tin."))
    informant = scoping.visible_to(Informant.objects.all(), actor).filter(tip_off=tip_off).first()
    if informant is not None:
        audit_record(actor=actor, action=actions.INFORMANT_VIEW, obj=tip_off, area=tip_off.commune)
    return informant
