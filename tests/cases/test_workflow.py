"""The pure state machine and legal clocks (no database): transitions of domain.md §4.5,
durations of §4.2, chosen by the law in force on the event's date."""

import datetime as dt
from dataclasses import dataclass

import pytest

from apps.cases import workflow
from apps.cases.choices import CloseReason, EventKind, Status, Whereabouts
from apps.cases.workflow import (
    Clock,
    EventFact,
    TransitionError,
    add_duration,
    add_months,
    add_working_days,
    allowed_transitions,
    check_transition,
    compute_due,
)

D = dt.date
S = Status


@dataclass(frozen=True)
class Row:
    key: str
    value: int
    unit: str
    law: str
    effective_from: dt.date
    effective_to: dt.date | None
    label: str = "thời hạn"
    verification: str = "verified"


LAW_2021 = "Luật 73/2021"
LAW_2025 = "Luật 120/2025"
LAW_2021_FROM, LAW_2021_TO, LAW_2025_FROM = D(2022, 1, 1), D(2026, 6, 30), D(2026, 7, 1)

# The durations of domain.md §4.2 (Law 73/2021), plus the province's 30-day home-visit rule.
RULES = {
    "management_period": (12, "months"),  # 1 year from the management decision
    "registration_deadline": (5, "working_days"),  # register within 5 working days of the result
    "voluntary_rehab_min": (6, "months"),  # voluntary rehab: 6–12 months
    "voluntary_rehab_max": (12, "months"),
    "compulsory_rehab_min": (12, "months"),  # compulsory rehab (≥ 18): 12–24 months
    "compulsory_rehab_max": (24, "months"),
    "compulsory_rehab_minor_min": (6, "months"),  # aged 12 to under 18: 6–12 months (unverified)
    "compulsory_rehab_minor_max": (12, "months"),
    "post_rehab_period": (12, "months"),  # post-rehab management: 1 year
    "home_visit_interval": (30, "days"),
}


def rows_for(law, start, end, overrides=None):
    values = {**RULES, **(overrides or {})}
    return [Row(key, value, unit, law, start, end) for key, (value, unit) in values.items()]


# Law 120/2025 rows with deliberately different figures, so a test can tell which law was used.
LAW_2025_OVERRIDES = {"management_period": (6, "months"), "registration_deadline": (3, "working_days")}
CLOCK = Clock(
    durations=rows_for(LAW_2021, LAW_2021_FROM, LAW_2021_TO)
    + rows_for(LAW_2025, LAW_2025_FROM, None, LAW_2025_OVERRIDES),
    holidays=frozenset(),
)
TODAY = D(2026, 11, 29)


# --- the transition table --------------------------------------------------------------------

# domain.md §4.5: code → (sources, target)
OPEN = tuple(s for s in Status.values if s != S.CLOSED)
DOMAIN_TRANSITIONS = {
    "positive_test": ({S.SIGNS}, S.POSITIVE),
    "negative_test": ({S.SIGNS}, S.CLOSED),
    "management_decision": ({S.POSITIVE}, S.MANAGED),
    "refer_determination": ({S.SIGNS, S.POSITIVE, S.MANAGED}, S.DETERMINING),
    "not_addicted": ({S.DETERMINING}, S.MANAGED),
    "addicted": ({S.DETERMINING}, S.AWAITING_REGISTRATION),
    "register_community": ({S.AWAITING_REGISTRATION}, S.VOLUNTARY_COMMUNITY),
    "register_facility": ({S.AWAITING_REGISTRATION}, S.VOLUNTARY_FACILITY),
    "start_methadone": ({S.AWAITING_REGISTRATION}, S.METHADONE),
    "compulsory_dossier": (
        {S.AWAITING_REGISTRATION, S.VOLUNTARY_COMMUNITY, S.VOLUNTARY_FACILITY, S.METHADONE, S.POST_REHAB},
        S.COMPULSORY_DOSSIER,
    ),
    "court_compulsory": ({S.COMPULSORY_DOSSIER}, S.COMPULSORY),
    "court_compulsory_minor": ({S.COMPULSORY_DOSSIER}, S.COMPULSORY),
    "court_rejects": ({S.COMPULSORY_DOSSIER}, S.CLOSED),
    "facility_release": ({S.COMPULSORY}, S.POST_REHAB),
    "complete_voluntary": ({S.VOLUNTARY_COMMUNITY, S.VOLUNTARY_FACILITY}, S.CLOSED),
    "complete_methadone": ({S.METHADONE}, S.CLOSED),
    "management_completed": ({S.MANAGED}, S.CLOSED),
    "post_rehab_completed": ({S.POST_REHAB}, S.CLOSED),
    # Art. 256a BLHS: use during rehab (at home, in a facility, voluntary or compulsory), methadone,
    # post-rehab, or within 2 years after.
    "prosecute": (
        {S.VOLUNTARY_COMMUNITY, S.VOLUNTARY_FACILITY, S.COMPULSORY, S.METHADONE, S.POST_REHAB, S.CLOSED},
        S.CRIMINAL,
    ),
    "close": (set(OPEN), S.CLOSED),
    "reopen": ({S.CLOSED, S.CRIMINAL}, S.SIGNS),
}


