"""Measure the dashboards on whatever data the database holds.

    manage.py benchmark_dashboard                       # latest ended quarter, 20 iterations
    manage.py benchmark_dashboard --iterations 50 --kind year --year 2025
    manage.py benchmark_dashboard --commune 2458 --json

Reports, through the Django test client (server time, no network): the province dashboard and one
commune dashboard (default: the commune with the most case files) — p50 / p95 / max, the number of
queries, the time of the page's own SQL and the ratio page ÷ SQL (target ≤ 2×, issue 10 §7) — in four
situations: "recompute_all" (the stored figures cleared before every request: the first read after
a bulk load), "one_changed" (one commune's data stamp moved before every request, as an officer's
save does: that commune is recomputed), "unchanged" (every figure read from ``StoredFigures``) and
"cached" (the data-stamped cache of ``PCMT_DASHBOARD_CACHE_SECONDS`` on). Also the time of the raw
SQL aggregates alone (``indicators.compute`` / ``compute_many`` / ``breakdowns`` over every current
commune). Meant for PostgreSQL (``manage.py benchmark`` seeds 70,000 people there).

The pages are read as the province staff account ``--username`` (default ``bench.tinh`` from the
cases benchmark, else the first active province staff account); when that account lacks the
reporting permissions (the app not wired into the roles yet), they are granted to that account only.
"""

from __future__ import annotations

import json
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.areas.models import AdministrativeUnit
from apps.audit.models import AreaChange
from apps.bench.commands import BenchCommand
from apps.cases.models import CaseEvent, CaseFile
from apps.reporting import demographics, figures, indicators, selectors
from apps.reporting.periods import latest_ended, period_get, period_previous, period_same_last_year, recent_periods


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(times: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
    }


