"""Dashboards, status board and submission pages: content, scope, no personal data for steering
members, constant query counts, and the submit / return / approve / reopen actions."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.reporting import services
from apps.reporting.models import Submission, SubmissionStatus
from apps.reporting.periods import PeriodKind, period_get
from tests.utils import assert_query_budget

from .helpers import SECRET_NAMES, build_province

Q1 = "kind=quarter&year=2026&number=1"
OTHER_NAMES = ["Phạm Văn Bắt", "Vi Văn Giữ", "Triệu Văn Cũ", "Hoàng Văn Nguy Cơ"]


@pytest.fixture
def province(world, officer_a, officer_b, province_staff):
    return build_province(world, officer_a, officer_b, province_staff)


def dashboard_url(query=Q1):
    return f"{reverse('reporting:dashboard')}?{query}"


def commune_url(commune, query=Q1):
    return f"{reverse('reporting:commune_dashboard', kwargs={'pk': commune.pk})}?{query}"


def submission_url(commune, query=Q1):
    return f"{reverse('reporting:submission', kwargs={'pk': commune.pk})}?{query}"


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]  # noqa: S314


def test_province_dashboard(world, province, province_staff, client_for):
    response = client_for(province_staff).get(dashboard_url())
    assert response.status_code == 200
    html = response.content.decode()
    dash = response.context["dash"]
    assert dash.period.label == "Quý I năm 2026" and dash.previous.label == "Quý IV năm 2025"
    assert dash.last_year.label == "Quý I năm 2025"
    figures = {f.code: f for f in dash.key_figures}
    assert figures["people_total"].value == 6 and figures["crime_cases"].value == 2
    assert (
        figures["people_total"].previous
        == services.figures_for(user=province_staff, unit=world.province, period=dash.previous).values["people_total"]
    )
    assert len(dash.table) == 2 and {r.commune_id for r in dash.table} == {world.commune_a.pk, world.commune_b.pk}
    assert commune_url(world.commune_a) in html.replace("&amp;", "&")
    charts = svgs(html)
    assert len(charts) >= 3 + 4 + 1  # trends, breakdowns, tile grid
    assert 'data-testid="tile-grid"' in html and 'data-testid="chart-table"' in html
    assert "Quý I năm 2026" in html


def test_default_period_is_latest_ended_quarter(world, province_staff, client_for):
    response = client_for(province_staff).get(reverse("reporting:dashboard"))
    from apps.reporting.periods import latest_ended

    assert response.context["period"] == latest_ended()
    response = client_for(province_staff).get(reverse("reporting:dashboard") + "?kind=quarter&year=2026&number=9")
    assert response.context["period"] == latest_ended()
    response = client_for(province_staff).get(reverse("reporting:dashboard") + "?kind=year&year=2025")
    assert response.context["period"].label == "Năm 2025"


def test_commune_table_sorts(world, province, province_staff, client_for):
    client = client_for(province_staff)
    rows = client.get(dashboard_url(Q1 + "&sort=-people_total")).context["dash"].table
    assert [r.values["people_total"] for r in rows] == sorted((r.values["people_total"] for r in rows), reverse=True)
    rows = client.get(dashboard_url(Q1 + "&sort=crime_cases")).context["dash"].table
    assert rows[0].commune_id == world.commune_b.pk
    assert client.get(dashboard_url(Q1 + "&sort=evil")).context["sort"] == ""


def test_commune_dashboard_scope(world, province, officer_a, steering_a, client_for):
    assert client_for(officer_a).get(commune_url(world.commune_b)).status_code == 404
    assert client_for(steering_a).get(commune_url(world.commune_b)).status_code == 404
    response = client_for(officer_a).get(commune_url(world.commune_a))
    assert response.status_code == 200
    assert response.context["worklist"] is not None  # the officer's scope is this commune
    assert response.context["dash"].key_figures[0].value == 3
    assert client_for(steering_a).get(commune_url(world.commune_a)).context["worklist"] is None
    # a former unit or a missing one: 404 as well
    assert client_for(officer_a).get(commune_url(world.former_a)).status_code == 404


@pytest.mark.parametrize("who", ["steering_province", "steering_a", "province_staff"])
def test_no_person_name_on_dashboards(who, world, province, request, client_for):
    user = request.getfixturevalue(who)
    client = client_for(user)
    pages = [client.get(commune_url(world.commune_a)), client.get(dashboard_url())]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Xã Trung Sơn" in html  # the aggregates are there …
        for name in [*SECRET_NAMES, *OTHER_NAMES]:
            assert name not in html, name  # … never a name


def _dashboard_queries(client, url) -> int:
    client.get(url)  # warm-up: creates the periods of the trend once
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_constant_3_vs_30_communes(world, province, province_staff, officer_a, root, client_for):
    from tests.factories.areas import UnitFactory
    from tests.factories.cases import make_case
    from tests.factories.registers import make_hotspot

    client = client_for(province_staff)
    few = _dashboard_queries(client, dashboard_url())
    for n in range(28):
        unit = UnitFactory(parent=world.province, code=str(4000 + n), name=f"Thêm {n}")
        if n % 3 == 0:
            make_case(root, unit, detected_on=dt.date(2026, 1, 2))
            make_hotspot(root, unit, discovered_on=dt.date(2026, 1, 3))
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=period_get("quarter", 2026, 1))
    services.submission_approve(actor=province_staff, submission=sub)
    many = _dashboard_queries(client, dashboard_url())
    assert many == few, (few, many)
    # a commune's page costs the same whatever its data (B: ten files; an added one: one file or none)
    from apps.areas.models import AdministrativeUnit

    busy = _dashboard_queries(client, commune_url(world.commune_b))
    for unit in AdministrativeUnit.objects.filter(code__in=["4000", "4001"]):
        assert _dashboard_queries(client, commune_url(unit)) == busy
    # a locked commune reads its breakdowns from the snapshot: fewer queries, never more
    assert _dashboard_queries(client, commune_url(world.commune_a)) <= busy


def test_status_board_late_from_deadline(world, province, officer_a, officer_b, province_staff, client_for):
    q1 = period_get(PeriodKind.QUARTER, 2026, 1)
    services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    response = client_for(province_staff).get(reverse("reporting:status_board") + "?" + Q1)
    board = response.context["board"]
    states = {row.commune.pk: row.state for row in board.rows}
    assert states == {world.commune_a.pk: "submitted", world.commune_b.pk: "late"}  # deadline 16/03/2026 passed
    assert board.counts["late"] == 1 and board.counts["submitted"] == 1
    filtered = client_for(province_staff).get(reverse("reporting:status_board") + "?" + Q1 + "&state=late")
    assert [r.commune.pk for r in filtered.context["board"].rows] == [world.commune_b.pk]
    # a period whose deadline is still ahead: pending, not late
    from apps.reporting.selectors import status_board

    future_board = status_board(user=province_staff, period=q1, on=dt.date(2026, 3, 16))
    assert future_board.counts["pending"] == 1 and future_board.counts["late"] == 0
    # the commune officer sees their own commune only
    own = client_for(officer_b).get(reverse("reporting:status_board") + "?" + Q1).context["board"]
    assert [r.commune.pk for r in own.rows] == [world.commune_b.pk]


def approve_url(commune, query=Q1):
    return f"{reverse('reporting:submission_approve', kwargs={'pk': commune.pk})}?{query}"


def return_url(commune, query=Q1):
    return f"{reverse('reporting:submission_return', kwargs={'pk': commune.pk})}?{query}"


def test_submission_page_actions(world, province, officer_a, province_staff, client_for):
    """Submit on the commune's page; return and approve each on their own page (issue 12 §1)."""
    officer, staff = client_for(officer_a), client_for(province_staff)
    page = officer.get(submission_url(world.commune_a))
    assert page.status_code == 200 and page.context["can_submit"] and not page.context["can_approve"]
    data = {"kind": "quarter", "year": "2026", "number": "1"}
    response = officer.post(submission_url(world.commune_a), {**data, "action": "submit", "note": "Đã rà soát"})
    assert response.status_code == 302
    sub = Submission.objects.get(commune=world.commune_a)
    assert sub.status == SubmissionStatus.SUBMITTED
    # the officer cannot approve nor return (403), the province must give a reason to return
    confirm = {**data, "confirm": "on", "version": sub.version}
    assert officer.post(approve_url(world.commune_a), confirm).status_code == 403
    assert officer.get(return_url(world.commune_a)).status_code == 403
    response = staff.post(return_url(world.commune_a), {**data, "reason": "", "version": sub.version})
    assert response.status_code == 400
    response = staff.post(
        return_url(world.commune_a), {**data, "reason": "Thiếu số liệu methadone", "version": sub.version}
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.RETURNED and sub.return_reason == "Thiếu số liệu methadone"
    page = officer.get(submission_url(world.commune_a))
    assert "Thiếu số liệu methadone" in page.content.decode()
    officer.post(submission_url(world.commune_a), {**data, "action": "submit"})
    sub.refresh_from_db()
    # a stale approval (version from before the resubmission) is refused
    response = staff.post(approve_url(world.commune_a), {**confirm, "version": sub.version - 2})
    assert response.status_code == 400 and "phiên bản" in response.content.decode()
    staff.post(approve_url(world.commune_a), {**confirm, "version": sub.version})
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.APPROVED
    page = staff.get(submission_url(world.commune_a))
    assert page.context["figures"].source == "locked" and page.context["can_reopen"]
    response = staff.post(
        submission_url(world.commune_a),
        {**data, "action": "reopen", "reason": "Sửa ngày phát hiện", "version": sub.version},
    )
    sub.refresh_from_db()
    assert response.status_code == 302 and sub.status == SubmissionStatus.RETURNED


def test_approval_is_a_confirmation_of_what_will_be_locked(world, province, officer_a, province_staff, client_for):
    data = {"kind": "quarter", "year": "2026", "number": "1"}
    client_for(officer_a).post(submission_url(world.commune_a), {**data, "action": "submit", "note": ""})
    sub = Submission.objects.get(commune=world.commune_a)
    staff = client_for(province_staff)
    # the commune's page links to the confirmation; it no longer approves in one press
    page = staff.get(submission_url(world.commune_a)).content.decode()
    assert approve_url(world.commune_a) in page.replace("&amp;", "&")
    assert return_url(world.commune_a) in page.replace("&amp;", "&")
    assert 'name="action" value="approve"' not in page and 'name="action" value="return"' not in page
    response = staff.post(submission_url(world.commune_a), {**data, "action": "approve", "version": sub.version})
    assert response.status_code == 400
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    # GET shows what will be locked: the commune, the period, the submitted figures
    confirm_page = staff.get(approve_url(world.commune_a))
    assert confirm_page.status_code == 200
    html = confirm_page.content.decode()
    assert "Xã Trung Sơn" in html and "Quý I năm 2026" in html
    submitted = services.parse_values(sub.snapshot["indicators"])
    assert f'data-testid="locked-people_total">{submitted["people_total"]}<' in html
    assert sub.status == SubmissionStatus.SUBMITTED  # a GET changes nothing
    # POST without the confirmation box: the error is on the box, nothing approved
    response = staff.post(approve_url(world.commune_a), {**data, "version": sub.version})
    assert response.status_code == 400 and response.context["form"].errors["confirm"]
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    response = staff.post(approve_url(world.commune_a), {**data, "confirm": "on", "version": sub.version})
    assert response.status_code == 302 and response["Location"] == submission_url(world.commune_a)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.APPROVED
    # nothing left to approve: the page says so and offers no form
    again = staff.get(approve_url(world.commune_a))
    assert again.status_code == 200 and 'data-testid="approve-form"' not in again.content.decode()
    assert (
        staff.post(approve_url(world.commune_a), {**data, "confirm": "on", "version": sub.version}).status_code == 400
    )


def test_return_has_its_own_form_and_keeps_the_typed_reason(world, province, officer_a, province_staff, client_for):
    data = {"kind": "quarter", "year": "2026", "number": "1"}
    client_for(officer_a).post(submission_url(world.commune_a), {**data, "action": "submit", "note": ""})
    sub = Submission.objects.get(commune=world.commune_a)
    staff = client_for(province_staff)
    form_page = staff.get(return_url(world.commune_a))
    assert form_page.status_code == 200 and 'name="reason"' in form_page.content.decode()
    response = staff.post(return_url(world.commune_a), {**data, "reason": "Sai", "version": sub.version})
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    assert ">\nSai</textarea>" in response.content.decode()  # what was typed is kept
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED


def test_submission_page_of_another_commune_is_404(world, officer_a, client_for):
    assert client_for(officer_a).get(submission_url(world.commune_b)).status_code == 404
    response = client_for(officer_a).post(submission_url(world.commune_b), {"action": "submit"})
    assert response.status_code == 404


def test_dashboard_cache_follows_the_data(world, province, province_staff, officer_a, settings, client_for):
    from django.core.cache import cache

    from tests.factories.cases import advance, make_case

    settings.PCMT_DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    client = client_for(province_staff)
    cold = _dashboard_queries(client, dashboard_url())  # warm-up fills the cache; this run hits it
    settings.PCMT_DASHBOARD_CACHE_SECONDS = 0
    live = _dashboard_queries(client, dashboard_url())
    assert cold < live
    settings.PCMT_DASHBOARD_CACHE_SECONDS = 300
    total = client.get(dashboard_url()).context["dash"].key_figures[0].value
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 2, 2))  # a write: new stamp
    case = advance(officer_a, case, "positive_test", dt.date(2026, 2, 3))
    advance(officer_a, case, "management_decision", dt.date(2026, 2, 4), decision_number="1/QĐ")
    assert client.get(dashboard_url()).context["dash"].key_figures[0].value == total + 1
    cache.clear()