def test_transition_codes_are_exactly_the_domain_ones():
    assert set(workflow.TRANSITIONS_BY_CODE) == set(DOMAIN_TRANSITIONS)
    assert len(workflow.TRANSITIONS) == len(workflow.TRANSITIONS_BY_CODE), "duplicate transition code"


@pytest.mark.parametrize("code", sorted(DOMAIN_TRANSITIONS))
def test_each_transition_has_the_domain_sources_and_target(code):
    transition = workflow.TRANSITIONS_BY_CODE[code]
    sources, target = DOMAIN_TRANSITIONS[code]
    assert set(transition.sources) == sources
    assert transition.target == target
    assert transition.legal_basis, "every transition cites its legal basis"
    assert str(transition.label)


def test_closing_transitions_carry_a_close_reason():
    for t in workflow.TRANSITIONS:
        if t.target == S.CLOSED:
            assert t.close_reason in CloseReason.values or t.choose_reason, t.code


def test_decisions_facilities_and_dates_required_where_the_law_has_a_document():
    by = workflow.TRANSITIONS_BY_CODE
    assert by["management_decision"].needs_decision  # decision of the commune chairman
    assert by["court_compulsory"].needs_decision and by["court_compulsory"].needs_end_date
    assert by["court_compulsory"].needs_facility
    assert by["addicted"].needs_facility and by["addicted"].case_type == "addict"  # Mẫu 04 from a facility
    assert by["management_completed"].after_period_end and by["post_rehab_completed"].after_period_end
    assert by["complete_voluntary"].min_duration_key == "voluntary_rehab_min"
    assert by["prosecute"].not_before == D(2025, 7, 1)
    assert by["register_facility"].whereabouts == Whereabouts.REHAB_FACILITY
    assert by["facility_release"].whereabouts == Whereabouts.COMMUNITY


@pytest.mark.parametrize("status", Status.values)
def test_allowed_transitions_are_those_whose_sources_contain_the_status(status):
    expected = {code for code, (sources, _target) in DOMAIN_TRANSITIONS.items() if status in sources}
    codes = [t.code for t in allowed_transitions(status)]
    assert set(codes) == expected
    assert len(codes) == len(set(codes))
    assert codes == [t.code for t in allowed_transitions(status)], "stable order"


def test_allowed_transitions_examples():
    assert {t.code for t in allowed_transitions(S.SIGNS)} == {
        "positive_test",
        "negative_test",
        "refer_determination",
        "close",
    }
    assert {t.code for t in allowed_transitions(S.CLOSED)} == {"prosecute", "reopen"}
    assert {t.code for t in allowed_transitions(S.CRIMINAL)} == {"close", "reopen"}


def test_every_open_status_can_be_closed_and_every_status_is_reachable():
    targets = {t.target for t in workflow.TRANSITIONS}
    assert set(Status.values) - {S.SIGNS} <= targets  # SIGNS is the initial state (and reopen)
    for status in OPEN:
        assert any(t.target == S.CLOSED for t in allowed_transitions(status)), status


