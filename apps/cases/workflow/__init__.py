"""The case-file state machine and the legal clocks (domain.md §4).

Pure code: no database access. Services load the rows (durations, holidays, events) and call
these functions, so every rule is unit-testable on plain values and one place decides what is
allowed. Legal bases are cited on each transition and shown to users.

One module per part: ``transitions`` (the state machine and its age bounds), ``clocks`` (durations,
date arithmetic, the next due date) and ``checks`` (whether a transition is allowed now); callers
keep using ``workflow.<name>``, re-exported here.
"""

from .checks import check_transition
from .clocks import _PERIODS as _PERIODS
from .clocks import Clock, Due, DurationRow, EventFact, add_duration, add_months, add_working_days, compute_due
from .transitions import (
    ADULT_AGE,
    ART_256A_FROM,
    MINOR_REHAB_MIN_AGE,
    TRANSITIONS,
    TRANSITIONS_BY_CODE,
    Transition,
    TransitionError,
    age_range,
    allowed_transitions,
)

__all__ = [
    "check_transition",
    "Clock",
    "Due",
    "DurationRow",
    "EventFact",
    "add_duration",
    "add_months",
    "add_working_days",
    "compute_due",
    "ADULT_AGE",
    "ART_256A_FROM",
    "MINOR_REHAB_MIN_AGE",
    "TRANSITIONS",
    "TRANSITIONS_BY_CODE",
    "Transition",
    "TransitionError",
    "age_range",
    "allowed_transitions",
]
