"""Measure the dashboards on whatever data the database holds.

    manage.py benchmark_dashboard                       # latest ended quarter, 20 iterations
    manage.py benchmark_dashboard --iterations 50 --kind year --year 2025
    manage.py benchmark_dashboard --commune 2458 --json

Reports, through the Django test client (server time, no network): the province dashboard and one
commune dashboard (default: the commune with the most case files) — p50 / p95 / max and the number
of queries — and the time of the raw SQL aggregate ``indicators.compute`` for every current commune,
with the ratio dashboard p50 ÷ compute p50 (target ≤ 1.5×: the page adds little to the aggregate
it cannot avoid). Each page is measured twice: "cold" with the dashboard cache off (every request
computes its aggregates) and "warm" with it on (``PCMT_DASHBOARD_CACHE_SECONDS``, the aggregates
reused until the data changes). Meant for PostgreSQL (``manage.py benchmark`` seeds 70,000 people there).

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
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.areas.models import AdministrativeUnit
from apps.cases.models import CaseEvent, CaseFile
from apps.reporting import indicators, selectors
from apps.reporting.periods import latest_ended, period_get


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


class Command(BaseCommand):
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
        parser.add_argument("--json", action="store_true")

    def log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

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

    def _measure(self, client: Client, path: str, iterations: int, warmup: int) -> dict:
        for _ in range(warmup):
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path}: HTTP {response.status_code}")
        times, counts, db = [], [], []
        for _ in range(iterations):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            counts.append(len(ctx.captured_queries))
            db.append(sum(float(q.get("time") or 0) for q in ctx.captured_queries) * 1000)
        return {
            "path": path,
            **summary(times),
            "db_p50_ms": round(statistics.median(db), 1),
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
        from apps.reporting.periods import period_previous, period_same_last_year, recent_periods

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
            timed(lambda: indicators.breakdowns(commune_ids=communes, end=period.end), o["iterations"])
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
        try:
            client = Client(raise_request_exception=True)
            client.force_login(user)
            # cold: every request computes its aggregates (cache off); warm: the cache holds them
            for mode, seconds in (("cold", 0), ("warm", o["cache_seconds"])):
                settings.PCMT_DASHBOARD_CACHE_SECONDS = seconds
                for key, path in pages.items():
                    report[f"{key}_{mode}"] = self._measure(client, path, o["iterations"], o["warmup"])
        finally:
            settings.ALLOWED_HOSTS = original_hosts
            if original_cache is None:
                del settings.PCMT_DASHBOARD_CACHE_SECONDS
            else:
                settings.PCMT_DASHBOARD_CACHE_SECONDS = original_cache
        base = max(report["compute"]["p50_ms"], 0.001)
        for mode in ("cold", "warm"):
            report[f"ratio_{mode}"] = round(report[f"province_dashboard_{mode}"]["p50_ms"] / base, 2)
        # the aggregates a cold province dashboard cannot avoid: its windows and its breakdowns
        own = report["compute_dashboard_windows"]["p50_ms"] + report["breakdowns"]["p50_ms"]
        report["ratio_cold_vs_own_aggregates"] = round(
            report["province_dashboard_cold"]["p50_ms"] / max(own, 0.001), 2
        )

        c, w, b = report["compute"], report["compute_dashboard_windows"], report["breakdowns"]
        self.log(f"indicators.compute (1 kỳ, {len(communes)} xã): p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, "
                 f"{c['queries']} truy vấn")  # fmt: skip
        self.log(f"indicators.compute_many ({w['windows']} kỳ của bảng điều khiển): p50 {w['p50_ms']} ms, "
                 f"p95 {w['p95_ms']} ms")  # fmt: skip
        self.log(f"indicators.breakdowns: p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms")
        titles = {"province_dashboard": "Bảng điều khiển tỉnh", "commune_dashboard": f"Bảng điều khiển {commune}"}
        for mode, label in (("cold", "không cache"), ("warm", "có cache")):
            for key, title in titles.items():
                r = report[f"{key}_{mode}"]
                self.log(f"{title} ({label}): p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms, "
                         f"SQL p50 {r['db_p50_ms']} ms, truy vấn {r['queries']}, {r['bytes'] // 1024} KB")  # fmt: skip
        for mode, label in (("cold", "không cache"), ("warm", "có cache")):
            ratio = report[f"ratio_{mode}"]
            verdict = "ĐẠT" if ratio <= 1.5 else "CHƯA ĐẠT"
            self.log(f"Tỷ lệ bảng điều khiển tỉnh ({label}) ÷ compute: {ratio}× (mục tiêu ≤ 1,5×: {verdict})")
        ratio = report["ratio_cold_vs_own_aggregates"]
        self.log(
            f"Tỷ lệ bảng điều khiển tỉnh (không cache) ÷ các tổng hợp SQL của chính nó (compute_many + breakdowns "
            f"= {own:.1f} ms): {ratio}× (mục tiêu ≤ 1,5×: {'ĐẠT' if ratio <= 1.5 else 'CHƯA ĐẠT'})"
        )
        if o["json"]:
            self.log(json.dumps(report, ensure_ascii=False, indent=2))
