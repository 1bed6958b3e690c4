"""Writing the audit log. Called by services inside their own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms.models import model_to_dict

from apps.core.context import get_request_context

from .models import AuditLogEntry

if TYPE_CHECKING:
    from apps.areas.models import AdministrativeUnit


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-ready copy of the object's fields, taken before and after a change."""
    data = model_to_dict(obj, fields=fields)
    return _jsonable(data)


def _default_area() -> AdministrativeUnit | None:
    from apps.areas.models import AdministrativeUnit

    return AdministrativeUnit.objects.current().filter(level="province", code=settings.PCMT_PROVINCE_CODE).first()


def _entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    area: AdministrativeUnit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    username: str = "",
) -> AuditLogEntry:
    ctx = get_request_context()
    if area is None:
        area = _default_area()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLogEntry(
        actor=actor if is_user else None,
        actor_username=(actor.get_username() if is_user else username)[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        area=area,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        message=message,
        request_id=ctx.request_id if ctx else None,
        client_ip=ctx.client_ip if ctx else None,
        user_agent=ctx.user_agent if ctx else "",
    )


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    area: AdministrativeUnit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    username: str = "",
) -> AuditLogEntry:
    """Append one entry. ``area`` decides who may read the entry; province-wide when omitted."""
    entry = _entry(
        actor=actor, action=action, obj=obj, area=area, before=before, after=after, message=message, username=username
    )
    entry.save()
    return entry


def audit_record_many(records: list[dict[str, Any]], *, batch_size: int = 1000) -> list[AuditLogEntry]:
    """Append one entry per dict of ``audit_record`` keyword arguments, in a few INSERTs (bulk
    writes such as a spreadsheet import: the same entries as one call each, without a query each)."""
    entries = [_entry(**record) for record in records]
    return AuditLogEntry.objects.bulk_create(entries, batch_size=batch_size)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields whose value differs between two snapshots: {field: (old, new)}."""
    return {k: (before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)}
