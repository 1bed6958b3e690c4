"""Precomputed figures (apps.reporting.figures): the same values as the live computation, kept
fresh by the audited services, recomputed only for the communes whose data changed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AreaChange
from apps.audit.services import audit_record
from apps.cases import services as case_services
from apps.reporting import demographics, figures, indicators
from apps.reporting.models import StoredFigures

from .helpers import Q1, build_province, expected_breakdown, expected_counts

PREVIOUS = (dt.date(2025, 9, 15), dt.date(2025, 12, 14))
WINDOWS = [Q1, PREVIOUS, (dt.date(2025, 3, 15), dt.date(2026, 3, 14))]


@pytest.fixture
def province(world, officer_a, officer_b, province_staff):
    return build_province(world, officer_a, officer_b, province_staff)


@pytest.fixture
def ids(world):
    return [world.commune_a.pk, world.commune_b.pk]


def assert_same(stored, live):
    assert len(stored) == len(live)
    for got, want in zip(stored, live, strict=True):
        assert (got.start, got.end, got.commune_ids) == (want.start, want.end, want.commune_ids)
        assert got.by_commune == want.by_commune
        assert got.total == want.total
        assert got.levels == want.levels
        assert (got.level_labels, got.assessment, got.missing) == (want.level_labels, want.assessment, want.missing)


def rows_of(unit):
    return dict(StoredFigures.objects.filter(unit=unit).values_list("start", "stamp"))


def test_stored_figures_equal_the_live_computation_and_independent_counts(world, province, ids):
    cold = figures.compute_many(commune_ids=ids, windows=WINDOWS)
    assert StoredFigures.objects.filter(kind=StoredFigures.WINDOW).count() == len(ids) * len(WINDOWS)
    warm = figures.compute_many(commune_ids=ids, windows=WINDOWS)
    live = indicators.compute_many(commune_ids=ids, windows=WINDOWS)
    assert_same(cold, live)
    assert_same(warm, live)
    expected = expected_counts([world.commune_a, world.commune_b], *Q1)
    for cid in ids:
        for code, value in expected[cid].items():
            assert warm[0].by_commune[cid][code] == value, code


def test_a_warm_read_runs_no_aggregate_query(world, province, ids):
    figures.compute_many(commune_ids=ids, windows=WINDOWS)
    with CaptureQueriesContext(connection) as ctx:
        figures.compute_many(commune_ids=ids, windows=WINDOWS)
    # stamps (2), the stored rows (1), the shared activity totals (1 with the prevention app)
    assert len(ctx.captured_queries) <= 4, [q["sql"][:120] for q in ctx.captured_queries]
    assert not any("cases_caseevent" in q["sql"] for q in ctx.captured_queries)


def test_a_change_in_one_commune_recomputes_that_commune_only(world, province, ids, officer_a):
    figures.compute_many(commune_ids=ids, windows=WINDOWS)
    before_a, before_b = rows_of(world.commune_a), rows_of(world.commune_b)
    case = province["signs_new"]
    case_services.case_transition(
        actor=officer_a,
        case=case,
        code="positive_test",
        data=case_services.EventInput(event_date=dt.date(2026, 1, 20)),
    )
    # The next read sees the change (the live value) ...
    tables = figures.compute_many(commune_ids=ids, windows=WINDOWS)
    assert_same(tables, indicators.compute_many(commune_ids=ids, windows=WINDOWS))
    # ... having recomputed commune A's rows and reused commune B's.
    after_a, after_b = rows_of(world.commune_a), rows_of(world.commune_b)
    assert after_b == before_b
    assert all(after_a[start] != before_a[start] for start in before_a)


def test_reads_do_not_move_the_stamp_but_province_wide_changes_do(world, province, ids, officer_a, province_staff):
    figures.compute_many(commune_ids=ids, windows=WINDOWS)
    stamps = figures.stamps(ids)
    case_services.case_record_view(actor=officer_a, case=province["signs_new"])
    # nor do writes the indicators do not count: issuing a report, a submission, an account
    audit_record(actor=province_staff, action="reports.issuedreport.issue", area=world.province)
    audit_record(actor=province_staff, action="reporting.submission.approve", area=world.commune_a)
    assert figures.stamps(ids) == stamps
    audit_record(actor=province_staff, action="classification.assessment.approve", area=world.province)
    moved = figures.stamps(ids)
    assert all(moved[cid] != stamps[cid] for cid in ids)
    StoredFigures.objects.update(data={"v": {}, "level": "", "labels": {}, "assessment": None})  # poison
    assert_same(
        figures.compute_many(commune_ids=ids, windows=WINDOWS),
        indicators.compute_many(commune_ids=ids, windows=WINDOWS),
    )


def test_bulk_import_moves_the_stamp_of_its_commune(world, province, ids, officer_a):
    from apps.cases.resources import CaseResource
    from apps.core.imports import import_file
    from tests.cases.test_import_export import person_row, xlsx

    figures.compute_many(commune_ids=ids, windows=WINDOWS)
    stamps = figures.stamps(ids)
    report = import_file(
        actor=officer_a,
        resource=CaseResource(user=officer_a),
        content=xlsx([person_row("Vàng Văn Nhập", detected="10/02/2026")]).read(),
        filename="ho-so.xlsx",
        dry_run=False,
        audit_action="cases.casefile.import",
    )
    assert report.ok
    moved = figures.stamps(ids)
    assert moved[world.commune_a.pk] != stamps[world.commune_a.pk]
    assert moved[world.commune_b.pk] == stamps[world.commune_b.pk]
    tables = figures.compute_many(commune_ids=ids, windows=WINDOWS)
    assert (
        tables[0].by_commune[world.commune_a.pk]["people_new"]
        == (indicators.compute(commune_ids=ids, start=Q1[0], end=Q1[1]).by_commune[world.commune_a.pk]["people_new"])
    )


def test_breakdowns_from_stored_rows_equal_the_live_ones(world, province, ids):
    live = demographics.breakdowns(commune_ids=ids, end=Q1[1])
    assert figures.breakdowns(commune_ids=ids, end=Q1[1]) == live  # cold
    assert figures.breakdowns(commune_ids=ids, end=Q1[1]) == live  # warm
    expected = expected_breakdown([world.commune_a, world.commune_b], Q1[1])
    assert live["total"] == expected["total"]
    per_commune = demographics.breakdowns_by_commune(commune_ids=ids, end=Q1[1])
    assert sum(b["total"] for b in per_commune.values()) == live["total"]


def test_disabled_computes_live_and_stores_nothing(settings, world, province, ids):
    settings.PCMT_FIGURES_PRECOMPUTED = False
    assert_same(
        figures.compute_many(commune_ids=ids, windows=WINDOWS),
        indicators.compute_many(commune_ids=ids, windows=WINDOWS),
    )
    figures.breakdowns(commune_ids=ids, end=Q1[1])
    assert not StoredFigures.objects.exists()


def test_area_change_keeps_the_latest_entry_per_area(world, officer_a, province_staff):
    first = audit_record(actor=officer_a, action="cases.casefile.update", area=world.commune_a)
    second = audit_record(actor=officer_a, action="cases.casefile.update", area=world.commune_a)
    audit_record(actor=officer_a, action="cases.casefile.export", area=world.commune_a)
    assert AreaChange.objects.get(area=world.commune_a).last_entry == second.pk > first.pk


def test_a_committed_change_refreshes_the_hot_rows_in_the_background(
    world, province, ids, officer_a, django_capture_on_commit_callbacks
):
    figures.compute_many(commune_ids=ids, windows=WINDOWS)
    figures.breakdowns(commune_ids=ids, end=Q1[1])
    before_b = rows_of(world.commune_b)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_services.case_transition(
            actor=officer_a,
            case=province["signs_new"],
            code="positive_test",
            data=case_services.EventInput(event_date=dt.date(2026, 1, 20)),
        )
    assert callbacks  # the refresh job was queued on commit (and run: the test backend is immediate)
    current = figures.stamps(ids)[world.commune_a.pk]
    stored = StoredFigures.objects.filter(unit=world.commune_a)
    assert stored.count() == len(WINDOWS) + 1
    assert set(stored.values_list("stamp", flat=True)) == {current}
    assert rows_of(world.commune_b) == before_b
    # so the next reader runs no aggregate query
    with CaptureQueriesContext(connection) as ctx:
        tables = figures.compute_many(commune_ids=ids, windows=WINDOWS)
    assert not any("cases_caseevent" in q["sql"] for q in ctx.captured_queries)
    assert_same(tables, indicators.compute_many(commune_ids=ids, windows=WINDOWS))


def test_a_province_wide_change_refreshes_every_commune(world, province, ids, province_staff):
    figures.compute_many(commune_ids=ids, windows=WINDOWS)
    audit_record(actor=province_staff, action="classification.assessment.approve", area=world.province)
    assert figures.refresh([world.province.pk]) == len(ids)
    current = figures.stamps(ids)
    for cid in ids:
        assert set(StoredFigures.objects.filter(unit_id=cid).values_list("stamp", flat=True)) == {current[cid]}


def test_the_same_window_twice_is_computed_and_stored_once(world, province, ids):
    tables = figures.compute_many(commune_ids=ids, windows=[Q1, PREVIOUS, Q1])
    assert [(t.start, t.end) for t in tables] == [Q1, PREVIOUS, Q1]
    assert tables[0].total == tables[2].total
    assert StoredFigures.objects.filter(kind=StoredFigures.WINDOW).count() == 2 * len(ids)


def test_no_commune_no_query_error(world):
    assert indicators.shared_totals(commune_ids=[], windows=WINDOWS) == [
        {"activities": 0, "activity_sessions": 0, "activity_participants": 0} for _w in WINDOWS
    ]
    assert figures.group_many(groups={}, windows=[Q1])[0].by_commune == {}
