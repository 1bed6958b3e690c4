"""The audit log as a hash chain: each entry stores SHA-256 over its content and the previous
entry's hash, so rewriting, inserting or deleting an entry anywhere but at the end breaks every
later link (``manage.py verify_audit_chain``).

The canonical form below is part of the stored data: changing it invalidates every chain already
written. A new form needs a new ``FORMAT`` and a verifier that knows both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections

FORMAT = 1
#: ``prev_hash`` of the first entry
GENESIS = "0" * 64
#: the fields covered by the hash (attribute names; ``content_type`` is hashed as "app_label.model"
#: so that a reload with natural keys, which renumbers content types, still verifies)
HASHED_FIELDS = (
    "time",
    "actor_id",
    "actor_username",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "area_id",
    "before",
    "after",
    "message",
    "request_id",
    "client_ip",
    "user_agent",
)
#: PostgreSQL advisory lock held by a transaction from reading the chain's last hash to its commit
LOCK_KEY = 0x7063_6D74_6175_6474  # "pcmtaudt"


def _json(value: Any) -> Any:
    """The value as the database gives it back (JSON types; jsonb turns 1.0e20 into an integer, so
    integral floats are hashed as integers on both sides)."""
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _time(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="microseconds")


def canonical(values: Mapping[str, Any], prev_hash: str) -> bytes:
    """The bytes hashed for one entry: its fields normalised to what any database returns."""
    data: dict[str, Any] = {"v": FORMAT, "prev": prev_hash}
    for name in HASHED_FIELDS:
        value = values.get(name)
        if name == "time":
            value = _time(value)
        elif name in ("before", "after"):
            value = None if value is None else _json(value)
        elif name == "request_id":
            value = str(uuid.UUID(str(value))) if value else None
        elif name == "client_ip":
            value = ipaddress.ip_address(value).compressed if value else None
        elif name in ("actor_id", "area_id"):
            value = int(value) if value is not None else None
        data[name] = value
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(values: Mapping[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def values_of(entry: Any, labels: dict[int, str] | None = None) -> dict[str, Any]:
    """The hashed values of a model instance (content types from Django's cache: no query)."""
    from django.contrib.contenttypes.models import ContentType

    values = {name: getattr(entry, name) for name in HASHED_FIELDS if name != "content_type"}
    ct_id = entry.content_type_id
    if ct_id is None:
        values["content_type"] = None
    elif labels is not None and ct_id in labels:
        values["content_type"] = labels[ct_id]
    else:
        content_type = ContentType.objects.get_for_id(ct_id)
        values["content_type"] = f"{content_type.app_label}.{content_type.model}"
        if labels is not None:
            labels[ct_id] = values["content_type"]
    return values


def lock_and_read_head(model: type, using: str) -> str:
    """Take the log's append lock for the rest of the transaction and return the last hash.

    PostgreSQL: a transaction-level advisory lock, then the read (a new statement, so it sees every
    append committed while waiting), sent together in one round trip. SQLite: an empty write takes
    the database's write lock before the read, so no other connection can append in between.
    Either way concurrent appends queue instead of forking the chain (a fork is refused anyway by
    the unique ``prev_hash``).
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.settings_dict["OPTIONS"].get("server_side_binding"):
            # One round trip fewer while every other append waits: both statements in one query
            # string. Under READ COMMITTED each statement of the string takes its own snapshot,
            # so the read after the lock sees the appends committed while this one waited.
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"SELECT pg_advisory_xact_lock(%s); SELECT hash FROM {table} ORDER BY id DESC LIMIT 1",  # noqa: S608
                [LOCK_KEY],
            )
            row = cursor.fetchone()
            return row[0] if row else GENESIS
        if connection.vendor == "postgresql":  # server-side binding takes one statement at a time
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        elif connection.vendor == "sqlite":
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"UPDATE {table} SET id = id WHERE 0")  # noqa: S608 - a model's table name
        # other databases: the unique prev_hash refuses a concurrent append (the caller retries)
    last = model._base_manager.using(using).order_by("-pk").values_list("hash", flat=True).first()
    return last or GENESIS


def link(entries: Iterable[Any], prev_hash: str) -> None:
    """Give each new entry, in order, its place in the chain after ``prev_hash``."""
    labels: dict[int, str] = {}
    for entry in entries:
        entry.prev_hash = prev_hash
        entry.hash = prev_hash = digest(values_of(entry, labels), prev_hash)


@dataclass(frozen=True)
class Verdict:
    """The outcome of walking the chain: ``broken_at`` is the id of the first entry that does not
    hold, ``None`` when every entry does."""

    checked: int
    last_id: int | None
    last_hash: str
    broken_at: int | None = None
    reason: str = ""


def verify(model: type, using: str = "default", chunk_size: int = 2000) -> Verdict:
    """Recompute every hash in id order (one pass, streamed) and stop at the first broken link:
    an entry whose content no longer matches its hash (edited), or whose ``prev_hash`` is not the
    hash of the entry before it (an entry deleted or inserted before it, or the first entry gone)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.using(using).all()}
    columns = ["pk", "prev_hash", "hash", *(f"{n}_id" if n == "content_type" else n for n in HASHED_FIELDS)]
    rows = model._base_manager.using(using).order_by("pk").values(*columns)
    prev_hash, prev_id, checked = GENESIS, None, 0
    for row in rows.iterator(chunk_size=chunk_size):
        row["content_type"] = labels.get(row.pop("content_type_id"))
        if row["prev_hash"] != prev_hash:
            if prev_id is None:
                reason = _("mục đầu tiên của nhật ký không phải là mục khởi đầu chuỗi (các mục trước nó đã bị xóa)")
            else:
                reason = _(
                    "liên kết với mục liền trước (#%(prev)s) bị đứt: một mục giữa hai mục này đã bị xóa hoặc "
                    "chèn thêm, hoặc mục #%(prev)s đã bị sửa cả mã băm"
                ) % {"prev": prev_id}
            return Verdict(checked, prev_id, prev_hash, row["pk"], reason)
        if digest(row, prev_hash) != row["hash"]:
            reason = _("nội dung không còn khớp với mã băm đã lưu: mục này đã bị sửa")
            return Verdict(checked, prev_id, prev_hash, row["pk"], reason)
        prev_hash, prev_id, checked = row["hash"], row["pk"], checked + 1
    return Verdict(checked, prev_id, prev_hash)