class _SqlTimer:
    """The time of the page's own SQL, to the microsecond. The captured queries' ``time`` is
    rounded to the millisecond, so a page of 28 queries of 0.3 ms each counted them as 0: the SQL
    looked shorter and the ratio page ÷ SQL worse than they are."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


class Command(BenchCommand):
    help = "Đo thời gian bảng điều khiển (tỉnh, xã) và thời gian tính chỉ số thuần SQL, trên dữ liệu hiện có."

    def add_arguments(self, parser):
        parser.add_argument("--iterations", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=2)
        parser.add_argument(
            "--kind", default="", help="month/quarter/half/nine_months/year (mặc định: quý đã kết thúc gần nhất)"
        )
        parser.add_argument("--year", type=int, default=0)
        parser.add_argument("--number", type=int, default=1)
        parser.add_argument("--commune", default="", help="mã xã (mặc định: xã có nhiều hồ sơ nhất)")
        parser.add_argument("--username", default="bench.tinh")
        parser.add_argument("--cache-seconds", type=int, default=300, help="thời hạn cache khi đo 'có cache'")
        parser.add_argument("--target-ms", type=int, default=200, help="mục tiêu p95 (ms) của bảng điều khiển")
        parser.add_argument(
            "--modes",
            default="recompute_all,one_changed,unchanged,cached",
            help="các tình huống đo, cách nhau bởi dấu phẩy",
        )
        parser.add_argument("--skip-aggregates", action="store_true", help="không đo riêng các tổng hợp SQL")
        parser.add_argument("--json", action="store_true")

    def _user(self, username: str):
        User = get_user_model()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            user = (
                User.objects.filter(groups__name="province_staff", is_active=True, area__level="province")
                .order_by("pk")
                .first()
            )
        if user is None:
            raise CommandError("Không có tài khoản cán bộ tỉnh (chạy seed_demo hoặc manage.py benchmark trước).")
        if not user.has_perm("reporting.view_dashboard"):
            perms = Permission.objects.filter(
                content_type__app_label="reporting", codename__in=["view_dashboard", "view_submission"]
            )
            user.user_permissions.add(*perms)
            user = User.objects.get(pk=user.pk)  # fresh permission cache
            self.log(f"(quyền reporting.view_dashboard được cấp riêng cho {user.username})")
        return user

    def _measure(self, client: Client, path: str, iterations: int, warmup: int, before=None) -> dict:
        for _ in range(warmup):
            if before:
                before()
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path}: HTTP {response.status_code}")
        times, counts, db = [], [], []
        for _ in range(iterations):
            if before:
                before()
            sql = _SqlTimer()
            with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(sql):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            counts.append(len(ctx.captured_queries))
            db.append(sql.seconds * 1000)
        return {
            "path": path,
            **summary(times),
            "db_p50_ms": round(statistics.median(db), 1),
            # the page's total time ÷ the time of its own SQL (target ≤ 2×, issue 10 §7)
            "ratio_to_sql": round(statistics.median(times) / max(statistics.median(db), 0.001), 2),
            "queries": sorted(set(counts)),
            "bytes": len(response.content),
        }

    def handle(self, *args, **o):
        if connection.vendor != "postgresql":
            self.stderr.write(self.style.WARNING(f"Cơ sở dữ liệu là {connection.vendor}, không phải PostgreSQL."))
        period = period_get(o["kind"], o["year"], o["number"]) if o["kind"] and o["year"] else latest_ended()
        user = self._user(o["username"])
        communes = list(AdministrativeUnit.objects.current().filter(level="commune").values_list("pk", flat=True))
        if o["commune"]:
            commune = AdministrativeUnit.objects.current().filter(level="commune", code=o["commune"]).first()
        else:
            top = (
                CaseFile.objects.filter(commune_id__in=communes)
                .values("commune_id")
                .annotate(n=Count("pk"))
                .order_by("-n")
                .first()
            )
            commune = AdministrativeUnit.objects.filter(pk=top["commune_id"]).first() if top else None
            commune = commune or AdministrativeUnit.objects.filter(pk__in=communes).order_by("search_name").first()
        if commune is None:
            raise CommandError("Không có xã, phường hiện hành (chạy load_units trước).")
        report: dict = {
            "database": connection.vendor,
            "period": period.label,
            "window": [period.start.isoformat(), period.end.isoformat()],
            "communes": len(communes),
            "case_files": CaseFile.objects.count(),
            "case_events": CaseEvent.objects.count(),
            "user": user.username,
        }
        self.log(
            f"{report['database']}: {report['communes']} xã, {report['case_files']:,} hồ sơ, "
            f"{report['case_events']:,} sự kiện; kỳ {period.label} ({period.window_label}); {o['iterations']} lần đo"
        )

        if not o["skip_aggregates"]:
            # The SQL aggregate alone: one window, and the dashboard's windows (period, previous, last year, trend).
            def timed(fn, n):
                for _ in range(o["warmup"]):
                    fn()
                out = []
                for _ in range(n):
                    started = time.perf_counter()
                    fn()
                    out.append((time.perf_counter() - started) * 1000)
                return out

            with CaptureQueriesContext(connection) as ctx:
                indicators.compute(commune_ids=communes, start=period.start, end=period.end)
            report["compute"] = {
                **summary(
                    timed(
                        lambda: indicators.compute(commune_ids=communes, start=period.start, end=period.end),
                        o["iterations"],
                    )
                ),
                "queries": len(ctx.captured_queries),
            }
            windows = [
                (p.start, p.end)
                for p in {
                    p.pk: p
                    for p in [
                        *recent_periods(period, selectors.TREND_LENGTH),
                        period_previous(period),
                        period_same_last_year(period),
                    ]
                }.values()
            ]
            report["compute_dashboard_windows"] = {
                "windows": len(windows),
                **summary(
                    timed(
                        lambda: indicators.compute_many(commune_ids=communes, windows=windows),
                        max(3, o["iterations"] // 4),
                    )
                ),
            }
            report["breakdowns"] = summary(
                timed(lambda: demographics.breakdowns(commune_ids=communes, end=period.end), o["iterations"])
            )

        original_hosts = settings.ALLOWED_HOSTS
        original_cache = getattr(settings, "PCMT_DASHBOARD_CACHE_SECONDS", None)
        if "testserver" not in original_hosts and "*" not in original_hosts:
            settings.ALLOWED_HOSTS = [*original_hosts, "testserver"]
        query = selectors.period_query(period)
        pages = {
            "province_dashboard": f"{reverse('reporting:dashboard')}?{query}",
            "commune_dashboard": f"{reverse('reporting:commune_dashboard', kwargs={'pk': commune.pk})}?{query}",
        }
        # Stamps only ever take new values (as audit entry ids do), so start above every existing one.
        first = (AreaChange.objects.aggregate(m=Max("last_entry"))["m"] or 0) + 1
        changed = iter(range(first, first + 10**9))

        def touch_one_commune():
            # what an officer's save does to the figures: one commune's stamp moves
            stamp = next(changed)
            AreaChange.objects.update_or_create(
                area_id=communes[stamp % len(communes)], defaults={"last_entry": stamp}
            )

        modes = {
            # (label, cache seconds, before each request)
            "recompute_all": ("tính lại toàn bộ (sau khi nạp hàng loạt)", 0, figures.clear),
            "one_changed": ("một xã vừa thay đổi", 0, touch_one_commune),
            "unchanged": ("không có thay đổi", 0, None),
            "cached": ("cache theo dấu dữ liệu", o["cache_seconds"], None),
        }
        chosen = [m.strip() for m in o["modes"].split(",") if m.strip()]
        unknown = set(chosen) - set(modes)
        if unknown:
            raise CommandError(f"Tình huống không có: {', '.join(sorted(unknown))}")
        modes = {m: modes[m] for m in chosen}
        try:
            client = Client(raise_request_exception=True)
            client.force_login(user)
            for mode, (_label, seconds, before) in modes.items():
                settings.PCMT_DASHBOARD_CACHE_SECONDS = seconds
                for key, path in pages.items():
                    report[f"{key}_{mode}"] = self._measure(client, path, o["iterations"], o["warmup"], before)
        finally:
            settings.ALLOWED_HOSTS = original_hosts
            if original_cache is None:
                del settings.PCMT_DASHBOARD_CACHE_SECONDS
            else:
                settings.PCMT_DASHBOARD_CACHE_SECONDS = original_cache

        if not o["skip_aggregates"]:
            c, w, b = report["compute"], report["compute_dashboard_windows"], report["breakdowns"]
            self.log(f"indicators.compute (1 kỳ, {len(communes)} xã): p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, "
                     f"{c['queries']} truy vấn")  # fmt: skip
            self.log(f"indicators.compute_many ({w['windows']} kỳ của bảng điều khiển): p50 {w['p50_ms']} ms, "
                     f"p95 {w['p95_ms']} ms")  # fmt: skip
            self.log(f"demographics.breakdowns: p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms")
        scope = getattr(user.area, "full_name", "") or "toàn hệ thống"
        titles = {"province_dashboard": f"Bảng điều khiển {scope}", "commune_dashboard": f"Bảng điều khiển {commune}"}
        target = o["target_ms"]
        self.log(f"\n{'Trang':<34} {'Tình huống':<42} {'p50':>7} {'p95':>7} {'max':>7} {'SQL p50':>8} "
                 f"{'÷SQL':>5} {'truy vấn':>9}")  # fmt: skip
        for mode, (label, _s, _b) in modes.items():
            for key, title in titles.items():
                r = report[f"{key}_{mode}"]
                self.log(f"{title[:34]:<34} {label[:42]:<42} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['max_ms']:>7} "
                         f"{r['db_p50_ms']:>8} {r['ratio_to_sql']:>5} {str(r['queries']):>9}")  # fmt: skip
        for mode in [m for m in ("one_changed", "unchanged", "cached") if m in modes]:
            r = report[f"province_dashboard_{mode}"]
            verdict = "ĐẠT" if r["p95_ms"] < target else "CHƯA ĐẠT"
            self.log(f"{titles['province_dashboard']}, {modes[mode][0]}: p95 {r['p95_ms']} ms (< {target} ms: "
                     f"{verdict}); tổng thời gian ÷ SQL = {r['ratio_to_sql']}× (mục tiêu ≤ 2×)")  # fmt: skip
        if o["json"]:
            self.log(json.dumps(report, ensure_ascii=False, indent=2))