# --- calendar arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no 31/2: last day of February
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # 29/2 + 1 year in a common year
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2025, 11, 15), 3, D(2026, 2, 15)),  # across the year end
        (D(2025, 12, 31), 12, D(2026, 12, 31)),
        (D(2026, 5, 10), 24, D(2028, 5, 10)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 6, 30), 0, D(2026, 6, 30)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_add_working_days_skips_weekends():
    friday = D(2026, 11, 27)
    assert friday.weekday() == 4
    assert add_working_days(friday, 1, ()) == D(2026, 11, 30)  # Monday
    assert add_working_days(friday, 5, ()) == D(2026, 12, 4)  # Mon..Fri of the next week
    saturday = D(2026, 11, 28)
    assert add_working_days(saturday, 1, ()) == D(2026, 11, 30)
    assert add_working_days(friday, 0, ()) == friday


def test_add_working_days_skips_given_holidays():
    # Thu 23/4/2026, holidays Mon 27/4, Thu 30/4, Fri 1/5: working days are Fri 24 (1), Tue 28 (2),
    # Wed 29 (3), Mon 4/5 (4), Tue 5/5 (5).
    holidays = {D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1)}
    assert add_working_days(D(2026, 4, 23), 5, holidays) == D(2026, 5, 5)
    assert add_working_days(D(2026, 4, 23), 5, ()) == D(2026, 4, 30)
    # A holiday falling on a weekend changes nothing.
    assert add_working_days(D(2026, 4, 23), 5, {D(2026, 4, 25)}) == D(2026, 4, 30)


def test_add_duration_units():
    assert add_duration(D(2026, 1, 31), 1, "months") == D(2026, 2, 28)
    assert add_duration(D(2026, 1, 1), 30, "days") == D(2026, 1, 31)
    assert add_duration(D(2026, 1, 1), 24, "hours") == D(2026, 1, 2)
    assert add_duration(D(2026, 1, 1), 25, "hours") == D(2026, 1, 3)  # a started day counts
    assert add_duration(D(2026, 11, 27), 1, "working_days", [D(2026, 11, 30)]) == D(2026, 12, 1)


# --- the law in force on the event's date -----------------------------------------------------


def test_clock_duration_picks_the_row_by_event_date_across_the_2026_boundary():
    assert CLOCK.duration("management_period", D(2026, 6, 30)).law == LAW_2021
    assert CLOCK.duration("management_period", D(2026, 7, 1)).law == LAW_2025
    assert CLOCK.duration("management_period", D(2022, 1, 1)).law == LAW_2021
    assert CLOCK.duration("management_period", D(2021, 12, 31)) is None  # no row before 2022 here
    assert CLOCK.duration("no_such_key", D(2026, 7, 1)) is None


def test_clock_add_uses_the_figure_of_the_law_on_the_start_date():
    # Law 73/2021: 12 months; the test's Law 120/2025 row: 6 months.
    assert CLOCK.add(D(2026, 6, 30), "management_period")[0] == add_months(D(2026, 6, 30), 12)
    assert CLOCK.add(D(2026, 7, 1), "management_period")[0] == add_months(D(2026, 7, 1), 6)
    assert CLOCK.add(D(2021, 5, 1), "management_period") == (None, None)


def test_clock_order_of_rows_does_not_matter():
    reversed_clock = Clock(durations=list(reversed(CLOCK.durations)))
    for day in (D(2026, 6, 30), D(2026, 7, 1)):
        assert reversed_clock.duration("management_period", day) == CLOCK.duration("management_period", day)


# --- due dates -------------------------------------------------------------------------------


DETECTED_ON = D(2025, 1, 2)


def due(status, events, *, whereabouts=Whereabouts.COMMUNITY, detected_on=DETECTED_ON, clock=CLOCK):
    return compute_due(status=status, whereabouts=whereabouts, events=events, detected_on=detected_on, clock=clock)


def opened(day):
    return EventFact(EventKind.OPENED, day, S.SIGNS)


