"""Cached choice labels for ``get_<field>_display()`` (issue 14 §3: Python time per page).

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every
call, which hashes — and so translates — every lazy label of the field: a worklist of 200 rows
with four such cells spent a quarter of its time in gettext. The labels of a field only change
with the language, so they are built once per (field, language) and reused.

Only for fields with static choices (the ``TextChoices`` of the models using the mixin).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_labels: dict[tuple[models.Field, str | None], dict[Any, Any]] = {}


def clear() -> None:
    """Forget the cached labels (tests that swap catalogues)."""
    _labels.clear()


def label(field: models.Field, value: Any) -> Any:
    """The label of ``value`` among ``field``'s choices, as ``Model._get_FIELD_display`` returns it."""
    key = (field, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = {make_hashable(k): force_str(v, strings_only=True) for k, v in field.flatchoices}
        _labels[key] = labels
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


class ChoiceLabelsMixin:
    """Mix into a model (before ``models.Model``) so its ``get_<field>_display()`` use the cache."""

    def _get_FIELD_display(self, field: models.Field) -> Any:  # noqa: N802 - Django's name
        return label(field, getattr(self, field.attname))
