"""Helpers shared by the prevention services: validation, labels, the commune-in-scope rule and locking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.areas.models import AdministrativeUnit
from apps.core import locking, scoping
from apps.core.text import nfc


def _text(value: Any) -> str:
    """Multi-line text: NFC, trimmed, line breaks kept."""
    return nfc(str(value or "")).strip()


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


_EXTRA_LABELS = {
    "topics": _lazy("chủ đề"),
    "participation": _lazy("người tham dự theo nhóm"),
    "participations": _lazy("đơn vị tham dự"),
    "reached": _lazy("người nguy cơ cao được tiếp cận"),
}


def _label(model: type[models.Model], name: str) -> str:
    try:
        text = str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        text = str(_EXTRA_LABELS.get(name, name))
    return text[:1].upper() + text[1:]


def _not_future(errors: dict, model, name: str, value: dt.date | None, on: dt.date) -> None:
    if value and value > on:
        errors[name] = _("%(label)s không được sau ngày hôm nay.") % {"label": _label(model, name)}


def _commune_error(actor, unit: AdministrativeUnit | None) -> str:
    """Why ``unit`` cannot be used as a record's commune ('' when it can)."""
    return scoping.commune_error(actor, unit)


def _audit_area(units: Iterable[AdministrativeUnit]) -> AdministrativeUnit | None:
    """The area an audit entry is filed under: the unit when there is one, else the province."""
    units = list(units)
    return units[0] if len(units) == 1 else None


def _ensure_units_in_scope(actor, unit_ids: Iterable[int], what: str) -> None:
    """Shared data of a multi-unit record: only someone with every unit in scope may change it."""
    scoping.ensure_units_in_scope(
        actor,
        list(unit_ids),
        _(
            "%(what)s này gồm cả đơn vị ngoài phạm vi được giao: chỉ cán bộ quản lý tất cả các đơn vị đó "
            "(cấp tỉnh) mới sửa được thông tin chung."
        )
        % {"what": what},
    )


# --- optimistic locking ------------------------------------------------------------------------


def _lock(obj: models.Model, expected_version: int | None):
    return locking.lock_for_update(obj, expected_version, label=_label)


def _changed(before: dict | None, after: dict) -> bool:
    return before is None or bool(locking.edited_fields(before, after))
