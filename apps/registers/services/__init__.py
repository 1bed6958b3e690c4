"""Writes on the registers. Views, imports and the demo data all call these functions: each one
checks the role and the area, validates, refuses a save based on a stale version (optimistic
locking) and writes its audit row in the same transaction as the change.

One module per register kind (``hotspots``, ``crimecases``, ``cultivation``) on the shared rules in
``_common`` (text and decimal cleaning, the commune as written, locking, numbering, the audit
write); callers keep using ``services.<name>``, re-exported here.
"""

from ._common import resolve_commune
from .crimecases import (
    AMOUNT_FIELDS,
    CRIMECASE_FIELDS,
    MIN_OFFENDER_AGE,
    CrimeCaseInput,
    OffenderInput,
    crime_case_create,
    crime_case_record_view,
    crime_case_update,
)
from .cultivation import CULTIVATION_FIELDS, CultivationInput, cultivation_create, cultivation_update
from .hotspots import (
    HOTSPOT_FIELDS,
    HotspotInput,
    allowed_statuses,
    hotspot_change_status,
    hotspot_create,
    hotspot_update,
)

__all__ = [
    "resolve_commune",
    "HOTSPOT_FIELDS",
    "HotspotInput",
    "allowed_statuses",
    "hotspot_change_status",
    "hotspot_create",
    "hotspot_update",
    "AMOUNT_FIELDS",
    "CRIMECASE_FIELDS",
    "CrimeCaseInput",
    "MIN_OFFENDER_AGE",
    "OffenderInput",
    "crime_case_create",
    "crime_case_record_view",
    "crime_case_update",
    "CULTIVATION_FIELDS",
    "CultivationInput",
    "cultivation_create",
    "cultivation_update",
]
