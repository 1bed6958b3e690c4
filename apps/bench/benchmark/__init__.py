"""Benchmark data and measurements for the case pages (``manage.py benchmark``).

One module per part: ``seeding`` writes the people, files and timelines (``people`` and
``timelines`` generate them), ``dataset`` finds, counts and removes them, ``users`` holds the
measuring accounts, ``pages`` and ``importing`` the two measurements. The commands import the
names below from here (``from apps.bench import benchmark as bench``).
"""

from .dataset import (
    BENCH_PREFIX,
    Log,
    benchmark_files,
    counts_summary,
    current_communes,
    delete_files,
    is_postgres,
    reset,
)
from .importing import (
    IMPORT_AUDIT_ACTION,
    IMPORT_TARGET_S,
    ImportResult,
    build_import_workbook,
    count_queries,
    measure_import,
)
from .pages import (
    PAGE_TARGET_MS,
    Scenario,
    ScenarioResult,
    build_scenarios,
    explain,
    measure,
    percentile,
    test_client_host,
)
from .seeding import SeedOptions, SeedStats, analyze, ensure_units, explicit_timestamps, seed
from .users import OFFICER_USERNAME, PROVINCE_USERNAME, SMALL_OFFICER_USERNAME, BenchUsers, bench_account, ensure_users

__all__ = [
    "BENCH_PREFIX",
    "IMPORT_AUDIT_ACTION",
    "IMPORT_TARGET_S",
    "OFFICER_USERNAME",
    "PAGE_TARGET_MS",
    "PROVINCE_USERNAME",
    "SMALL_OFFICER_USERNAME",
    "BenchUsers",
    "ImportResult",
    "Log",
    "Scenario",
    "ScenarioResult",
    "SeedOptions",
    "SeedStats",
    "analyze",
    "bench_account",
    "benchmark_files",
    "build_import_workbook",
    "build_scenarios",
    "count_queries",
    "counts_summary",
    "current_communes",
    "delete_files",
    "ensure_units",
    "ensure_users",
    "explain",
    "explicit_timestamps",
    "is_postgres",
    "measure",
    "measure_import",
    "percentile",
    "reset",
    "seed",
    "test_client_host",
]
