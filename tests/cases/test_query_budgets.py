"""Query budgets of the pages the load test hits most (issue 14 §3): a fixed number of queries,
whatever the number of files, events or communes, and no more than the pages need today. The
constant-count tests of test_views.py catch an N+1; these catch a lookup repeated per request.

Each budget names what the page reads, so a new query has to be argued for."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.cases.models import CaseEvent
from tests.factories.cases import advance, make_case

# every page: the session and the user with its unit; the permissions and unit ids are reused
# across requests under a shared version (tests/core/test_scope_cache.py: one cache read, a query
# with the database cache of production, none with the test's memory cache); the session is saved
# only when its renewal is due (tests/accounts/test_session_renewal.py)
REQUEST = 3


def _files(world, officer, n):
    made = []
    for i in range(n):
        case = make_case(officer, world.commune_a, full_name=f"Nguyễn Văn Hùng {i}")
        if i % 3 == 0:
            case = advance(officer, case, "positive_test", dt.date(2026, 1, 10))
        made.append(case)
    return made


def _count(client, method, url, data=None, status=200):
    getattr(client, method)(url, data) if data is None or method == "get" else None  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == status, response.status_code
    return len(ctx.captured_queries), [q["sql"][:120] for q in ctx.captured_queries]


@pytest.mark.parametrize(
    "query,budget",
    [
        # filter choices (substances, communes, ethnicities), count, page, substances of the page,
        # the audit entry of the read (chain lock, last hash, insert)
        ("", REQUEST + 9),
        ("?q=nguyen+van+hung", REQUEST + 9),
        ("?status=managed&sex=M&sort=name", REQUEST + 9),
    ],
)
def test_case_list_budget(world, officer_a, province_staff, client_for, query, budget):
    _files(world, officer_a, 4)
    for user in (officer_a, province_staff):
        n, sql = _count(client_for(user), "get", reverse("cases:casefile_list") + query)
        assert n <= budget, sql


def test_worklist_budget(world, officer_a, client_for):
    _files(world, officer_a, 4)
    # counts, four sections, holiday years
    n, sql = _count(client_for(officer_a), "get", reverse("cases:worklist"))
    assert n <= REQUEST + 6, sql


def test_case_page_budget(world, officer_a, client_for):
    (case,) = _files(world, officer_a, 1)
    # the file, its substances, the view's audit entry (3), timeline, transferred to, the
    # duplicate check (pairs marked distinct, candidates; their files and scope when there are some)
    n, sql = _count(client_for(officer_a), "get", reverse("cases:casefile_detail", args=[case.pk]))
    assert n <= REQUEST + 11, sql


def test_home_visit_form_and_save_budget(world, officer_a, client_for):
    (case,) = _files(world, officer_a, 1)
    case = advance(officer_a, case, "management_decision", dt.date(2026, 1, 12), decision_number="1/QĐ")
    client = client_for(officer_a)
    url = reverse("cases:casefile_event", args=[case.pk, "home_visit"])
    n, sql = _count(client, "get", url)
    assert n <= REQUEST + 2, sql  # the file and its substances
    before = CaseEvent.objects.filter(case_file=case).count()
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, {"event_date": "10/02/2026", "result": "Có mặt"})
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case_file=case).count() == before + 1
    sql = [q["sql"][:120] for q in ctx.captured_queries]
    # The legal durations and the holidays are read once per save, not once for the due date and
    # again for the stock spans.
    assert sum("cases_legalduration" in q for q in sql) == 1, sql
    assert sum('FROM "cases_holiday"' in q for q in sql) == 1, sql
