"""Seed a province-sized data set and measure the case pages and the spreadsheet import.

    manage.py benchmark                      # seed 70,000 people (~700,000 events) if absent, then measure
    manage.py benchmark --skip-seed          # measure the current database only
    manage.py benchmark --reset              # delete the benchmark data, seed again, measure
    manage.py benchmark --reset --skip-seed  # only delete the benchmark data

Meant for PostgreSQL (the production database). Seeded files have file numbers starting with
``BM-``; the import measurement writes 5,000 files through the services as the benchmark officer
(``bench.congan``); ``--reset`` removes both. See ``apps/bench/benchmark/``.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import CommandError
from django.db import connection

from apps.bench import benchmark as bench
from apps.bench.commands import BenchCommand
from apps.cases.models import CaseFile


class Command(BenchCommand):
    help = (
        "Đo hiệu năng: tạo dữ liệu giả lập cỡ toàn tỉnh (mặc định 70.000 người, ~700.000 sự kiện, hồ sơ "
        "số BM-…) rồi đo thời gian máy chủ và số truy vấn của các trang hồ sơ và thời gian nhập 5.000 dòng Excel."
    )

    def add_arguments(self, parser):
        self.add_seed_arguments(parser, persons=70_000)
        parser.add_argument("--reset", action="store_true", help="xóa dữ liệu đo hiệu năng cũ trước")
        parser.add_argument("--skip-seed", action="store_true", help="không tạo dữ liệu, chỉ đo")
        parser.add_argument("--iterations", type=int, default=30, help="số lần đo mỗi trang (mặc định 30)")
        parser.add_argument("--import-rows", type=int, default=5_000, help="số dòng tệp nhập (mặc định 5000)")
        parser.add_argument("--skip-pages", action="store_true", help="không đo các trang")
        parser.add_argument("--skip-import", action="store_true", help="không đo nhập Excel")
        parser.add_argument(
            "--explain", action="store_true", help="in EXPLAIN (ANALYZE, BUFFERS) các truy vấn chậm nhất (PostgreSQL)"
        )
        parser.add_argument(
            "--only", action="append", default=[], help="chỉ đo các trang có tên chứa chuỗi này (lặp lại được)"
        )
        parser.add_argument("--json", action="store_true", help="in thêm kết quả dạng JSON")

    def handle(self, *args, **o):
        report: dict = {"database": connection.vendor}
        if connection.vendor != "postgresql":
            self.stderr.write(
                self.style.WARNING(
                    f"WARNING: the database is {connection.vendor}, not PostgreSQL: figures are not "
                    "representative of production (set DATABASE_URL to a PostgreSQL database)."
                )
            )
        try:
            province = bench.ensure_units(self.log)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc

        if o["reset"]:
            started = time.perf_counter()
            report["reset"] = bench.reset(self.log)
            self.log(f"Reset in {time.perf_counter() - started:.1f} s")
            if o["skip_seed"]:
                return

        existing = bench.benchmark_files().count()
        if not o["skip_seed"]:
            if existing:
                raise CommandError(
                    f"{existing:,} benchmark files (BM-…) already exist: add --reset to seed again, "
                    "or --skip-seed to measure them."
                )
            report["seed"] = self.seed_files(o, how="bulk_create, not the services")
            self.log("  statuses: " + ", ".join(f"{k} {v:,}" for k, v in report["seed"]["statuses"].items()))
        elif not existing:
            self.stderr.write(self.style.WARNING("No benchmark files (BM-…): measuring whatever the database holds."))
        else:
            bench.analyze()

        counts = bench.counts_summary()
        report["counts"] = counts
        self.log("Database: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

        try:
            users = bench.ensure_users(province)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.log(
            f"Users: {users.officer.username} → {users.commune.full_name} (largest), "
            f"{users.small_officer.username} → {users.small_commune.full_name} (smallest), "
            f"{users.province.username} → {province.full_name}"
        )
        if not o["skip_pages"]:
            report["pages"] = self.measure_pages(users, o)
        if not o["skip_import"]:
            report["import"] = self.measure_import(users, o)
        if o["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))

    # --- pages ---------------------------------------------------------------------------------

    def measure_pages(self, users: bench.BenchUsers, o) -> list[dict]:
        self.log(f"\nMeasuring pages ({o['iterations']} requests each, after 2 warm-up requests)…")
        results = []
        with bench.test_client_host() as extra:
            for scenario in bench.build_scenarios(users):
                if o["only"] and not any(part in scenario.name for part in o["only"]):
                    continue
                result = bench.measure(scenario, o["iterations"], extra)
                results.append(result)
                state = result.error or f"p95 {result.p95_ms:.0f} ms"
                self.log(f"  {scenario.name} ({scenario.user.username}): {state}")
        self.print_table(results)
        if o["explain"]:
            for result in results:
                for ms, sql in result.slowest_sql[:2]:
                    plan = bench.explain(sql)
                    if plan:
                        self.log(f"\n--- {result.name} ({result.username}): {ms:.1f} ms\n{sql}\n{plan}")
        return [r.as_dict() for r in results]

    def print_table(self, results: list[bench.ScenarioResult]) -> None:
        header = (
            f"{'Scenario':<28} {'User':<13} {'p50':>7} {'p95':>7} {'max':>7} {'DB p50':>7}  "
            f"{'Queries':<22} {'Target':<6}  Rows"
        )
        self.log("\n" + header)
        self.log("-" * len(header))
        for r in results:
            if r.error:
                self.log(f"{r.name:<28} {r.username:<13} {'ERROR: ' + r.error}")
                continue
            queries = f"{r.queries_min}" if r.queries_min == r.queries_max else f"{r.queries_min}–{r.queries_max}"
            if r.compare_queries is not None:
                queries += f" (small: {r.compare_queries})"
            queries += " const" if r.queries_constant else " VARIES"
            target = "ok" if r.meets_target else "MISS"
            line = (
                f"{r.name:<28} {r.username:<13} {r.p50_ms:>7.1f} {r.p95_ms:>7.1f} {r.max_ms:>7.1f} "
                f"{r.db_p50_ms:>7.1f}  {queries:<22} {target:<6}  {r.rows}"
            )
            self.log(line if r.meets_target else self.style.WARNING(line))
        self.log(
            f"(server time per request in ms; target p95 < {bench.PAGE_TARGET_MS:.0f} ms with a constant number of "
            "queries; 'small' = queries of the same page with one row / one event / the smallest commune)"
        )

    # --- import --------------------------------------------------------------------------------

    def measure_import(self, users: bench.BenchUsers, o) -> list[dict]:
        rows = o["import_rows"]
        previous = CaseFile.objects.filter(created_by=users.officer)
        if previous.exists():
            deleted = bench.delete_files(previous)
            self.log(f"\nRemoved the previous benchmark import ({deleted.get('files', 0):,} files).")
        started = time.perf_counter()
        content = bench.build_import_workbook(users.commune, rows, o["seed"])
        self.log(
            f"\nImport: built a {rows:,}-row .xlsx for {users.commune.full_name} "
            f"({len(content) / 1024:.0f} KB) in {time.perf_counter() - started:.1f} s"
        )
        results = []
        # The same file a second time: every row is recognised as unchanged (nothing written).
        for label, dry_run in (
            ("dry run (preview)", True),
            ("real import (commit)", False),
            ("same file again", False),
        ):
            result = bench.measure_import(users.officer, content, dry_run=dry_run, rows=rows)
            results.append({"label": label, **result.as_dict()})
            verdict = "ok" if result.seconds < bench.IMPORT_TARGET_S and not result.errors else "MISS"
            line = (
                f"  {label:<21} {result.seconds:7.1f} s  new {result.new:,}, updated {result.updated:,}, "
                f"unchanged {result.skipped:,}, errors {result.errors:,}, warnings {result.warnings:,}, "
                f"{result.queries:,} queries "
                f"({result.queries / max(1, result.rows):.1f}/row)  target < {bench.IMPORT_TARGET_S:.0f} s: {verdict}"
            )
            self.log(line if verdict == "ok" else self.style.WARNING(line))
            for error in result.first_errors:
                self.log(f"    {error}")
        self.log(
            f"  (files written by the real import have created_by={users.officer.username}; --reset removes them)"
        )
        return results
