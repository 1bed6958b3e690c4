"""Page measurements: timed requests of the case pages as the benchmark users, with their query
counts (which must not grow with the data) and the slowest SQL."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.cases import selectors
from apps.cases.choices import Sex, Status
from apps.cases.models import CaseFile

from .dataset import is_postgres
from .users import BenchUsers

PAGE_TARGET_MS = 150.0


@dataclass
class Scenario:
    name: str
    user: Any
    path: str
    rows: Callable[[], str]
    #: the same page with much less (or more) data: the query count must not change
    compare: tuple[Any, str] | None = None


@dataclass
class ScenarioResult:
    name: str
    username: str
    path: str
    iterations: int
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    db_p50_ms: float = 0.0
    queries_min: int = 0
    queries_max: int = 0
    compare_queries: int | None = None
    rows: str = ""
    status: int = 0
    error: str = ""
    slowest_sql: list[tuple[float, str]] = field(default_factory=list)

    @property
    def queries_constant(self) -> bool:
        same = self.queries_min == self.queries_max
        return same and (self.compare_queries is None or self.compare_queries == self.queries_max)

    @property
    def meets_target(self) -> bool:
        return not self.error and self.p95_ms < PAGE_TARGET_MS and self.queries_constant

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.name, "user": self.username, "path": self.path, "iterations": self.iterations,
            "p50_ms": round(self.p50_ms, 1), "p95_ms": round(self.p95_ms, 1), "max_ms": round(self.max_ms, 1),
            "db_p50_ms": round(self.db_p50_ms, 1), "queries_min": self.queries_min, "queries_max": self.queries_max,
            "queries_small_data": self.compare_queries, "queries_constant": self.queries_constant,
            "rows": self.rows, "status": self.status, "error": self.error, "meets_target": self.meets_target,
        }  # fmt: skip


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@contextmanager
def test_client_host() -> Iterator[dict[str, Any]]:
    """Let the test client's host through ALLOWED_HOSTS for the duration of the measurements."""
    original = settings.ALLOWED_HOSTS
    if "testserver" not in original and "*" not in original:
        settings.ALLOWED_HOSTS = [*original, "testserver"]
    try:
        yield {"secure": bool(getattr(settings, "SECURE_SSL_REDIRECT", False))}
    finally:
        settings.ALLOWED_HOSTS = original


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _get(client: Client, path: str, extra: dict[str, Any]):
    return client.get(path, **extra)


def measure(scenario: Scenario, iterations: int, extra: dict[str, Any], warmup: int = 2) -> ScenarioResult:
    result = ScenarioResult(scenario.name, scenario.user.username, scenario.path, iterations)
    client = _client(scenario.user)
    try:
        for _i in range(warmup):
            response = _get(client, scenario.path, extra)
            if response.status_code != 200:
                result.status = response.status_code
                result.error = f"HTTP {response.status_code}"
                return result
        times, db_times, counts = [], [], []
        slowest: list[tuple[float, str]] = []
        for _i in range(iterations):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = _get(client, scenario.path, extra)
                times.append((time.perf_counter() - started) * 1000)
            result.status = response.status_code
            counts.append(len(ctx.captured_queries))
            timed = [(float(q.get("time") or 0) * 1000, q["sql"]) for q in ctx.captured_queries]
            db_times.append(sum(t for t, _sql in timed))
            slowest = sorted(timed, key=lambda item: -item[0])[:3]
        result.p50_ms, result.p95_ms, result.max_ms = statistics.median(times), percentile(times, 95), max(times)
        result.db_p50_ms = statistics.median(db_times)
        result.queries_min, result.queries_max = min(counts), max(counts)
        result.slowest_sql = slowest
        if scenario.compare:
            other_user, other_path = scenario.compare
            other = _client(other_user) if other_user is not scenario.user else client
            _get(other, other_path, extra)  # warm-up
            with CaptureQueriesContext(connection) as ctx:
                response = _get(other, other_path, extra)
            if response.status_code == 200:
                result.compare_queries = len(ctx.captured_queries)
        result.rows = scenario.rows()
    except Exception as exc:  # noqa: BLE001 - a page still being written must not stop the other scenarios
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    return result


def build_scenarios(users: BenchUsers) -> list[Scenario]:
    officer, province, small = users.officer, users.province, users.small_officer

    def worklist_rows(user) -> Callable[[], str]:
        def rows() -> str:
            c = selectors.worklist(user=user).counts
            return (f"overdue {c.get('overdue', 0):,}, due soon {c.get('due_soon', 0):,}, "
                    f"returned {c.get('returned', 0):,} / open {c.get('open', 0):,}")  # fmt: skip

        return rows

    def list_rows(user, **filters) -> Callable[[], str]:
        def rows() -> str:
            n = selectors.case_list(user=user, filters=selectors.CaseFilters(**filters)).count()
            return f"{n:,} matched, {min(n, 25)} shown"

        return rows

    commune_files = CaseFile.objects.filter(commune=users.commune)
    by_events = commune_files.annotate(n=Count("events")).order_by("-n", "pk").values_list("pk", "n")
    big_case, big_n = by_events.first() or (None, 0)
    small_case = commune_files.annotate(n=Count("events")).order_by("n", "pk").values_list("pk", flat=True).first()
    one = (
        CaseFile.objects.filter(commune=users.commune, status=Status.MANAGED, person__sex=Sex.MALE)
        .exclude(person__citizen_id="")
        .values_list("person__citizen_id", flat=True)
        .first()
    )
    filtered = "/cases/list/?status=managed&sex=M"
    scenarios = [
        Scenario("worklist", officer, "/cases/", worklist_rows(officer), compare=(small, "/cases/")),
        Scenario("list status=managed&sex=M", officer, filtered,
                 list_rows(officer, status=Status.MANAGED, sex=Sex.MALE),
                 compare=(officer, f"{filtered}&q={one}") if one else None),
        Scenario("list status=managed&sex=M", province, filtered,
                 list_rows(province, status=Status.MANAGED, sex=Sex.MALE),
                 compare=(province, f"{filtered}&q={one}") if one else None),
        Scenario("list default (open files)", province, "/cases/list/",
                 list_rows(province, open_only=True), compare=(province, f"/cases/list/?q={one}") if one else None),
        Scenario("search q=nguyen van hung", province, "/cases/list/?q=nguyen+van+hung",
                 list_rows(province, q="nguyen van hung"),
                 compare=(province, f"/cases/list/?q={one}") if one else None),
    ]  # fmt: skip
    if big_case:
        scenarios.append(
            Scenario("case page (most events)", officer, f"/cases/{big_case}/",
                     lambda: f"{big_n} events (file #{big_case})",
                     compare=(officer, f"/cases/{small_case}/") if small_case else None)
        )  # fmt: skip
    return scenarios


def explain(sql: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured SELECT (PostgreSQL only)."""
    if not is_postgres() or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())