def test_a_province_decision_without_the_version_is_refused(world, province, officer_a, province_staff, client_for):
    from apps.core.locking import VERSION_MISSING

    data = {"kind": "quarter", "year": "2026", "number": "1"}
    client_for(officer_a).post(submission_url(world.commune_a), {**data, "action": "submit", "note": ""})
    response = client_for(province_staff).post(approve_url(world.commune_a), {**data, "confirm": "on"})
    assert response.status_code == 400 and str(VERSION_MISSING) in response.content.decode()
    assert Submission.objects.get(commune=world.commune_a).status == SubmissionStatus.SUBMITTED


def test_province_dashboard_reads_its_scope_stamps_and_periods_once(world, province, province_staff, client_for):
    """The plan targets shown beside the figures reuse the dashboard's communes and data stamps,
    and the comparisons take their periods from the trend: nothing is read twice."""
    client = client_for(province_staff)
    client.get(dashboard_url())  # warm-up: creates the periods of the trend once
    with assert_query_budget() as counted:
        response = client.get(dashboard_url())
    assert response.status_code == 200 and response.context["targets"].rows
    sql = counted.sql
    scope_reads = [s for s in sql if 'FROM "areas_administrativeunit"' in s and '"level" = ' in s and "ORDER BY" in s]
    stamp_reads = [s for s in sql if 'FROM "audit_areachange"' in s]
    period_reads = [s for s in sql if 'FROM "reporting_reportingperiod"' in s]
    assert len(stamp_reads) == 2, stamp_reads  # the communes' own stamps and the shared part, once
    assert len(period_reads) == 2, period_reads  # the named period, then the trend holding the others
    assert not [s for s in sql if "reporting_reportingsettings" in s]  # no default period looked up
    assert len(set(scope_reads)) == len(scope_reads), scope_reads


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL replays compiled reads")
def test_a_warm_dashboard_compiles_no_queryset(province, province_staff, client_for, monkeypatch):
    """The dashboard's reads, the session's and the user's are compiled once per process
    (``core.prepared``): the second page compiles no queryset, where it built and compiled 27 on
    every page before."""
    from django.db.models.sql.compiler import SQLCompiler

    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        compiled.append(sql)
        return sql, params

    client = client_for(province_staff)
    assert client.get(dashboard_url()).status_code == 200  # the first page compiles and stores
    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(dashboard_url()).status_code == 200
    monkeypatch.setattr(SQLCompiler, "as_sql", original)
    outer = [sql for sql in compiled if not any(sql != other and sql in other for other in compiled)]
    assert len(ctx.captured_queries) >= 15  # the page still reads what it shows
    assert outer == []


def test_dashboard_binds_its_commune_lists_whole(world, province, province_staff, client_for, monkeypatch):
    """The province's commune ids reach the database as one parameter per filter (``core.lookups.Ids``):
    a plain list is resolved id by id by the ORM on every filter, Python work that grew with the
    number of communes (~3,000 calls per page at 124 communes)."""
    from django.db.models.sql.query import Query

    from tests.factories.areas import UnitFactory

    calls = []
    original = Query.resolve_lookup_value

    def counting(self, value, *args, **kwargs):
        calls.append(value)
        return original(self, value, *args, **kwargs)

    client = client_for(province_staff)

    def resolved_on_a_page() -> int:
        client.get(dashboard_url())  # warm-up: the trend's periods, the stored figures
        calls.clear()
        monkeypatch.setattr(Query, "resolve_lookup_value", counting)
        assert client.get(dashboard_url()).status_code == 200
        monkeypatch.setattr(Query, "resolve_lookup_value", original)
        return len(calls)

    few = resolved_on_a_page()
    for n in range(40):
        UnitFactory(parent=world.province, code=str(4100 + n), name=f"Thêm {n}")
    many = resolved_on_a_page()
    assert many == few, (few, many)