def test_managed_period_ends_one_year_after_the_decision_date():
    decision = D(2026, 2, 10)
    events = [
        opened(D(2026, 1, 5)),
        EventFact(EventKind.TEST, D(2026, 1, 20), S.POSITIVE),
        # recorded a few days after it was signed: the period runs from the decision date
        EventFact(EventKind.MANAGEMENT_DECISION, D(2026, 2, 16), S.MANAGED, decision_date=decision),
    ]
    result = due(S.MANAGED, events, whereabouts=Whereabouts.PRISON)  # no home visits: the period end is due
    assert result.period_end == D(2027, 2, 10)
    assert result.due_date == result.period_end
    assert result.status_since == D(2026, 2, 16)
    assert "quản lý" in result.due_label
    assert LAW_2021 in result.basis


def test_managed_without_decision_date_counts_from_the_event_date():
    events = [opened(D(2026, 1, 5)), EventFact(EventKind.MANAGEMENT_DECISION, D(2026, 3, 31), S.MANAGED)]
    assert due(S.MANAGED, events, whereabouts=Whereabouts.PRISON).period_end == D(2027, 3, 31)


def test_managed_period_follows_the_law_on_the_decision_date():
    before = [EventFact(EventKind.MANAGEMENT_DECISION, D(2026, 6, 30), S.MANAGED, decision_date=D(2026, 6, 30))]
    after = [EventFact(EventKind.MANAGEMENT_DECISION, D(2026, 7, 1), S.MANAGED, decision_date=D(2026, 7, 1))]
    assert due(S.MANAGED, before, whereabouts=Whereabouts.PRISON).period_end == add_months(D(2026, 6, 30), 12)
    assert due(S.MANAGED, after, whereabouts=Whereabouts.PRISON).period_end == add_months(D(2026, 7, 1), 6)


def test_home_visit_interval_makes_the_due_date_earlier_than_the_period_end():
    events = [EventFact(EventKind.MANAGEMENT_DECISION, D(2026, 2, 10), S.MANAGED, decision_date=D(2026, 2, 10))]
    result = due(S.MANAGED, events)
    assert result.period_end == D(2027, 2, 10)
    assert result.due_date == D(2026, 2, 10) + dt.timedelta(days=30)
    assert "thăm gặp" in result.due_label
    # After a visit, the next one is 30 days after the visit.
    visited = [*events, EventFact(EventKind.HOME_VISIT, D(2026, 4, 2))]
    result = due(S.MANAGED, visited)
    assert result.last_visit_on == D(2026, 4, 2)
    assert result.due_date == D(2026, 5, 2)
    assert result.period_end == D(2027, 2, 10)


def test_home_visit_due_never_later_than_the_period_end():
    # Last visit 20 days before the end of the period: the period end comes first.
    events = [
        EventFact(EventKind.MANAGEMENT_DECISION, D(2025, 2, 10), S.MANAGED, decision_date=D(2025, 2, 10)),
        EventFact(EventKind.HOME_VISIT, D(2026, 1, 21)),
    ]
    result = due(S.MANAGED, events)
    assert result.period_end == D(2026, 2, 10)
    assert result.due_date == D(2026, 2, 10)


def test_awaiting_registration_due_is_five_working_days_after_the_result():
    result_day = D(2026, 4, 23)  # Thursday
    events = [EventFact(EventKind.DETERMINATION, result_day, S.AWAITING_REGISTRATION)]
    clock = Clock(CLOCK.durations, holidays=frozenset({D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1)}))
    result = due(S.AWAITING_REGISTRATION, events, clock=clock)
    assert result.period_end == D(2026, 5, 5)  # see test_add_working_days_skips_given_holidays
    assert result.due_date == D(2026, 5, 5)  # earlier than the 30-day visit
    assert "đăng ký" in result.due_label
    # Without holidays: Fri 24, Mon 27, Tue 28, Wed 29, Thu 30.
    assert due(S.AWAITING_REGISTRATION, events).due_date == D(2026, 4, 30)


def test_voluntary_community_period_is_twelve_months_with_monthly_visits():
    start = D(2026, 3, 16)
    events = [EventFact(EventKind.REHAB_REGISTRATION, start, S.VOLUNTARY_COMMUNITY)]
    result = due(S.VOLUNTARY_COMMUNITY, events)
    assert result.period_end == D(2027, 3, 16)
    assert result.due_date == start + dt.timedelta(days=30)
    assert due(S.VOLUNTARY_COMMUNITY, events, whereabouts=Whereabouts.UNKNOWN).due_date == D(2027, 3, 16)


