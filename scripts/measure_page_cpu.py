"""Time the load test's pages on the benchmark data, with production settings: wall p50/p95, SQL,
page ÷ SQL and the CPU this process spent per page (issue 14 §3, "Python time per page").

    DATABASE_URL=postgres://…/bench .venv/bin/python scripts/measure_page_cpu.py [--iterations 20]
        [--only worklist] [--profile "case page"] [--sql "visit form POST"]

Needs a database seeded by ``manage.py benchmark`` (its users ``bench.congan``, largest commune,
and ``bench.tinh``, province staff) and collected static files (``DJANGO_STATIC_ROOT``, default
``var/bench-static``; ``collectstatic`` runs when the manifest is missing). The visit POST runs in a
transaction that is rolled back, so the data stays as seeded.

On a shared machine the wall times carry the load (printed before and after); the CPU column
(``time.process_time``: template rendering, ORM, decoding rows) barely does, which makes it the
figure to compare before and after a change, and ``--calls`` (function calls per request, the
same on an idle or a loaded machine) the most stable one. ``--profile`` prints cProfile of five requests
instead of timing them; ``--sql`` lists each query of one request with its time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuyenquang_pcmt.settings.bench")
os.environ.setdefault("DJANGO_SECRET_KEY", "page-timings-" + "x" * 50)  # a local measurement only
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "var" / "bench-static"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--only", action="append", default=[], help="pages whose name contains this")
    parser.add_argument("--profile", default="", help="cProfile the page whose name contains this")
    parser.add_argument("--sql", default="", help="list the queries of the page whose name contains this")
    parser.add_argument(
        "--calls", action="store_true", help="Python function calls per request (does not depend on the load)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # one request log line per request would be timed too
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.bench import benchmark as bench
    from apps.cases.choices import Status
    from apps.cases.models import CaseFile

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    province = bench.ensure_units(lambda message: None)
    users = bench.ensure_users(province)
    officer, staff = users.officer, users.province
    files = CaseFile.objects.filter(commune=users.commune, status=Status.MANAGED)
    busiest = files.annotate(n=Count("events")).order_by("-n", "pk").values_list("pk", flat=True).first()
    visited = files.order_by("pk").values_list("pk", flat=True).first()
    pages = [
        ("home officer", officer, "get", "/"),
        ("home province", staff, "get", "/"),
        ("worklist officer", officer, "get", "/cases/"),
        ("list managed&M officer", officer, "get", "/cases/list/?status=managed&sex=M"),
        ("list managed&M province", staff, "get", "/cases/list/?status=managed&sex=M"),
        ("list default province", staff, "get", "/cases/list/"),
        ("search nguyen van hung province", staff, "get", "/cases/list/?q=nguyen+van+hung"),
        ("search hung officer", officer, "get", "/cases/list/?q=hung"),
        ("case page officer", officer, "get", f"/cases/{busiest}/"),
        ("visit form GET", officer, "get", f"/cases/{visited}/event/home_visit/"),
        ("visit form POST", officer, "post", f"/cases/{visited}/event/home_visit/"),
    ]
    clients: dict[int, Client] = {}

    def hit(user, method: str, path: str):
        if user.pk not in clients:
            clients[user.pk] = Client(raise_request_exception=True)
            clients[user.pk].force_login(user)
        client = clients[user.pk]
        if method == "get":
            return client.get(path)
        with transaction.atomic():
            response = client.post(path, {"event_date": "01/11/2026", "result": "Có mặt ở nhà"})
            transaction.set_rollback(True)
        return response

    print(f"load average {os.getloadavg()}")
    print(f"{'page':<32} {'p50':>7} {'p95':>7} {'SQL p50':>7} {'÷SQL':>5} {'CPU p50':>7} {'queries':>7}")
    for name, user, method, path in pages:
        if args.only and not any(part in name for part in args.only):
            continue
        for _warm in range(2):
            response = hit(user, method, path)
        if args.sql and args.sql in name:
            with CaptureQueriesContext(connection) as ctx:
                hit(user, method, path)
            print(f"--- {name}")
            for q in ctx.captured_queries:
                print(f"{float(q['time'] or 0) * 1000:7.1f}  {q['sql'][:200]}")
            continue
        if args.profile and args.profile in name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _i in range(5):
                hit(user, method, path)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
            print(f"--- {name}\n{out.getvalue()}")
            continue
        if args.calls:
            profiler = cProfile.Profile()
            profiler.runcall(hit, user, method, path)
            calls = pstats.Stats(profiler).total_calls
            print(f"{name:<32} {calls:>9,} Python function calls per request")
            continue
        walls, sqls, cpus, counts = [], [], [], []
        for _i in range(args.iterations):
            with CaptureQueriesContext(connection) as ctx:
                cpu, wall = time.process_time(), time.perf_counter()
                response = hit(user, method, path)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            counts.append(len(ctx.captured_queries))
            sqls.append(sum(float(q["time"] or 0) for q in ctx.captured_queries) * 1000)
        p50, sql = statistics.median(walls), statistics.median(sqls)
        queries = str(min(counts)) if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"
        print(
            f"{name:<32} {p50:7.1f} {percentile(walls, 95):7.1f} {sql:7.1f} {p50 / max(sql, 0.01):5.1f} "
            f"{statistics.median(cpus):7.1f} {queries:>7}  (HTTP {response.status_code})"
        )
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
