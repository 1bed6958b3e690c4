"""What an import run reports: row errors, field changes, unit conversions and the report itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

#: the longest row error shown; messages quoting a cell are cut
MESSAGE_MAX_CHARS = 300


class ImportFileError(Exception):
    """The file itself cannot be used (not a spreadsheet, wrong headers, empty, too large)."""


@dataclass
class RowError:
    row: int  # spreadsheet row number as the user sees it (header is row 1)
    column: str
    message: str


@dataclass
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class RowChange:
    """A row that updates an existing record, with what it changes (shown in the preview)."""

    row: int
    label: str
    fields: list[FieldChange]


@dataclass
class UnitConversion:
    """Rows naming a former unit: the file records it and goes to today's successor (preview)."""

    old: str
    new: str
    rows: list[int] = field(default_factory=list)

    @property
    def rows_shown(self) -> str:
        head = ", ".join(str(r) for r in self.rows[:10])
        return head + (_(" và %(n)s dòng khác") % {"n": len(self.rows) - 10} if len(self.rows) > 10 else "")


@dataclass
class ImportReport:
    total_rows: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: not blocking (e.g. a possible duplicate person in another commune), shown in the preview
    warnings: list[RowError] = field(default_factory=list)
    #: every updating row with its field-by-field difference (old → new)
    changes: list[RowChange] = field(default_factory=list)
    #: the records the rows match, as the run found them (``baseline``): a preview's is stored with
    #: the waiting upload and the confirmation refuses the file when the data moved since
    baseline: dict[str, Any] = field(default_factory=dict)
    #: a confirmation refused because records changed since the preview: it can be checked again
    stale: bool = False
    #: former units the rows name, each with today's unit the record goes to
    conversions: list[UnitConversion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def shown(value: Any, field=None) -> str:
    """A stored or imported value as the preview shows it (choice labels, dd/mm/yyyy, "Có")."""
    if value is None or value == "":
        return ""
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if hasattr(value, "full_name") and not isinstance(value, str):
        return str(value.full_name)
    return str(value)


def field_changes(old, new, columns: dict[str, str]) -> list[FieldChange]:
    """The model fields in ``columns`` (field → column) whose value differs between two
    versions of one record, old → new, in the order of ``columns``."""
    changes = []
    seen: set[str] = set()
    for name, column in columns.items():
        field = next((f for f in old._meta.concrete_fields if f.name == name), None)
        if field is None or name in seen:  # a column that is not a stored field (e.g. a status move)
            continue
        seen.add(name)
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            changes.append(FieldChange(column, shown(getattr(old, name), field), shown(getattr(new, name), field)))
    return changes


def target_digest(key: str, column: str, value: Any) -> str:
    """A short keyed digest of one stored value: enough to tell that it changed, without keeping
    the value (a CCCD, an address) in the waiting upload's description."""
    message = f"{key}\x00{column}\x00{'' if value is None else value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:12]


def clip(value: Any, limit: int = 60) -> str:
    """A cell as a message may quote it: the start of a long cell, never all of it."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
