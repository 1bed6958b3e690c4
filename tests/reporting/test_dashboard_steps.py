"""Issue 13 item 4: the dashboard is gather (the reads) → overlay (locked snapshots over the live
figures) → present (the layout). Only the first step queries the database; the three steps give the
same dashboard as ``selectors.dashboard``, a locked commune's snapshot included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reporting import selectors, services
from apps.reporting.periods import period_get
from apps.reporting.selectors import gathering

from .helpers import build_province


@pytest.fixture
def locked_province(world, officer_a, officer_b, province_staff):
    build_province(world, officer_a, officer_b, province_staff)
    period = period_get("quarter", 2026, 1)
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
    services.submission_approve(actor=province_staff, submission=sub)
    return period


def _plain(dash) -> dict:
    return {
        "key": [(f.code, f.value, f.previous, f.last_year) for f in dash.key_figures],
        "table": [(r.commune_id, r.values, r.level, r.locked, r.has_data, r.state) for r in dash.table],
        "trends": [(c.title, c.rows) for c in dash.trends],
        "breakdowns": [(c.title, c.rows) for c in dash.breakdown_charts],
        "source": dash.source,
        "covered": dash.covered,
    }


def test_overlay_and_present_make_no_query_and_match_the_dashboard(locked_province, province_staff):
    period = locked_province
    gathered = selectors.gather(user=province_staff, unit=None, period=period)
    assert set(gathered.locked_now)  # the approved commune is locked in the period
    with CaptureQueriesContext(connection) as ctx:
        overlaid = selectors.overlay(gathered)
        dash = selectors.present(gathered, overlaid, unit=None, sort="", with_table=True)
    assert ctx.captured_queries == []
    whole = selectors.dashboard(user=province_staff, unit=None, period=period)
    assert _plain(dash) == _plain(whole)
    assert dash.source == "mixed" and dash.locked_count == 1


def test_the_cached_dashboard_follows_submissions_without_a_data_change(
    world, officer_a, officer_b, province_staff, settings
):
    """The whole dashboard is cached under the data stamp; a submission's approval or reopening
    moves no stamp, so the key also carries the state of the period's submissions."""
    from django.core.cache import cache

    build_province(world, officer_a, officer_b, province_staff)
    settings.PCMT_DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    period = period_get("quarter", 2026, 1)
    first = selectors.dashboard(user=province_staff, unit=None, period=period)
    with CaptureQueriesContext(connection) as hit:
        again = selectors.dashboard(user=province_staff, unit=None, period=period)
    assert _plain(again) == _plain(first) and first.source == "live"
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
    services.submission_approve(actor=province_staff, submission=sub)
    locked = selectors.dashboard(user=province_staff, unit=None, period=period)
    assert locked.source == "mixed" and locked.locked_count == 1
    row = next(r for r in locked.table if r.commune_id == world.commune_a.pk)
    assert row.locked and row.state == "approved"
    # a hit reads the scope, the stamps and the submissions' state only
    with CaptureQueriesContext(connection) as live:
        settings.PCMT_DASHBOARD_CACHE_SECONDS = 0
        selectors.dashboard(user=province_staff, unit=None, period=period)
    assert len(hit.captured_queries) < len(live.captured_queries)
    cache.clear()


@pytest.mark.parametrize("stored_twice", [False, True], ids=["first read", "group rows stored"])
def test_scope_totals_from_group_rows_equal_the_communes_summed(
    locked_province, province_staff, monkeypatch, stored_twice
):
    """Issue 10 §7: the trend and comparison windows read the scope's stored total (one group row
    per window) instead of every commune's row; the page must not change, an approved snapshot in
    one of those windows included (here one that differs from the live figures)."""
    from apps.reporting.models import Submission

    sub = Submission.objects.get(period=locked_province)
    snapshot = dict(sub.snapshot)
    snapshot["indicators"] = {**snapshot["indicators"], "people_new": 7, "crime_cases": 3}
    Submission.objects.filter(pk=sub.pk).update(snapshot=snapshot)
    later = period_get("quarter", 2026, 2)  # Q1 is its previous period and part of its trend
    grouped = selectors.dashboard(user=province_staff, unit=None, period=later)
    if stored_twice:
        grouped = selectors.dashboard(user=province_staff, unit=None, period=later)
    gathered = selectors.gather(user=province_staff, unit=None, period=later)
    assert any(t.totals_only for t in gathered.tables)  # the group rows were used
    monkeypatch.setattr(gathering, "_scope_group", lambda ids, root: None)
    per_commune = selectors.dashboard(user=province_staff, unit=None, period=later)
    assert _plain(grouped) == _plain(per_commune)
    previous = {f.code: f.previous for f in grouped.key_figures}
    assert previous["people_new"] >= 7 and previous["crime_cases"] >= 3


def test_a_trend_period_without_any_record_is_a_gap_on_group_rows(world, province_staff):
    # nothing recorded anywhere: every trend point is a gap ("chưa có số liệu"), not a zero
    period = period_get("quarter", 2026, 2)
    gathered = selectors.gather(user=province_staff, unit=None, period=period)
    assert any(t.totals_only for t in gathered.tables)
    overlaid = selectors.overlay(gathered)
    assert overlaid.gaps and all(overlaid.gaps)


def test_an_approval_after_a_cached_read_still_replaces_the_live_values(
    world, officer_a, officer_b, province_staff, settings, monkeypatch
):
    """An approval moves no data stamp: the cached trend totals read before it must not hide the
    approved snapshot of a trend window (the live values of the newly locked commune are needed)."""
    from django.core.cache import cache

    from apps.reporting.models import Submission

    build_province(world, officer_a, officer_b, province_staff)
    settings.PCMT_DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    q1, q2 = period_get("quarter", 2026, 1), period_get("quarter", 2026, 2)
    selectors.dashboard(user=province_staff, unit=None, period=q2)  # cached before the approval
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    services.submission_approve(actor=province_staff, submission=sub)
    snapshot = dict(Submission.objects.get(pk=sub.pk).snapshot)
    snapshot["indicators"] = {**snapshot["indicators"], "people_new": 7, "crime_cases": 3}
    Submission.objects.filter(pk=sub.pk).update(snapshot=snapshot, version=sub.version + 1)
    after = selectors.dashboard(user=province_staff, unit=None, period=q2)
    cache.clear()
    monkeypatch.setattr(gathering, "_scope_group", lambda ids, root: None)
    per_commune = selectors.dashboard(user=province_staff, unit=None, period=q2)
    assert _plain(after) == _plain(per_commune)
    cache.clear()
