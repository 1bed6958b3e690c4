"""Issue 10 §1: ONE definition of "a person with a management record on a date", asserted on a
table of hand-made files through every consumer: classification, the dashboard indicators, the
stored figures and the report (PDF/xlsx) source figures, plus the pure span function itself."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.cases import services, stocks
from apps.cases.choices import EventKind, Status, Whereabouts
from apps.cases.models import StockSpan
from apps.classification import selectors as classification
from apps.reporting import figures, indicators
from apps.reports import sources
from tests.factories.cases import advance, make_case
from tests.utils import assert_query_budget


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# End of the 2024 and 2025 reporting years (15/12 – 14/12).
D1, D2 = d("2024-12-14"), d("2025-12-14")


def _addict(officer, commune, detected: str):
    case = make_case(officer, commune, detected_on=d(detected))
    case = advance(officer, case, "refer_determination", d(detected) + dt.timedelta(days=2))
    return advance(officer, case, "addicted", d(detected) + dt.timedelta(days=9), facility="TTYT")


def _managed(officer, commune, detected: str, decision: str):
    case = make_case(officer, commune, detected_on=d(detected))
    case = advance(officer, case, "positive_test", d(detected) + dt.timedelta(days=4))
    return advance(
        officer, case, "management_decision", d(decision), decision_number="1/QĐ", decision_date=d(decision)
    )


@pytest.fixture
def table(world, officer_a, officer_b):
    a, b = world.commune_a, world.commune_b
    made = {}
    made["signs"] = make_case(officer_a, a, detected_on=d("2024-03-01"))
    made["positive"] = advance(
        officer_a, make_case(officer_a, a, detected_on=d("2024-03-01")), "positive_test", d("2024-03-10")
    )
    made["negative"] = advance(
        officer_a, make_case(officer_a, a, detected_on=d("2024-02-01")), "negative_test", d("2024-02-10")
    )
    made["unfounded"] = advance(
        officer_a, make_case(officer_a, a, detected_on=d("2024-03-01")), "close", d("2024-04-01"), close_reason="other"
    )
    # 1-year term ends 10/05/2025, never closed: expired after that, not in the stock
    made["managed_expired"] = _managed(officer_a, a, "2024-05-01", "2024-05-10")
    # term completed and closed on time
    c = _managed(officer_a, a, "2024-01-05", "2024-01-10")
    made["managed_closed"] = advance(officer_a, c, "management_completed", d("2025-01-10"))
    # a user in 2024, determined addicted in 2025 (a type change after the 2024 window)
    c = _managed(officer_a, a, "2023-06-01", "2023-06-10")
    c = advance(officer_a, c, "refer_determination", d("2024-03-01"))
    made["addict_later"] = advance(officer_a, c, "addicted", d("2025-03-01"), facility="TTYT")
    # post-rehab management ended 01/03/2024 without a closing decision
    c = _addict(officer_a, a, "2022-01-05")
    c = advance(officer_a, c, "compulsory_dossier", d("2022-02-01"))
    c = advance(
        officer_a,
        c,
        "court_compulsory",
        d("2022-03-01"),
        decision_number="2/TA",
        facility="CS",
        end_date=d("2023-03-01"),
    )
    made["post_rehab_expired"] = advance(officer_a, c, "facility_release", d("2023-03-01"))
    # methadone since 2024
    c = _addict(officer_a, a, "2024-01-02")
    made["methadone"] = advance(officer_a, c, "start_methadone", d("2024-02-01"), facility="CS methadone")
    # managed in B, moved to A on 01/09/2024; the term decided in B ends 10/04/2025
    c = _managed(officer_b, b, "2024-04-01", "2024-04-10")
    made["transfer"] = services.case_transfer(
        actor=officer_b, case=c, to_commune=a, data=services.EventInput(event_date=d("2024-09-01"))
    )
    # in the community on D2, in prison after it
    c = _managed(officer_a, a, "2025-01-05", "2025-01-15")
    services.case_add_event(
        actor=officer_a,
        case=c,
        kind=EventKind.WHEREABOUTS,
        data=services.EventInput(event_date=d("2025-12-20"), whereabouts=Whereabouts.PRISON),
    )
    made["prison_later"] = c
    made["detected_after"] = _managed(officer_a, a, "2025-12-20", "2025-12-24")
    return made


# (day, commune) → expected figures
EXPECTED_ON = {
    (D1, "a"): {
        "people_total": 5,  # managed_expired, managed_closed, addict_later, methadone, transfer
        "people_users": 4,
        "people_addicts": 1,
        "where_community": 5,
        "where_prison": 0,
        "methadone": 1,
        "post_rehab": 0,
        "people_verifying": 2,  # signs, positive
        "people_expired": 1,  # post_rehab_expired
    },
    (D1, "b"): {"people_total": 0, "people_verifying": 0, "people_expired": 0},
    (D2, "a"): {
        "people_total": 3,  # addict_later, methadone, prison_later
        "people_users": 1,
        "people_addicts": 2,
        "where_community": 3,
        "where_prison": 0,
        "methadone": 1,
        "people_verifying": 2,
        "people_expired": 3,  # managed_expired, post_rehab_expired, transfer
    },
    (D2, "b"): {"people_total": 0, "people_verifying": 0, "people_expired": 0},
}
# year → commune → (people with a record at some time in the year, addicts among them)
EXPECTED_YEAR = {
    2024: {"a": (6, 2), "b": (1, 0)},
    2025: {"a": (7, 2), "b": (0, 0)},  # + detected_after, managed from 24/12/2025
}


def _communes(world):
    return {"a": world.commune_a, "b": world.commune_b}


def _check(values: dict, expected: dict, where: str) -> None:
    for code, n in expected.items():
        assert values[code] == n, (where, code, values[code], n)


def test_counts_on_dates_through_the_dashboard_indicators(world, table):
    communes = _communes(world)
    ids = [c.pk for c in communes.values()]
    tables = indicators.compute_many(commune_ids=ids, windows=[(d("2023-12-15"), D1), (d("2024-12-15"), D2)])
    for (day, key), expected in EXPECTED_ON.items():
        t = tables[0] if day == D1 else tables[1]
        _check(t.by_commune[communes[key].pk], expected, f"compute {day} {key}")


def test_counts_on_dates_through_the_stored_figures(world, table, settings):
    settings.PCMT_FIGURES_PRECOMPUTED = True
    communes = _communes(world)
    ids = [c.pk for c in communes.values()]
    windows = [(d("2023-12-15"), D1), (d("2024-12-15"), D2)]
    for _round in ("computed and stored", "read back"):
        tables = figures.compute_many(commune_ids=ids, windows=windows)
        for (day, key), expected in EXPECTED_ON.items():
            t = tables[0] if day == D1 else tables[1]
            _check(t.by_commune[communes[key].pk], expected, f"figures {_round} {day} {key}")
    breakdown = figures.breakdowns(commune_ids=ids, end=D1)
    assert breakdown["total"] == 5


def test_counts_on_dates_through_the_report_sources(world, table, province_staff):
    communes = _communes(world)
    for year, day in ((2024, D1), (2025, D2)):
        period = sources.get_period("year", year)
        assert period.end == day
        collected = sources.collect(user=province_staff, unit=world.province, period=period)
        rows = {row["id"]: row["values"] for row in collected["rows"]}
        for key, commune in communes.items():
            _check(rows[commune.pk], EXPECTED_ON[(day, key)], f"report {year} {key}")
        assert collected["total"]["people_total"] == EXPECTED_ON[(day, "a")]["people_total"]


def test_counts_in_year_windows_through_classification(world, table):
    communes = _communes(world)
    for year, by_commune in EXPECTED_YEAR.items():
        gathered = classification.gather_indicators(year=year, communes=list(communes.values()))
        for key, (total, addicts) in by_commune.items():
            values = gathered[communes[key].pk].values
            assert values["addicts_users_with_records"] == total, (year, key)
            assert values["addicts_with_records"] == addicts, (year, key)


def test_people_list_of_the_report_matches_the_stock(world, table):
    from apps.reports import selectors as report_selectors

    assert report_selectors.people_list_count(unit=world.province, as_of=D1) == 5
    names = {r["file_number"] for r in report_selectors.people_list_rows(unit=world.province, as_of=D1)}
    assert table["signs"].file_number not in names and table["post_rehab_expired"].file_number not in names


def test_rerun_of_an_old_year_is_unchanged_by_a_later_determination(world, officer_a):
    a = world.commune_a
    case = _managed(officer_a, a, "2024-02-01", "2024-02-10")
    case = advance(officer_a, case, "refer_determination", d("2024-11-01"))

    def snapshot():
        year = classification.gather_indicators(year=2024, communes=[a])[a.pk].values
        on = indicators.compute(commune_ids=[a.pk], start=d("2023-12-15"), end=D1).by_commune[a.pk]
        return (
            year["addicts_users_with_records"],
            year["addicts_with_records"],
            on["people_users"],
            on["people_addicts"],
        )

    before = snapshot()
    assert before == (1, 0, 1, 0)
    advance(officer_a, case, "addicted", d("2025-02-01"), facility="TTYT")
    assert snapshot() == before
    on_2025 = indicators.compute(commune_ids=[a.pk], start=d("2024-12-15"), end=D2).by_commune[a.pk]
    assert on_2025["people_addicts"] == 1


def test_spans_are_rebuilt_by_the_services_and_the_command(world, table):
    from django.core.management import call_command

    before = sorted(StockSpan.objects.values_list("case_file_id", "category", "status", "valid_from", "valid_to"))
    StockSpan.objects.all().delete()
    call_command("rebuild_stocks", verbosity=0)
    after = sorted(StockSpan.objects.values_list("case_file_id", "category", "status", "valid_from", "valid_to"))
    assert before == after and after
    # the negative and unfounded files have no stock span at all
    for key in ("negative", "unfounded", "signs", "positive"):
        assert not StockSpan.objects.filter(case_file=table[key], category=stocks.STOCK).exists()


def test_counting_queries_do_not_grow_with_communes_or_days(world, table):
    ids = [world.commune_a.pk, world.commune_b.pk]
    with assert_query_budget(1):
        stocks.counts_on(ids, [D1, D2, d("2025-06-30")])
    with assert_query_budget(1):
        stocks.counts_in_window(ids, d("2024-01-01"), d("2024-12-31"))


# --- the pure function ----------------------------------------------------------------------------


def _clock():
    from apps.cases.workflow import Clock

    class Row:
        def __init__(self, key):
            self.key, self.label, self.value, self.unit, self.law = key, key, 12, "months", "law"
            self.effective_from, self.effective_to, self.verification = d("2022-01-01"), None, "verified"

    return Clock(durations=[Row("management_period"), Row("post_rehab_period")])


def test_pure_spans_of_a_managed_user_whose_term_ended():
    E = stocks.EventRow
    spans = stocks.compute_spans(
        status=Status.MANAGED,
        case_type="user",
        whereabouts=Whereabouts.COMMUNITY,
        close_reason="",
        detected_on=d("2024-01-01"),
        events=[
            E(EventKind.OPENED, d("2024-01-01"), Status.SIGNS),
            E(EventKind.TEST, d("2024-01-05"), Status.POSITIVE),
            E(EventKind.MANAGEMENT_DECISION, d("2024-01-10"), Status.MANAGED, d("2024-01-08")),
        ],
        clock=_clock(),
    )
    assert [(s.category, s.valid_from, s.valid_to) for s in spans] == [
        (stocks.VERIFYING, d("2024-01-01"), d("2024-01-05")),
        (stocks.VERIFYING, d("2024-01-05"), d("2024-01-10")),
        (stocks.STOCK, d("2024-01-10"), d("2025-01-08")),
        (stocks.EXPIRED, d("2025-01-08"), None),
    ]


def test_pure_spans_of_a_negative_episode_count_no_stock_even_if_miscoded():
    E = stocks.EventRow
    spans = stocks.compute_spans(
        status=Status.CLOSED,
        case_type="user",
        whereabouts=Whereabouts.COMMUNITY,
        close_reason="negative_test",
        detected_on=d("2024-01-01"),
        events=[
            E(EventKind.OPENED, d("2024-01-01"), Status.SIGNS),
            E(EventKind.TEST, d("2024-01-05"), Status.POSITIVE),
            E(EventKind.MANAGEMENT_DECISION, d("2024-01-10"), Status.MANAGED),
            E(EventKind.CLOSURE, d("2024-03-01"), Status.CLOSED),
        ],
        clock=_clock(),
    )
    assert {s.category for s in spans} == {stocks.VERIFYING}


def test_expired_terms_are_on_the_officers_worklist(world, table, officer_a):
    from apps.cases import selectors

    worklist = selectors.worklist(user=officer_a, on=d("2026-01-01"))
    expired = {c.pk for c in worklist.expired}
    assert expired == {table["managed_expired"].pk, table["post_rehab_expired"].pk, table["transfer"].pk}
    assert worklist.counts["expired"] == 3