def test_compulsory_due_is_the_end_date_of_the_court_decision():
    events = [EventFact(EventKind.COURT_DECISION, D(2026, 3, 10), S.COMPULSORY, end_date=D(2027, 9, 10))]
    result = due(S.COMPULSORY, events, whereabouts=Whereabouts.REHAB_FACILITY)
    assert result.period_end == D(2027, 9, 10)
    assert result.due_date == D(2027, 9, 10)
    assert result.due_label


def test_post_rehab_period_is_one_year_from_release():
    release = D(2026, 5, 4)
    events = [
        EventFact(EventKind.COURT_DECISION, D(2025, 5, 4), S.COMPULSORY, end_date=release),
        EventFact(EventKind.FACILITY_RELEASE, release, S.POST_REHAB),
    ]
    result = due(S.POST_REHAB, events)
    assert result.period_end == D(2027, 5, 4)
    assert result.status_since == release
    assert result.due_date == release + dt.timedelta(days=30)
    assert result.last_visit_on is None


def test_status_without_period_and_away_from_home_has_no_due_date():
    events = [EventFact(EventKind.DETERMINATION_REFERRAL, D(2026, 3, 1), S.DETERMINING)]
    result = due(S.DETERMINING, events)
    assert (result.due_date, result.period_end, result.due_label) == (None, None, "")
    assert result.status_since == D(2026, 3, 1)


def test_status_since_is_the_latest_entry_into_the_status():
    events = [
        EventFact(EventKind.MANAGEMENT_DECISION, D(2025, 1, 10), S.MANAGED, decision_date=D(2025, 1, 10)),
        EventFact(EventKind.DETERMINATION_REFERRAL, D(2025, 6, 1), S.DETERMINING),
        EventFact(EventKind.DETERMINATION, D(2025, 6, 20), S.MANAGED),
    ]
    result = due(S.MANAGED, events, whereabouts=Whereabouts.PRISON)
    assert result.status_since == D(2025, 6, 20)
    assert result.period_end == D(2026, 6, 20)


# --- refusals ----------------------------------------------------------------------------------


def check(code, *, status, event_date, status_since=None, period_end=None, closed_on=None, today=TODAY, **kw):
    check_transition(
        workflow.TRANSITIONS_BY_CODE[code],
        status=status,
        event_date=event_date,
        today=today,
        status_since=status_since,
        period_end=period_end,
        closed_on=closed_on,
        clock=CLOCK,
        **kw,
    )


def test_wrong_source_status_is_refused_with_both_labels():
    with pytest.raises(TransitionError) as exc:
        check("addicted", status=S.SIGNS, event_date=D(2026, 3, 1), facility="TTYT")
    message = str(exc.value)
    assert "Không thể" in message
    assert str(workflow.TRANSITIONS_BY_CODE["addicted"].label) in message
    assert str(S.SIGNS.label) in message


def test_future_event_date_is_refused():
    with pytest.raises(TransitionError, match="sau ngày hôm nay"):
        check("positive_test", status=S.SIGNS, event_date=TODAY + dt.timedelta(days=1))
    check("positive_test", status=S.SIGNS, event_date=TODAY)


def test_event_before_the_current_status_began_is_refused():
    with pytest.raises(TransitionError, match="trước ngày bắt đầu"):
        check("positive_test", status=S.SIGNS, event_date=D(2026, 2, 28), status_since=D(2026, 3, 1))
    check("positive_test", status=S.SIGNS, event_date=D(2026, 3, 1), status_since=D(2026, 3, 1))


def test_article_256a_applies_only_from_1_july_2025():
    kw = {"status": S.VOLUNTARY_COMMUNITY, "status_since": D(2025, 3, 1), "today": D(2025, 8, 1)}
    with pytest.raises(TransitionError, match="256a"):
        check("prosecute", event_date=D(2025, 6, 30), **kw)
    check("prosecute", event_date=D(2025, 7, 1), **kw)


