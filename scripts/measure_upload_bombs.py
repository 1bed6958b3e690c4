"""Measure how the import parser copes with hostile uploads: wall time and peak RSS per bomb.

    .venv/bin/python scripts/measure_upload_bombs.py [--module path/to/imports or imports.py]

Each bomb (tests/factories/uploads.py: one 100 MB cell, 300,000 tiny rows, 1.5 MB of empty rows
claiming the whole sheet, as .xlsx and .csv) is parsed by ``dataset_from_bytes`` in a fresh
child process, so its peak resident memory is its own; the child's address space is limited
(--limit-mb, default 2048) and its time too (--timeout, default 120 s) so that measuring an
unprotected parser (``--module`` pointing at an older copy of apps/core/imports, the package or
the former single imports.py) cannot take the machine down. The bomb is built in the parent and handed over as a file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import importlib.util, json, os, resource, sys, time
limit = int(sys.argv[4]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path.insert(0, sys.argv[5])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuyenquang_pcmt.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
import django
django.setup()
from apps.cases.resources import CaseResource
path = sys.argv[1]
if os.path.isdir(path):  # a package (apps/core/imports/): its modules import each other relatively
    spec = importlib.util.spec_from_file_location(
        "measured_imports", os.path.join(path, "__init__.py"), submodule_search_locations=[path]
    )
else:
    spec = importlib.util.spec_from_file_location("measured_imports", path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module  # dataclasses look their module up
spec.loader.exec_module(module)
content = open(sys.argv[2], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    dataset = module.dataset_from_bytes(
        content, sys.argv[3],
        expected_headers=CaseResource.expected_headers(), required_headers=CaseResource.required_headers(),
    )
    outcome = f"read {len(dataset)} rows"
except module.ImportFileError as exc:
    outcome = "refused: " + str(exc)[:160]
except MemoryError:
    outcome = "MemoryError (address-space limit reached)"
except Exception as exc:
    outcome = f"{type(exc).__name__}: {str(exc)[:120]}"
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "base_mb": base / 1024, "outcome": outcome}))
"""


def bombs():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuyenquang_pcmt.settings.test")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()
    from apps.cases.resources import CaseResource
    from tests.factories import uploads

    headers = CaseResource.expected_headers()
    first = ["Nguyễn Văn Hùng", None, "Nam", "05/03/1990", None, None, "2458", None, None, None, None, "12/01/2026"]
    return [
        ("100 MB cell (.xlsx)", "bom.xlsx", lambda: uploads.huge_cell_xlsx(headers, megabytes=100)),
        ("1 MB cell (.csv)", "bom.csv", lambda: uploads.huge_cell_csv(headers, chars=1_000_000)),
        ("300,000 rows (.xlsx)", "bom.xlsx", lambda: uploads.many_rows_xlsx(headers, rows=300_000)),
        ("300,000 rows (.csv)", "bom.csv", lambda: uploads.many_rows_csv(headers, rows=300_000)),
        ("1.5 MB empty rows (.xlsx)", "trong.xlsx", lambda: uploads.empty_rows_xlsx(headers, first)),
        ("1.5 MB empty rows (.csv)", "trong.csv", lambda: uploads.empty_rows_csv(headers, first)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default=str(ROOT / "apps" / "core" / "imports"))
    parser.add_argument("--limit-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=int, default=120)
    options = parser.parse_args()
    print(f"parser: {options.module}")
    print(f"{'bomb':28} {'upload':>9} {'seconds':>8} {'peak RSS':>9} {'(start)':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for label, name, build in bombs():
            content = build()
            path = Path(tmp) / name
            path.write_bytes(content)
            command = [sys.executable, "-c", CHILD, options.module, str(path), name, str(options.limit_mb), str(ROOT)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=options.timeout, check=False)
                line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
                result = json.loads(line) if line.startswith("{") else None
            except subprocess.TimeoutExpired:
                result = {"seconds": options.timeout, "peak_mb": float("nan"), "outcome": "timed out"}
            if result is None:
                tail = (done.stderr.strip().splitlines() or ["?"])[-1][:100]
                result = {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": f"crashed: {tail}"}
            size = f"{len(content) / 1024:.0f} KB"
            start = result.get("base_mb", float("nan"))
            print(
                f"{label:28} {size:>9} {result['seconds']:8.2f} {result['peak_mb']:6.0f} MB {start:5.0f} MB"
                f"  {result['outcome']}"
            )


if __name__ == "__main__":
    main()
