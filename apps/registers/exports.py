"""Export of the (scoped, filtered) registers as .xlsx or .csv: audited and formula-safe.

The columns are exactly the import columns, so an exported file can be corrected and imported
back: the “Số hiệu” and commune columns make the rows update the same records. Each kind's
import resource says how its records are written (``RegisterResource.export_row`` and the
``export_*`` attributes); this module makes the sheet of every kind from it.
"""

from __future__ import annotations

import functools

from django.db.models import QuerySet
from django.http import HttpResponse

from apps.core.exports import Sheet

from . import resources
from .resources.base import RegisterResource

_SHEET = "Du lieu"


def _register_sheet(resource: type[RegisterResource]) -> Sheet:
    """A register's sheet: its import's columns, so the file can be imported back, and the unit as
    written (with its former district) loaded with the rows."""
    return Sheet(
        action=resource.export_action,
        stem=resource.export_stem,
        sheet=_SHEET,
        headers=resource.expected_headers(),
        row=resource.export_row,
        related=("recorded_unit__parent",),
        prefetch=resource.export_prefetch,
    )


@functools.cache
def sheets() -> dict[str, Sheet]:
    """The sheet of every register kind, by model name: one per kind's resource
    (``resources.kinds()``), so a new kind brings its export with its import."""
    return {kind._meta.model._meta.model_name: _register_sheet(kind) for kind in resources.kinds()}


def export_register(*, actor, kind: str, queryset: QuerySet, fmt: str, filters: str) -> HttpResponse:
    """Export one register's (already scoped and filtered) queryset."""
    return sheets()[kind].response(actor=actor, queryset=queryset, fmt=fmt, filters=filters)