def test_prosecution_of_a_closed_file_only_within_two_years_of_closure():
    closed = D(2025, 8, 15)
    two_years = D(2027, 8, 15)
    kw = {
        "status": S.CLOSED,
        "status_since": closed,
        "closed_on": closed,
        "today": D(2028, 1, 1),
        "current_close_reason": CloseReason.REHAB_COMPLETED,
    }
    check("prosecute", event_date=two_years, **kw)
    with pytest.raises(TransitionError, match="2 năm"):
        check("prosecute", event_date=two_years + dt.timedelta(days=1), **kw)


@pytest.mark.parametrize(
    "reason",
    [CloseReason.NEGATIVE_TEST, CloseReason.TERM_COMPLETED, CloseReason.COURT_REJECTED, CloseReason.TRANSFERRED],
)
def test_prosecution_of_a_closed_file_only_after_rehab_or_post_rehab(reason):
    # Art. 256a after closure: only people who were in rehab, on methadone or under post-rehab
    # management; a negative test or a completed user-management term never qualifies.
    closed = D(2025, 8, 15)
    with pytest.raises(TransitionError, match="256a"):
        check(
            "prosecute",
            status=S.CLOSED,
            status_since=closed,
            closed_on=closed,
            event_date=D(2025, 9, 1),
            current_close_reason=reason,
        )


def test_decision_number_is_required():
    kw = {"status": S.POSITIVE, "event_date": D(2026, 3, 1)}
    for number in ("", "   "):
        with pytest.raises(TransitionError, match="số quyết định"):
            check("management_decision", decision_number=number, **kw)
    check("management_decision", decision_number="12/QĐ-UBND", **kw)


def test_facility_is_required_for_the_determination_result():
    with pytest.raises(TransitionError, match="cơ sở"):
        check("addicted", status=S.DETERMINING, event_date=D(2026, 3, 1))


@pytest.mark.parametrize(
    ("end_date", "ok"),
    [
        (D(2027, 3, 9), False),  # one day short of 12 months
        (D(2027, 3, 10), True),  # exactly 12 months
        (D(2028, 3, 10), True),  # exactly 24 months
        (D(2028, 3, 11), False),  # one day over 24 months
        (D(2026, 3, 10), False),  # ends the day it starts
        (None, False),
    ],
)
def test_compulsory_rehab_end_date_between_12_and_24_months(end_date, ok):
    kw = {
        "status": S.COMPULSORY_DOSSIER,
        "event_date": D(2026, 3, 10),
        "decision_number": "05/2026/QĐ-TA",
        "facility": "Cơ sở cai nghiện ma túy tỉnh",
        "end_date": end_date,
    }
    if ok:
        check("court_compulsory", **kw)
    else:
        with pytest.raises(TransitionError):
            check("court_compulsory", **kw)


def test_management_completed_only_at_the_period_end():
    kw = {"status": S.MANAGED, "status_since": D(2025, 3, 2), "period_end": D(2026, 3, 2)}
    with pytest.raises(TransitionError, match="02/03/2026"):
        check("management_completed", event_date=D(2026, 3, 1), **kw)
    check("management_completed", event_date=D(2026, 3, 2), **kw)


def test_complete_voluntary_not_before_six_months():
    start = D(2026, 1, 15)
    earliest = D(2026, 7, 15)
    kw = {"status": S.VOLUNTARY_COMMUNITY, "status_since": start}
    with pytest.raises(TransitionError, match="15/07/2026"):
        check("complete_voluntary", event_date=earliest - dt.timedelta(days=1), **kw)
    check("complete_voluntary", event_date=earliest, **kw)


def test_close_requires_a_valid_reason():
    kw = {"status": S.MANAGED, "event_date": D(2026, 3, 1)}
    for reason in ("", "bogus"):
        with pytest.raises(TransitionError, match="lý do"):
            check("close", close_reason=reason, **kw)
    check("close", close_reason=CloseReason.DEATH, **kw)


# --- compulsory rehab of minors (Law 2021 Art. 33), the registration deadline, Art. 256a -------

COURT = {
    "status": S.COMPULSORY_DOSSIER,
    "event_date": D(2026, 3, 10),
    "decision_number": "07/2026/QĐ-TA",
    "facility": "Cơ sở cai nghiện ma túy tỉnh",
}


