"""Writing the audit log. Called by services inside their own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms.models import model_to_dict

from apps.areas.selectors import home_province
from apps.core import actors
from apps.core.context import get_request_context

from .models import AreaChange, AuditLogEntry

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
    return home_province()


def _entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    area: AdministrativeUnit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    username: str | None = None,
) -> AuditLogEntry:
    ctx = get_request_context()
    if area is None:
        area = _default_area()
    is_user = actors.is_user(actor)
    if username is None:
        # core.actors: the system's rows are named "system" unless the caller names the origin.
        username = actors.SYSTEM_USERNAME if actors.is_system(actor) else ""
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


def audit_record(*, actor, action: str, **fields: Any) -> AuditLogEntry:
    """Append one entry; ``fields`` are those of ``_entry`` (obj, area, before, after, message,
    username). ``area`` decides who may read the entry; province-wide when omitted."""
    entry = _entry(actor=actor, action=action, **fields)
    entry.save()
    _mark_changes([entry])
    return entry


def audit_read(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    area: AdministrativeUnit | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> AuditLogEntry:
    """One entry for one page view, download or export that shows personal data (never one per row).

    ``action`` must end with a read verb (``view``, ``download``, ``export``) so a read never moves the
    stored figures. Without ``area`` the entry is filed under the reader's own unit, where the
    province sees it too."""
    if is_change(action):
        raise ValueError(f"{action} is not a read action")
    if area is None:
        area = getattr(actor, "area", None) if getattr(actor, "is_authenticated", False) else None
    return audit_record(actor=actor, action=action, obj=obj, area=area, after=after, message=message)


def audit_record_many(records: list[dict[str, Any]], *, batch_size: int = 1000) -> list[AuditLogEntry]:
    """Append one entry per dict of ``audit_record`` keyword arguments, in a few INSERTs (bulk
    writes such as a spreadsheet import: the same entries as one call each, without a query each)."""
    entries = AuditLogEntry.objects.bulk_create([_entry(**record) for record in records], batch_size=batch_size)
    _mark_changes(entries)
    return entries


#: last segment of the action codes that read or log in without changing any record
READ_VERBS = frozenset(
    {"view", "export", "download", "people_list_download", "login", "logout", "login_failed", "locked_out"}
)


def is_change(action: str) -> bool:
    """Whether an action may change data (anything not known to be a read counts as a change)."""
    return action.rsplit(".", 1)[-1] not in READ_VERBS


#: action prefixes whose changes move ``AreaChange`` (registered by the apps deriving data from them)
_tracked_prefixes: tuple[str, ...] = ()
#: called with the ids of the areas whose ``AreaChange`` moved, inside the writing transaction
_change_listeners: list[Callable[[list[int]], None]] = []


def track_area_changes(*, prefixes: tuple[str, ...], listener: Callable[[list[int]], None] | None = None) -> None:
    """Keep ``AreaChange`` for the actions starting with ``prefixes`` (reads excluded) and call
    ``listener`` when it moves. Called from an app's ``ready()``: reporting derives its stored
    figures from the records of cases, registers, prevention and classification."""
    global _tracked_prefixes  # noqa: PLW0603 - a registry filled once at start-up
    _tracked_prefixes = tuple(sorted(set(_tracked_prefixes) | set(prefixes)))
    if listener is not None and listener not in _change_listeners:
        _change_listeners.append(listener)


def _mark_changes(entries: list[AuditLogEntry]) -> None:
    """Move ``AreaChange`` of every area with a tracked change (one statement)."""
    if not _tracked_prefixes:
        return
    latest: dict[int, int] = {}
    for entry in entries:
        if (
            entry.area_id is not None
            and entry.pk is not None
            and entry.action.startswith(_tracked_prefixes)
            and is_change(entry.action)
        ):
            latest[entry.area_id] = max(latest.get(entry.area_id, 0), entry.pk)
    if latest:
        AreaChange.objects.bulk_create(
            [AreaChange(area_id=area_id, last_entry=last) for area_id, last in sorted(latest.items())],
            update_conflicts=True,
            unique_fields=["area"],
            update_fields=["last_entry"],
        )
        for listener in _change_listeners:
            listener(sorted(latest))


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields whose value differs between two snapshots: {field: (old, new)}."""
    return {k: (before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)}
