"""Key drug routes: the communes on a route in a year (criterion đ, QĐ 28/2025)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record, changed_fields, snapshot
from apps.core import actors, locking, scoping

from ..models import KeyRoute
from ._common import KEYROUTE_CREATE, KEYROUTE_DELETE, KEYROUTE_UPDATE, _require

KEYROUTE_FIELDS = ["commune", "year", "name", "kind", "notes"]


def _validate_route(actor, route: KeyRoute) -> None:
    commune = route.commune
    scoping.ensure_commune_in_scope(
        actors.user_or_none(actor),
        commune,
        not_current=_("Tuyến phải gắn với một xã, phường hiện hành."),
        out_of_scope=_("Xã, phường nằm ngoài phạm vi được giao."),
    )
    route.full_clean(exclude=["updated_by"])


@transaction.atomic
def keyroute_create(*, actor, data: dict[str, Any]) -> KeyRoute:
    """Record that a commune lies on a key drug route in a year (criterion đ, QĐ 28/2025)."""
    _require(actor, "classification.add_keyroute")
    route = KeyRoute(**{k: data[k] for k in KEYROUTE_FIELDS if k in data})
    route.updated_by = actors.user_or_none(actor)
    _validate_route(actor, route)
    route.save()
    audit_record(
        actor=actor, action=KEYROUTE_CREATE, obj=route, area=route.commune, after=snapshot(route, KEYROUTE_FIELDS)
    )
    return route


def _stale_route(current: KeyRoute, _expected_version: int) -> str:
    who = current.updated_by.get_full_name() if current.updated_by else _("người khác")
    return _("Tuyến này đã được %(who)s sửa lúc %(when)s. Thay đổi của bạn chưa được lưu; hãy tải lại trang.") % {
        "who": who,
        "when": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y"),
    }


@transaction.atomic
def keyroute_update(*, actor, route: KeyRoute, data: dict[str, Any], expected_version: int | None) -> KeyRoute:
    """Edit a route; refused when someone saved it since ``expected_version`` (optimistic lock)."""
    _require(actor, "classification.change_keyroute")
    if actors.is_user(actor):
        scoping.ensure_can(actor, "change", route)
    current = locking.lock_for_update(route, expected_version, message=_stale_route)
    before = snapshot(current, KEYROUTE_FIELDS)
    for name in KEYROUTE_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    _validate_route(actor, current)
    after = snapshot(current, KEYROUTE_FIELDS)
    if not changed_fields(before, after):
        return current
    current.version += 1
    current.updated_by = actors.user_or_none(actor)
    current.save()
    audit_record(actor=actor, action=KEYROUTE_UPDATE, obj=current, area=current.commune, before=before, after=after)
    return current


@transaction.atomic
def keyroute_delete(*, actor, route: KeyRoute) -> None:
    _require(actor, "classification.delete_keyroute")
    if actors.is_user(actor):
        scoping.ensure_can(actor, "delete", route)
    audit_record(
        actor=actor, action=KEYROUTE_DELETE, obj=route, area=route.commune, before=snapshot(route, KEYROUTE_FIELDS)
    )
    route.delete()
