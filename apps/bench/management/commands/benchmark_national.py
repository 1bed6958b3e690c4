"""Benchmark at national scale (issues 4 and 6): 10,000 communes, 250,000 people, ~2.5M events.

    manage.py benchmark_national                          # units + seed (if absent) + measurements
    manage.py benchmark_national --skip-seed              # measure what the database holds
    manage.py benchmark_national --communes 20 --provinces 3 --persons 500 --allow-sqlite   # a trial

1. Creates the synthetic national tree (``apps.bench.national``: generation ``bench-vn``,
   root "Toàn quốc (mô phỏng)", 34 provinces, 10,000 communes with their population), idempotently.
   The database must hold no other current commune (do not run ``load_units`` there).
2. Seeds people, files and timelines with ``apps.bench.benchmark.seed`` (files ``BM-…``) over those
   communes, unless benchmark files already exist (``manage.py benchmark --reset --skip-seed``
   removes them).
3. Creates ``bench.quocgia`` (province staff role, area = the national root, no usable password).
4. Measures ``classification.services.assessment_run`` over every current commune as that user
   (wall time, queries, peak RSS; rolled back unless ``--keep-assessment``), and the dashboards
   through ``manage.py benchmark_dashboard --username bench.quocgia`` plus a breakdown of one cold
   national dashboard request (scope, aggregates, assembly, rendering, slowest SQL).

Peak RSS: the process's high-water mark is reset before the assessment (Linux ``clear_refs``), so
"peak" is the most the process held during it; run with ``--skip-seed`` in a fresh process for
figures not inflated by the seeding's allocations.
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import pstats
import resource
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit, UnitPopulation
from apps.bench import benchmark as bench
from apps.bench import national
from apps.bench.commands import BenchCommand
from apps.cases.models import Ethnicity, LegalDuration, SubstanceType
from apps.classification import selectors as classification_selectors
from apps.classification import services as classification_services
from apps.classification.models import RuleSet
from apps.core import scoping
from apps.reporting import selectors as reporting_selectors
from apps.reporting import services as reporting_services
from apps.reporting.periods import latest_ended

NATIONAL_USERNAME = "bench.quocgia"
ASSESSMENT_TARGET_S = 60.0
DASHBOARD_TARGET_MS = 1000.0


# --- measuring helpers ----------------------------------------------------------------------------


def _proc_status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Reset the process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


@contextmanager
def _trace():
    """Every query run inside: (seconds, length of the SQL text, start of the SQL)."""
    queries: list[tuple[float, int, str]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            n = len(params) if params is not None and not many else 0
            queries.append((time.perf_counter() - started, len(sql) + n, " ".join(sql.split())[:160]))

    with connection.execute_wrapper(wrapper):
        yield queries


def _slowest(queries: list[tuple[float, int, str]], n: int = 5) -> list[dict]:
    return [
        {"ms": round(s * 1000, 1), "sql_chars_plus_params": size, "sql": sql}
        for s, size, sql in sorted(queries, key=lambda q: -q[0])[:n]
    ]


def _mb(kb: int | None) -> float | None:
    return None if kb is None else round(kb / 1024, 1)


class Command(BenchCommand):
    help = (
        "Đo hiệu năng cỡ toàn quốc: tạo cây đơn vị mô phỏng (10.000 xã, 34 tỉnh), 250.000 người (~2,5 triệu sự "
        "kiện), rồi đo phân loại 10.000 xã và bảng điều khiển toàn quốc (tài khoản bench.quocgia)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=10_000, help="số xã, phường mô phỏng (mặc định 10000)")
        parser.add_argument("--provinces", type=int, default=34, help="số tỉnh mô phỏng (mặc định 34)")
        self.add_seed_arguments(parser, persons=250_000)
        parser.add_argument("--skip-seed", action="store_true", help="không tạo hồ sơ, chỉ đo")
        parser.add_argument("--year", type=int, default=0, help="năm phân loại (mặc định: năm trước)")
        parser.add_argument("--ruleset", default="QD-28-2025", help="bộ tiêu chí (mặc định QD-28-2025)")
        parser.add_argument("--keep-assessment", action="store_true", help="giữ kết quả phân loại (mặc định hủy)")
        parser.add_argument("--skip-assessment", action="store_true", help="không đo phân loại")
        parser.add_argument("--skip-dashboard", action="store_true", help="không đo bảng điều khiển")
        parser.add_argument("--iterations", type=int, default=5, help="số lần đo mỗi trang (mặc định 5)")
        parser.add_argument(
            "--dashboard-modes",
            default="one_changed,unchanged,cached",
            help="tình huống đo bảng điều khiển (xem benchmark_dashboard --modes)",
        )
        parser.add_argument("--profile", action="store_true", help="in cProfile một lần tải bảng điều khiển")
        parser.add_argument("--allow-sqlite", action="store_true", help="cho chạy trên SQLite (chỉ để thử)")
        parser.add_argument("--json", action="store_true", help="in thêm kết quả dạng JSON")

    def handle(self, *args, **o):
        if connection.vendor != "postgresql" and not o["allow_sqlite"]:
            raise CommandError(
                f"The database is {connection.vendor}: the national benchmark needs PostgreSQL (set DATABASE_URL), "
                "or --allow-sqlite for a small trial."
            )
        report: dict = {"database": connection.vendor}
        self.check_reference_data()
        # Before anything is written: a database with real units must not receive the synthetic tree.
        others = (
            AdministrativeUnit.objects.current()
            .filter(level="commune")
            .exclude(generation_id=national.GENERATION_CODE)
            .count()
        )
        if others:
            raise CommandError(
                f"{others:,} current communes outside the synthetic generation: the seeder and the assessment would "
                "include them. Use a database holding only the national tree (no load_units)."
            )

        summary = national.national_units_create(communes=o["communes"], provinces=o["provinces"])
        report["units"] = asdict(summary)
        verb = "Created" if summary.created else "Already present"
        self.log(
            f"{verb}: generation {summary.generation}, 1 root, {summary.provinces} provinces, {summary.communes:,} "
            f"communes, {summary.populations:,} population rows ({summary.population_year}) in {summary.seconds:.1f} s"
        )
        if summary.created and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {AdministrativeUnit._meta.db_table}, {UnitPopulation._meta.db_table}")
        root = national.national_root()

        existing = bench.benchmark_files().count()
        if o["skip_seed"]:
            self.log(f"Not seeding (--skip-seed): {existing:,} benchmark files present.")
            if existing:
                bench.analyze()
        elif existing:
            self.log(
                f"{existing:,} benchmark files (BM-…) already present: not seeding again "
                "(manage.py benchmark --reset --skip-seed removes them)."
            )
        else:
            report["seed"] = self.seed_files(o, how="apps.bench.benchmark.seed, bulk_create")

        counts = bench.counts_summary()
        report["counts"] = counts
        self.log("Database: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

        user = self.ensure_user(root)
        report["user"] = {"username": user.username, "area": root.full_name}
        self.log(f"User: {user.username} → {root.full_name} (province staff role)")

        if not o["skip_assessment"]:
            report["assessment"] = self.measure_assessment(user, o)
        if not o["skip_dashboard"]:
            report["dashboard"] = self.measure_dashboard(user, o)
        self.print_table(report)
        if o["json"]:
            self.log(json.dumps(report, ensure_ascii=False, indent=2, default=str))

    # --- setup ---------------------------------------------------------------------------------

    def check_reference_data(self) -> None:
        if Ethnicity.objects.count() < 54 or not SubstanceType.objects.exists() or not LegalDuration.objects.exists():
            raise CommandError("Reference data (ethnicities, substances, legal durations) missing: run `migrate`.")

    def ensure_user(self, root: AdministrativeUnit):
        roles.sync_roles()
        return bench.bench_account(
            NATIONAL_USERNAME, role=roles.PROVINCE_STAFF, area=root, full_name="Cán bộ trung ương đo hiệu năng"
        )

    # --- classification ------------------------------------------------------------------------

    def measure_assessment(self, user, o) -> dict:
        rule_set = RuleSet.objects.filter(code=o["ruleset"]).first()
        if rule_set is None:
            raise CommandError(f"Rule set {o['ruleset']} not found (run migrate).")
        year = o["year"] or timezone.localdate().year - 1
        self.log(f"\nAssessment: {rule_set.code} v{rule_set.version}, year {year}, as {user.username}…")

        # the indicators alone (the grouped reads), then the whole service (reads + rules + writes + audit)
        with _trace() as queries:
            started = time.perf_counter()
            communes = list(classification_selectors.current_communes())
            facts = classification_selectors.gather_indicators(year=year, communes=communes)
            gather_s = time.perf_counter() - started
        gather = {"seconds": round(gather_s, 2), "queries": len(queries), "communes": len(facts)}
        self.log(f"  gather_indicators: {gather_s:.2f} s, {len(queries)} queries, {len(facts):,} communes")
        del communes, facts
        gc.collect()

        user = get_user_model().objects.get(pk=user.pk)  # no cached scope
        rss_before = _proc_status_kb("VmRSS")
        peak_reset = _reset_peak_rss()
        maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with transaction.atomic():
            with _trace() as queries:
                started = time.perf_counter()
                assessment = classification_services.assessment_run(
                    actor=user, rule_set=rule_set, year=year, note="benchmark_national"
                )
                seconds = time.perf_counter() - started
            peak = _proc_status_kb("VmHWM") if peak_reset else None
            maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            results = assessment.results.count()
            levels = Counter(assessment.results.values_list("proposed_level", flat=True))
            kept = o["keep_assessment"]
            if not kept:
                transaction.set_rollback(True)
        data = {
            "rule_set": rule_set.code,
            "year": year,
            "seconds": round(seconds, 2),
            "queries": len(queries),
            "sql_seconds": round(sum(q[0] for q in queries), 2),
            "results": results,
            "levels": dict(levels.most_common()),
            "rss_before_mb": _mb(rss_before),
            "peak_rss_mb": _mb(peak),
            "peak_rss_increase_mb": _mb(peak - rss_before) if peak and rss_before else None,
            "ru_maxrss_mb_before": _mb(maxrss_before),
            "ru_maxrss_mb_after": _mb(maxrss_after),
            "kept": kept,
            "gather_indicators": gather,
            "slowest_sql": _slowest(queries),
            "meets_target": seconds < ASSESSMENT_TARGET_S,
        }
        self.log(
            f"  assessment_run: {seconds:.2f} s ({data['sql_seconds']} s in SQL), {len(queries)} queries, "
            f"{results:,} results, peak RSS {data['peak_rss_mb']} MB (+{data['peak_rss_increase_mb']} MB), "
            f"{'kept' if kept else 'rolled back'}; levels {dict(levels.most_common())}"
        )
        return data

    # --- dashboards ----------------------------------------------------------------------------

    def measure_dashboard(self, user, o) -> dict:
        self.log(f"\nDashboards (manage.py benchmark_dashboard --username {user.username}, {o['iterations']} runs)…")
        out = io.StringIO()
        started = time.perf_counter()
        # "recompute_all" (every figure of 10,000 communes recomputed and stored, ~50 s a request) is
        # left out by default: pass --dashboard-modes to include it.
        call_command(
            "benchmark_dashboard",
            username=user.username,
            iterations=o["iterations"],
            modes=o["dashboard_modes"],
            target_ms=1000,
            json=True,
            stdout=out,
        )
        text = out.getvalue()
        start = text.find("\n{\n")
        data = json.loads(text[start + 1 :]) if start >= 0 else {}
        for line in text[: start if start >= 0 else len(text)].splitlines():
            self.log("  " + line)
        self.log(f"  (benchmark_dashboard took {time.perf_counter() - started:.0f} s)")
        data["breakdown"] = self.dashboard_breakdown(user, o)
        return data

    def dashboard_breakdown(self, user, o) -> dict:
        """One cold national dashboard request taken apart: scope, selector, rendering, slowest SQL."""
        User = get_user_model()
        period = latest_ended()
        original_cache = getattr(settings, "PCMT_DASHBOARD_CACHE_SECONDS", None)
        original_hosts = settings.ALLOWED_HOSTS
        settings.PCMT_DASHBOARD_CACHE_SECONDS = 0
        if "testserver" not in original_hosts and "*" not in original_hosts:
            settings.ALLOWED_HOSTS = [*original_hosts, "testserver"]
        result: dict = {"period": period.label}
        try:
            fresh = User.objects.get(pk=user.pk)
            with _trace() as queries:
                started = time.perf_counter()
                visible = scoping.visible_unit_ids(fresh)
                scope_s = time.perf_counter() - started
                ids = reporting_services.scoped_commune_ids(fresh)
                commune_s = time.perf_counter() - started - scope_s
            result["scope"] = {
                "visible_unit_ids": len(visible),
                "visible_ms": round(scope_s * 1000, 1),
                "scoped_commune_ids": len(ids),
                "scoped_commune_ids_ms": round(commune_s * 1000, 1),
                "queries": len(queries),
            }
            fresh = User.objects.get(pk=user.pk)
            with _trace() as queries:
                started = time.perf_counter()
                dash = reporting_selectors.dashboard(user=fresh, unit=None, period=period, sort="")
                selector_s = time.perf_counter() - started
            result["selector"] = {
                "ms": round(selector_s * 1000, 1),
                "queries": len(queries),
                "sql_ms": round(sum(q[0] for q in queries) * 1000, 1),
                "table_rows": len(dash.table),
                "tile_grid_chars": len(str(dash.tiles.html or dash.tiles.svg or "")) if dash.tiles else 0,
                "slowest_sql": _slowest(queries),
            }
            client = Client(raise_request_exception=True)
            client.force_login(user)
            path = f"{reverse('reporting:dashboard')}?{reporting_selectors.period_query(period)}"
            client.get(path)  # warm-up (templates, imports)
            with _trace() as queries:
                started = time.perf_counter()
                response = client.get(path)
                request_s = time.perf_counter() - started
            result["request"] = {
                "ms": round(request_s * 1000, 1),
                "status": response.status_code,
                "bytes": len(response.content),
                "queries": len(queries),
                "sql_ms": round(sum(q[0] for q in queries) * 1000, 1),
                "largest_sql_chars_plus_params": max((q[1] for q in queries), default=0),
                "render_and_rest_ms": round((request_s - selector_s) * 1000, 1),
                "slowest_sql": _slowest(queries),
            }
            if o["profile"]:  # a separate request: the profiler slows it down
                profiler = cProfile.Profile()
                profiler.runcall(client.get, path)
                stream = io.StringIO()
                pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(
                    r"apps/|django/template", 30
                )
                result["profile"] = stream.getvalue()
        finally:
            settings.ALLOWED_HOSTS = original_hosts
            if original_cache is None:
                del settings.PCMT_DASHBOARD_CACHE_SECONDS
            else:
                settings.PCMT_DASHBOARD_CACHE_SECONDS = original_cache
        s, sel, req = result["scope"], result["selector"], result["request"]
        self.log(
            f"  cold national dashboard, one request: {req['ms']} ms ({req['queries']} queries, "
            f"{req['sql_ms']} ms SQL, {req['bytes'] // 1024} KB, "
            f"largest SQL {req['largest_sql_chars_plus_params']:,} chars+params)"
        )
        self.log(
            f"    scope: visible_unit_ids {s['visible_unit_ids']:,} ids in {s['visible_ms']} ms, scoped_commune_ids "
            f"{s['scoped_commune_ids']:,} in {s['scoped_commune_ids_ms']} ms"
        )
        self.log(
            f"    selectors.dashboard: {sel['ms']} ms ({sel['queries']} queries, {sel['sql_ms']} ms SQL, "
            f"{sel['table_rows']:,} table rows); template + middleware ≈ {req['render_and_rest_ms']} ms"
        )
        for q in req["slowest_sql"]:
            self.log(f"    {q['ms']:>8} ms  {q['sql_chars_plus_params']:>7,} ch  {q['sql'][:110]}")
        if result.get("profile"):
            self.log(result["profile"])
        return result

    # --- output --------------------------------------------------------------------------------

    def print_table(self, report: dict) -> None:
        rows: list[tuple[str, str]] = []
        units = report["units"]
        rows.append(("units (country/province/commune)", f"1 / {units['provinces']} / {units['communes']:,}"))
        rows.append(("population rows", f"{units['populations']:,} (year {units['population_year']})"))
        c = report["counts"]
        rows.append(("persons / files / events", f"{c['persons']:,} / {c['case_files']:,} / {c['case_events']:,}"))
        if seed := report.get("seed"):
            rows.append(("seeding", f"{seed['seconds']:.0f} s (write {seed['write_seconds']:.0f} s)"))
        if a := report.get("assessment"):
            verdict = "ok" if a["meets_target"] else "MISS"
            rows.append(
                (
                    f"assessment_run ({a['results']:,} communes)",
                    f"{a['seconds']:.1f} s, {a['queries']} queries, peak RSS {a['peak_rss_mb']} MB "
                    f"(+{a['peak_rss_increase_mb']} MB), {'kept' if a['kept'] else 'rolled back'}; "
                    f"target < {ASSESSMENT_TARGET_S:.0f} s: {verdict}",
                )
            )
            g = a["gather_indicators"]
            rows.append(("  of which gather_indicators", f"{g['seconds']:.1f} s, {g['queries']} queries"))
        if d := report.get("dashboard"):
            # every page measurement benchmark_dashboard reports ("<page>_dashboard_<mode>": cold/warm, …)
            for key, r in d.items():
                page, _sep, mode = key.partition("_dashboard_")
                if page not in ("province", "commune") or not isinstance(r, dict) or "p50_ms" not in r:
                    continue
                label = f"{'national' if page == 'province' else 'commune'} dashboard, {mode}"
                verdict = "ok" if r["p95_ms"] < DASHBOARD_TARGET_MS else "MISS"
                target = f"; target < 1 s: {verdict}" if page == "province" else ""
                rows.append(
                    (
                        label,
                        f"p50 {r['p50_ms']:,.0f} ms, p95 {r['p95_ms']:,.0f} ms, SQL p50 {r['db_p50_ms']:,.0f} ms, "
                        f"queries {r['queries']}, {r['bytes'] // 1024:,} KB{target}",
                    )
                )
            for key, label in (
                ("compute", "indicators.compute (1 window)"),
                ("compute_dashboard_windows", "indicators.compute_many"),
                ("breakdowns", "demographics.breakdowns"),
            ):
                if r := d.get(key):
                    rows.append((label, f"p50 {r['p50_ms']:,.0f} ms, p95 {r['p95_ms']:,.0f} ms"))
        width = max(len(k) for k, _v in rows)
        self.log("\n" + f"{'Measure':<{width}}  Value")
        self.log("-" * (width + 60))
        for key, value in rows:
            self.log(f"{key:<{width}}  {value}")
