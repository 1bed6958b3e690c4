"""Writes on case files. Every change goes through here, is validated, and writes its audit row
in the same transaction (views, imports and commands all call these functions).

One module per sub-domain: ``files`` (open, edit and read one file), ``batch`` (many new files
from an import), ``timeline`` (transitions, free events, voiding and correcting an entry),
``transfers`` (transfer of residence) and ``duplicates`` (the who-has-a-file lookup, merging
people), with the shared rules in ``_common``; callers keep using ``services.<name>``, re-exported
here.
"""

from ._common import (
    CASE_FIELDS,
    EARLIEST_PLAUSIBLE_DATE,
    FREE_EVENTS,
    PERSON_FIELDS,
    RuleErrors,
    closed_message,
    load_clock,
    normalize_citizen_id,
    person_snapshot,
    refresh_due,
    validate_person,
)
from .batch import CaseBatch
from .duplicates import (
    LookupLimitError,
    ensure_lookup_allowed,
    lookups_today,
    person_lookup,
    person_mark_distinct,
    person_merge,
    person_unmerge,
    record_lookup,
)
from .files import CaseInput, case_create, case_input_errors, case_record_view, case_update
from .timeline import (
    VOID_REASON_MIN_LENGTH,
    VOIDABLE_EVENTS,
    EventInput,
    case_add_event,
    case_correct_event,
    case_transition,
    case_void_event,
    may_void,
)
from .transfers import case_transfer

__all__ = [
    "CASE_FIELDS",
    "EARLIEST_PLAUSIBLE_DATE",
    "FREE_EVENTS",
    "PERSON_FIELDS",
    "RuleErrors",
    "closed_message",
    "load_clock",
    "normalize_citizen_id",
    "person_snapshot",
    "refresh_due",
    "validate_person",
    "CaseBatch",
    "LookupLimitError",
    "ensure_lookup_allowed",
    "lookups_today",
    "person_lookup",
    "person_mark_distinct",
    "person_merge",
    "person_unmerge",
    "record_lookup",
    "CaseInput",
    "case_create",
    "case_input_errors",
    "case_record_view",
    "case_update",
    "VOID_REASON_MIN_LENGTH",
    "VOIDABLE_EVENTS",
    "EventInput",
    "case_add_event",
    "case_correct_event",
    "case_transition",
    "case_void_event",
    "may_void",
    "case_transfer",
]
