"""Export of the (scoped, filtered) registers as .xlsx or .csv: audited and formula-safe.

The columns are exactly the import columns, so an exported file can be corrected and imported
back: the “Số hiệu” and commune columns make the rows update the same records.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse

from apps.core.exports import Sheet, day

from . import actions
from .resources import CrimeCaseResource, CultivationResource, HotspotResource, format_offenders, unit_as_written

_SHEET = "Du lieu"


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
        day(h.discovered_on),
        h.get_status_display(),
        day(h.status_since),
        h.notes,
    ]


def crime_case_row(c) -> list:
    written, current = _units(c)
    return [
        c.number,
        written,
        current,
        day(c.occurred_on),
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
        day(c.found_on),
        c.get_species_display(),
        c.plants,
        c.area_m2,
        "Có" if c.destroyed else "Không",
        c.village,
        c.notes,
    ]


def _register_sheet(resource, **spec) -> Sheet:
    """A register's sheet: its import's columns, so the file can be imported back, and the unit as
    written (with its former district) loaded with the rows."""
    return Sheet(sheet=_SHEET, headers=resource.expected_headers(), related=("recorded_unit__parent",), **spec)


SHEETS = {
    "hotspot": _register_sheet(HotspotResource, action=actions.HOTSPOT_EXPORT, stem="diem-tu-diem", row=hotspot_row),
    "crimecase": _register_sheet(
        CrimeCaseResource,
        action=actions.CRIMECASE_EXPORT,
        stem="vu-an-ma-tuy",
        row=crime_case_row,
        prefetch=("offenders",),
    ),
    "cultivation": _register_sheet(
        CultivationResource, action=actions.CULTIVATION_EXPORT, stem="trong-cay-ma-tuy", row=cultivation_row
    ),
}


def export_register(*, actor, kind: str, queryset: QuerySet, fmt: str, filters: str) -> HttpResponse:
    """Export one register's (already scoped and filtered) queryset."""
    return SHEETS[kind].response(actor=actor, queryset=queryset, fmt=fmt, filters=filters)
