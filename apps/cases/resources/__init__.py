"""Spreadsheet import of case files: one row = one person and their file in a commune.

Re-importing the same file updates instead of duplicating: a row is matched to an existing open
file of the same commune by CCCD, or else by normalised name + birth year + sex. Rows go through
``services.case_create`` / ``case_update`` so validation and audit are the same as on screen.

One module per step: ``columns`` (the column names and the date cell reader), ``parsing`` (a row
as service input), ``matching`` (the commune and the existing person or file a row names, and
the duplicate warnings) and ``casefiles`` (``CaseResource``, the import-export hooks that run
them), with the change-listing helpers in ``_common``; callers keep using ``resources.<name>``,
re-exported here.
"""

from .casefiles import CaseResource
from .columns import (
    COL_ADDRESS,
    COL_ALIAS,
    COL_COMMUNE,
    COL_CURRENT,
    COL_DETECTED,
    COL_DOB,
    COL_ETHNIC,
    COL_ID,
    COL_NAME,
    COL_NOTES,
    COL_SEX,
    COL_SUBST,
    COL_TYPE,
    COL_VILLAGE,
    FIELD_COLUMNS,
    SEX_WORDS,
    parse_date,
)
from .matching import CaseMatchingMixin
from .parsing import CaseParsingMixin

__all__ = [
    "COL_ADDRESS",
    "COL_ALIAS",
    "COL_COMMUNE",
    "COL_CURRENT",
    "COL_DETECTED",
    "COL_DOB",
    "COL_ETHNIC",
    "COL_ID",
    "COL_NAME",
    "COL_NOTES",
    "COL_SEX",
    "COL_SUBST",
    "COL_TYPE",
    "COL_VILLAGE",
    "FIELD_COLUMNS",
    "SEX_WORDS",
    "parse_date",
    "CaseParsingMixin",
    "CaseMatchingMixin",
    "CaseResource",
]
