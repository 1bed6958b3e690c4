"""Export of the (scoped, filtered) registers as .xlsx or .csv: audited and formula-safe.

The columns are exactly the import columns, so an exported file can be corrected and imported
back: the “Số hiệu” and commune columns make the rows update the same records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpResponse

from apps.core.exports import tabular_response

from . import actions
from .resources import CrimeCaseResource, CultivationResource, HotspotResource, format_offenders, unit_as_written


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _units(record) -> tuple[str, str]:
    """(“Xã/phường” as written, “Xã/phường hiện nay”): the second only when a former unit was written."""
    if record.recorded_unit_id and record.recorded_unit_id != record.commune_id:
        return unit_as_written(record.recorded_unit), record.commune.full_name
    return record.commune.full_name, ""


def hotspot_row(h) -> list:
    written, current = _units(h)
    return [
        written,
        current,
        h.name,
        h.get_kind_display(),
        h.village,
        h.address,
        h.latitude,
        h.longitude,
        _day(h.discovered_on),
        h.get_status_display(),
        _day(h.status_since),
        h.notes,
    ]


def crime_case_row(c) -> list:
    written, current = _units(c)
    return [
        c.number,
        written,
        current,
        _day(c.occurred_on),
        c.get_article_display(),
        c.get_stage_display(),
        c.summary,
        c.offenders_count,
        format_offenders(c.offenders.all()),
        c.heroin_g,
        c.synthetic_g,
        c.synthetic_tablets,
        c.cannabis_g,
        c.other_g,
        c.other_desc,
        c.notes,
    ]


def cultivation_row(c) -> list:
    written, current = _units(c)
    return [
        c.number,
        written,
        current,
        _day(c.found_on),
        c.get_species_display(),
        c.plants,
        c.area_m2,
        "Có" if c.destroyed else "Không",
        c.village,
        c.notes,
    ]


_KINDS: dict[str, tuple[type, Callable, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "hotspot": (HotspotResource, hotspot_row, "diem-tu-diem", actions.HOTSPOT_EXPORT, ("recorded_unit__parent",), ()),
    "crimecase": (
        CrimeCaseResource,
        crime_case_row,
        "vu-an-ma-tuy",
        actions.CRIMECASE_EXPORT,
        ("recorded_unit__parent",),
        ("offenders",),
    ),
    "cultivation": (
        CultivationResource,
        cultivation_row,
        "trong-cay-ma-tuy",
        actions.CULTIVATION_EXPORT,
        ("recorded_unit__parent",),
        (),
    ),
}


def export_register(*, actor, kind: str, queryset: QuerySet, fmt: str, filters: str) -> HttpResponse:
    """Export one register's (already scoped and filtered) queryset."""
    resource, row, stem, action, related, prefetch = _KINDS[kind]
    queryset = queryset.select_related(*related).prefetch_related(*prefetch)
    return tabular_response(
        actor=actor,
        headers=resource.expected_headers(),
        rows=(row(obj) for obj in queryset),
        fmt=fmt,
        stem=stem,
        sheet="Du lieu",
        action=action,
        filters=filters,
    )
