"""Spreadsheet import of the three registers (upload → dry run → confirm, see ``core.imports``).

The commune is written as in the paper register: today's commune or a pre-2025 one, by code or
name, diacritics optional; a former commune split between several new ones needs the column
“Xã/phường hiện nay”. Re-importing updates instead of duplicating, through natural keys:

* hotspots: commune + name (diacritics and case ignored);
* crime cases and cultivation finds: “Số hiệu” when given (the exported files carry it), otherwise
  commune + date + article + summary (crime) / commune + date + species + village (cultivation).

Rows are saved through the services, so validation, scope and audit are the same as on screen.
On a row matching an existing record a blank optional cell keeps the stored value; the preview
lists what each updating row changes.

One module per register kind (``hotspots``, ``crimecases``, ``cultivation``) on the shared
``base`` (``RegisterResource``) and cell ``parsing``; callers keep using ``resources.<name>``,
re-exported here.
"""

from .base import COL_COMMUNE, COL_NOTES, COL_NUMBER, COL_UNIT, COL_VILLAGE, ParsedRow, RegisterResource
from .crimecases import (
    COL_ARTICLE,
    COL_CANNABIS,
    COL_COUNT,
    COL_HEROIN,
    COL_OCCURRED,
    COL_OFFENDERS,
    COL_OTHER_DESC,
    COL_OTHER_G,
    COL_STAGE,
    COL_SUMMARY,
    COL_SYNTHETIC_G,
    COL_SYNTHETIC_T,
    CrimeCaseResource,
    parse_offenders,
)
from .cultivation import COL_AREA, COL_DESTROYED, COL_FOUND, COL_PLANTS, COL_SPECIES, CultivationResource
from .hotspots import (
    COL_ADDRESS,
    COL_DISCOVERED,
    COL_KIND,
    COL_LAT,
    COL_LON,
    COL_NAME,
    COL_STATUS,
    COL_STATUS_SINCE,
    HotspotResource,
)
from .parsing import (
    parse_article,
    parse_bool,
    parse_choice,
    parse_decimal,
    parse_sex,
    resolve_written_unit,
)

__all__ = [
    "COL_COMMUNE",
    "COL_NOTES",
    "COL_NUMBER",
    "COL_UNIT",
    "COL_VILLAGE",
    "ParsedRow",
    "RegisterResource",
    "COL_ARTICLE",
    "COL_CANNABIS",
    "COL_COUNT",
    "COL_HEROIN",
    "COL_OCCURRED",
    "COL_OFFENDERS",
    "COL_OTHER_DESC",
    "COL_OTHER_G",
    "COL_STAGE",
    "COL_SUMMARY",
    "COL_SYNTHETIC_G",
    "COL_SYNTHETIC_T",
    "CrimeCaseResource",
    "parse_offenders",
    "COL_AREA",
    "COL_DESTROYED",
    "COL_FOUND",
    "COL_PLANTS",
    "COL_SPECIES",
    "CultivationResource",
    "COL_ADDRESS",
    "COL_DISCOVERED",
    "COL_KIND",
    "COL_LAT",
    "COL_LON",
    "COL_NAME",
    "COL_STATUS",
    "COL_STATUS_SINCE",
    "HotspotResource",
    "parse_article",
    "parse_bool",
    "parse_choice",
    "parse_decimal",
    "parse_sex",
    "resolve_written_unit",
]
