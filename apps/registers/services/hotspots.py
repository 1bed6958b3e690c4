"""Writes on the hotspot register: create, edit and the status changes along their transitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.cases.models import CaseFile
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.registry import ensure_unlocked
from apps.core.text import clean_name, normalize

from .. import actions
from ..choices import HOTSPOT_TRANSITIONS, HotspotKind, HotspotStatus
from ..models import Hotspot, HotspotStatusChange
from ._common import (
    _as_written,
    _date,
    _lock,
    _not_future,
    _quantize,
    _raise,
    _write,
    open_update,
    resolve_commune,
    save_changed,
    save_created,
)

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.cases.models import CaseFile

HOTSPOT_FIELDS = [
    "commune",
    "recorded_unit",
    "village",
    "address",
    "latitude",
    "longitude",
    "kind",
    "name",
    "discovered_on",
    "status",
    "status_since",
    "eliminated_on",
    "notes",
]


@dataclass
class HotspotInput:
    name: str
    kind: str
    discovered_on: dt.date
    commune: AdministrativeUnit | None = None
    recorded_unit: AdministrativeUnit | None = None
    village: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    notes: str = ""
    #: None leaves the links unchanged on update (and means none on create)
    linked_cases: Sequence[CaseFile] | None = None


def _hotspot_snapshot(hotspot: Hotspot, linked: Iterable[int] | None = None) -> dict[str, Any]:
    data = versioned_snapshot(hotspot, HOTSPOT_FIELDS)
    if linked is None:
        linked = hotspot.linked_cases.values_list("pk", flat=True) if hotspot.pk else []
    data["linked_cases"] = sorted(linked)
    return data


def _check_linked_cases(actor: User, cases: Sequence[CaseFile] | None) -> list[int] | None:
    """Only case files the actor may see can be linked (no linking blind across communes)."""
    if cases is None:
        return None
    ids = sorted({c.pk for c in cases})
    visible = set(scoping.visible_to(CaseFile.objects.filter(pk__in=ids), actor).values_list("pk", flat=True))
    if set(ids) - visible:
        raise ValidationError({"linked_cases": _("Có hồ sơ liên quan nằm ngoài phạm vi được giao.")})
    return ids


def _apply_hotspot(hotspot: Hotspot, data: HotspotInput, commune: AdministrativeUnit) -> None:
    hotspot.commune = commune
    hotspot.recorded_unit = _as_written(data.recorded_unit, commune)
    hotspot.name = clean_name(data.name)
    hotspot.name_key = normalize(hotspot.name)
    hotspot.kind = data.kind
    hotspot.discovered_on = data.discovered_on
    hotspot.village = clean_name(data.village)
    hotspot.address = clean_name(data.address)
    hotspot.latitude = _quantize(data.latitude, 6)
    hotspot.longitude = _quantize(data.longitude, 6)
    hotspot.notes = (data.notes or "").strip()
    hotspot.search_text = " | ".join(
        part for part in (hotspot.name_key, normalize(hotspot.village), normalize(hotspot.address)) if part
    )


def _validate_hotspot(hotspot: Hotspot, *, on: dt.date) -> None:
    errors: dict[str, str] = {}
    if not hotspot.name:
        errors["name"] = _("Hãy ghi tên điểm, tụ điểm.")
    elif Hotspot.objects.filter(commune=hotspot.commune, name_key=hotspot.name_key).exclude(pk=hotspot.pk).exists():
        errors["name"] = _(
            "%(commune)s đã có điểm, tụ điểm tên “%(name)s”. Nếu là điểm đó hoạt động trở lại, hãy chuyển tình "
            "trạng của nó; nếu là điểm khác, hãy ghi tên phân biệt (thôn, chủ hộ…)."
        ) % {"commune": hotspot.commune.full_name, "name": hotspot.name}
    if hotspot.kind not in HotspotKind.values:
        errors["kind"] = _("Hãy chọn loại điểm.")
    if hotspot.discovered_on is None:
        errors["discovered_on"] = _("Hãy ghi ngày phát hiện.")
    _not_future(errors, Hotspot, "discovered_on", hotspot.discovered_on, on)
    _not_future(errors, Hotspot, "status_since", hotspot.status_since, on)
    if hotspot.discovered_on and hotspot.status_since and hotspot.status_since < hotspot.discovered_on:
        errors.setdefault("status_since", _("Ngày của tình trạng không được trước ngày phát hiện."))
    if hotspot.pk and hotspot.discovered_on:
        first = hotspot.status_changes.aggregate(d=Min("changed_on"))["d"]
        if first and hotspot.discovered_on > first:
            errors.setdefault(
                "discovered_on",
                _("Ngày phát hiện không được sau lần ghi tình trạng đầu tiên (%(d)s).") % {"d": _date(first)},
            )
    _raise(errors)


@transaction.atomic
def hotspot_create(
    *,
    actor: User,
    data: HotspotInput,
    status: str = HotspotStatus.ACTIVE,
    status_since: dt.date | None = None,
    reason: str = "",
) -> Hotspot:
    """Enter a hotspot. A register copied from paper may start in any status (e.g. already
    eliminated); the initial status is the first row of its history, dated ``status_since``
    (default: the discovery date)."""
    scoping.require_action(actor, Hotspot, "add")
    if status not in HotspotStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    linked = _check_linked_cases(actor, data.linked_cases) or []
    hotspot = Hotspot(created_by=actors.user_or_none(actor), status=status)
    _apply_hotspot(hotspot, data, commune)
    hotspot.status_since = status_since or hotspot.discovered_on
    hotspot.eliminated_on = hotspot.status_since if status == HotspotStatus.ELIMINATED else None
    _validate_hotspot(hotspot, on=today())

    def then() -> None:
        hotspot.linked_cases.set(linked)
        HotspotStatusChange.objects.create(
            hotspot=hotspot,
            from_status="",
            to_status=status,
            changed_on=hotspot.status_since,
            reason=(reason or "").strip(),
            changed_by=actors.user_or_none(actor),
        )

    save_created(
        actor=actor,
        action=actions.HOTSPOT_CREATE,
        obj=hotspot,
        commune=commune,
        day=min(hotspot.discovered_on, hotspot.status_since),
        then=then,
        after=lambda: _hotspot_snapshot(hotspot, linked),
    )
    return hotspot


@transaction.atomic
def hotspot_update(
    *, actor: User, hotspot: Hotspot, data: HotspotInput, expected_version: int | None = None
) -> Hotspot:
    """Correct a hotspot's description. Its status moves only through ``hotspot_change_status``.
    Refused when someone saved since ``expected_version``; nothing is written when nothing changed."""
    hotspot, old = open_update(actor=actor, obj=hotspot, expected_version=expected_version, day_field="discovered_on")
    before = _hotspot_snapshot(hotspot)
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    linked = _check_linked_cases(actor, data.linked_cases)
    _apply_hotspot(hotspot, data, commune)
    _validate_hotspot(hotspot, on=today())
    links = before["linked_cases"] if linked is None else linked
    save_changed(
        actor=actor,
        action=actions.HOTSPOT_UPDATE,
        obj=hotspot,
        commune=commune,
        old=old,
        day=hotspot.discovered_on,
        before=before,
        proposed=_hotspot_snapshot(hotspot, links),
        then=None if linked is None else lambda: hotspot.linked_cases.set(linked),
        after=lambda: _hotspot_snapshot(hotspot, links),
    )
    return hotspot


def allowed_statuses(status: str) -> tuple[str, ...]:
    return HOTSPOT_TRANSITIONS.get(status, ())


@transaction.atomic
def hotspot_change_status(
    *,
    actor: User,
    hotspot: Hotspot,
    to_status: str,
    changed_on: dt.date,
    reason: str = "",
    expected_version: int | None = None,
) -> HotspotStatusChange:
    """Move a hotspot along an allowed transition (``choices.HOTSPOT_TRANSITIONS``), dated.

    Elimination sets ``eliminated_on``; re-emergence clears it. Anything else is refused with a
    Vietnamese message naming the statuses that are possible from here.
    """
    scoping.ensure_can(actor, "change", hotspot)
    hotspot = _lock(hotspot, expected_version)
    current = HotspotStatus(hotspot.status)
    if to_status not in HotspotStatus.values:
        raise ValidationError({"to_status": _("Tình trạng không hợp lệ.")}, code="transition")
    allowed = allowed_statuses(current)
    if to_status not in allowed:
        raise ValidationError(
            {
                "to_status": _(
                    "Không thể chuyển “%(name)s” từ “%(from)s” sang “%(to)s”. Từ tình trạng này chỉ có thể chuyển "
                    "sang: %(allowed)s."
                )
                % {
                    "name": hotspot.name,
                    "from": current.label,
                    "to": HotspotStatus(to_status).label,
                    "allowed": ", ".join(f"“{HotspotStatus(s).label}”" for s in allowed) or "—",
                }
            },
            code="transition",
        )
    errors: dict[str, str] = {}
    if changed_on is None:
        errors["changed_on"] = _("Hãy ghi ngày.")
    elif changed_on > today():
        errors["changed_on"] = _("Ngày không được sau ngày hôm nay.")
    elif changed_on < hotspot.status_since:
        errors["changed_on"] = _("Ngày không được trước ngày bắt đầu tình trạng hiện tại (%(d)s).") % {
            "d": _date(hotspot.status_since)
        }
    _raise(errors)
    ensure_unlocked(commune=hotspot.commune_id, day=changed_on)
    before = _hotspot_snapshot(hotspot)
    change = HotspotStatusChange.objects.create(
        hotspot=hotspot,
        from_status=current,
        to_status=to_status,
        changed_on=changed_on,
        reason=(reason or "").strip(),
        changed_by=actors.user_or_none(actor),
    )
    hotspot.status = to_status
    hotspot.status_since = changed_on
    if to_status == HotspotStatus.ELIMINATED:
        hotspot.eliminated_on = changed_on
    elif to_status == HotspotStatus.REEMERGED:
        hotspot.eliminated_on = None
    hotspot.version += 1
    hotspot.full_clean(exclude=["created_by"])
    hotspot.save()
    _write(
        actor=actor,
        action=actions.HOTSPOT_STATUS,
        obj=hotspot,
        commune=hotspot.commune,
        before=before,
        after=_hotspot_snapshot(hotspot, before["linked_cases"]),
        message=f"{current.label} → {HotspotStatus(to_status).label}" + (f": {change.reason}" * bool(change.reason)),
    )
    return change