def test_age_range_exact_with_a_date_of_birth_two_values_with_a_year():
    assert workflow.age_range(D(2011, 3, 10), 2011, D(2026, 3, 10)) == (15, 15)
    assert workflow.age_range(D(2011, 3, 11), 2011, D(2026, 3, 10)) == (14, 14)
    assert workflow.age_range(None, 2011, D(2026, 3, 10)) == (14, 15)
    assert workflow.age_range(None, None, D(2026, 3, 10)) is None


@pytest.mark.parametrize(
    ("end_date", "ok"),
    [
        (D(2026, 9, 9), False),  # one day short of 6 months
        (D(2026, 9, 10), True),  # 6 months: lawful for a 15-year-old
        (D(2027, 3, 10), True),  # 12 months
        (D(2027, 3, 11), False),  # over 12 months
    ],
)
def test_compulsory_rehab_of_a_15_year_old_lasts_6_to_12_months(end_date, ok):
    kw = {**COURT, "end_date": end_date, "age": (15, 15)}
    if ok:
        check("court_compulsory_minor", **kw)
    else:
        with pytest.raises(TransitionError, match="từ"):
            check("court_compulsory_minor", **kw)


def test_the_adult_court_procedure_refuses_a_minor_and_names_the_minors_one():
    with pytest.raises(TransitionError, match="dưới 18 tuổi"):
        check("court_compulsory", **COURT, end_date=D(2027, 3, 10), age=(15, 15))
    # ...and the minors' procedure refuses an adult and a child under 12.
    with pytest.raises(TransitionError, match="18 tuổi"):
        check("court_compulsory_minor", **COURT, end_date=D(2026, 9, 10), age=(19, 19))
    with pytest.raises(TransitionError, match="12"):
        check("court_compulsory_minor", **COURT, end_date=D(2026, 9, 10), age=(11, 11))
    # A year of birth alone that leaves the person either 17 or 18 allows both procedures.
    check("court_compulsory_minor", **COURT, end_date=D(2026, 9, 10), age=(17, 18))
    check("court_compulsory", **COURT, end_date=D(2027, 3, 10), age=(17, 18))


def test_minors_rehab_terms_have_their_own_legal_basis():
    minor = workflow.TRANSITIONS_BY_CODE["court_compulsory_minor"]
    adult = workflow.TRANSITIONS_BY_CODE["court_compulsory"]
    assert "Điều 33" in minor.legal_basis and minor.legal_basis != adult.legal_basis
    assert minor.term_keys == ("compulsory_rehab_minor_min", "compulsory_rehab_minor_max")
    assert (minor.min_age, minor.max_age) == (12, 18)


def test_allowed_transitions_offer_the_court_procedure_of_the_persons_age():
    codes = lambda age: {t.code for t in allowed_transitions(S.COMPULSORY_DOSSIER, age)}  # noqa: E731
    assert "court_compulsory_minor" in codes((15, 15)) and "court_compulsory" not in codes((15, 15))
    assert "court_compulsory" in codes((30, 30)) and "court_compulsory_minor" not in codes((30, 30))
    assert {"court_compulsory", "court_compulsory_minor"} <= codes(None)


def test_dossier_for_not_registering_only_after_the_registration_deadline():
    result_day = D(2026, 3, 2)  # a Monday
    deadline = add_working_days(result_day, 5, ())  # Monday 9/3: the last day to register
    kw = {"status": S.AWAITING_REGISTRATION, "status_since": result_day, "period_end": deadline}
    for day in (result_day, D(2026, 3, 6), deadline):
        with pytest.raises(TransitionError, match="hạn đăng ký"):
            check("compulsory_dossier", event_date=day, **kw)
    check("compulsory_dossier", event_date=deadline + dt.timedelta(days=1), **kw)
    # From voluntary rehab (quitting, using during rehab) the deadline is not a condition.
    check("compulsory_dossier", status=S.VOLUNTARY_COMMUNITY, status_since=D(2026, 3, 3), event_date=D(2026, 3, 4))


@pytest.mark.parametrize("status", [S.VOLUNTARY_FACILITY, S.COMPULSORY])
def test_article_256a_reachable_during_facility_rehab(status):
    check("prosecute", status=status, status_since=D(2025, 9, 1), event_date=D(2025, 10, 1))
