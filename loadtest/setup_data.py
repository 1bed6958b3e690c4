"""Accounts and files for the load test (scripts/loadtest.sh), run with the production settings.

    python loadtest/setup_data.py OUT_DIR OFFICERS STAFF

Creates OFFICERS commune officers spread over the communes holding the most open case files (several
officers per commune, so that they work on the same files) and STAFF province staff, all through
``manage.py create_account`` with the password in $LOADTEST_PASSWORD; picks two open "hot" files per
commune that every officer of the commune edits (to provoke optimistic-lock conflicts); builds one
small .xlsx import per importing officer (``apps.bench.benchmark.build_import_workbook``). Writes
OUT_DIR/users.json for the locustfile.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuyenquang_pcmt.settings.production")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.areas.models import AdministrativeUnit  # noqa: E402
from apps.bench import benchmark as bench  # noqa: E402
from apps.cases.models import CaseFile  # noqa: E402

OFFICERS_PER_COMMUNE = 5
IMPORT_EVERY = 10  # one officer in ten makes one import
IMPORT_ROWS = 10


def recent(content: bytes) -> bytes:
    """The benchmark's workbook with detection dates of the last days: its dates spread over two
    years fall in periods the demo data approved and locked, which the import rightly refuses."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.active
    column = [c.value for c in ws[1]].index("Ngày phát hiện") + 1
    today = timezone.localdate()
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=column).value = (today - dt.timedelta(days=1 + row % 5)).strftime("%d/%m/%Y")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main(out: Path, n_officers: int, n_staff: int) -> None:
    open_files = CaseFile.objects.exclude(status="closed").filter(commune__valid_to__isnull=True)
    counts = list(
        open_files.filter(commune__level="commune")
        .values("commune_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=3)
        .order_by("-n", "commune_id")
    )
    n_communes = max(1, min(len(counts), -(-n_officers // OFFICERS_PER_COMMUNE)))
    communes = [AdministrativeUnit.objects.get(pk=c["commune_id"]) for c in counts[:n_communes]]
    if not communes:
        raise SystemExit("no commune with open case files: seed first")
    users: list[dict] = []
    hot: dict[str, list[int]] = {}
    for commune in communes:
        hot[commune.code] = list(
            open_files.filter(commune=commune, status__in=["managed", "post_rehab", "signs"])
            .order_by("pk")
            .values_list("pk", flat=True)[:2]
        ) or list(open_files.filter(commune=commune).order_by("pk").values_list("pk", flat=True)[:2])
    for i in range(n_officers):
        commune = communes[i % len(communes)]
        username = f"lt.xa{i + 1:03d}"
        call_command(
            "create_account",
            username,
            role="commune_officer",
            unit=commune.code,
            full_name=f"Cán bộ tải {i + 1}",
            password_env="LOADTEST_PASSWORD",  # noqa: S106 - the name of the variable
            verbosity=0,
        )
        entry = {"username": username, "role": "officer", "commune": commune.code, "hot": hot[commune.code]}
        if i % IMPORT_EVERY == 0:
            path = out / f"import-{username}.xlsx"
            path.write_bytes(recent(bench.build_import_workbook(commune, IMPORT_ROWS, seed=1000 + i)))
            entry["import_file"] = str(path)
            entry["import_rows"] = IMPORT_ROWS
        users.append(entry)
    for i in range(n_staff):
        username = f"lt.tinh{i + 1:02d}"
        call_command(
            "create_account",
            username,
            role="province_staff",
            full_name=f"Cán bộ tỉnh tải {i + 1}",
            password_env="LOADTEST_PASSWORD",  # noqa: S106 - the name of the variable
            verbosity=0,
        )
        users.append({"username": username, "role": "staff"})
    (out / "users.json").write_text(json.dumps({"users": users, "hot": hot}, ensure_ascii=False, indent=1))
    print(
        f"load-test accounts: {n_officers} officers over {len(communes)} communes "
        f"({', '.join(c.name for c in communes[:6])}{'…' if len(communes) > 6 else ''}), {n_staff} province staff; "
        f"{sum(len(v) for v in hot.values())} hot files; "
        f"{sum(1 for u in users if 'import_file' in u)} import files of {IMPORT_ROWS} rows"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
