"""The import measurement: a workbook of new people for one commune, imported (or dry-run)
through ``core.imports`` as the benchmark officer, timed and with its query count."""

from __future__ import annotations

import inspect
import io
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.db import connection
from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.cases.choices import Sex
from apps.cases.models import Person, SubstanceType
from apps.cases.resources import CaseResource
from apps.core.imports import import_file

from .people import SUBSTANCE_WEIGHTS, PersonFactory
from .picking import Picker, days

IMPORT_AUDIT_ACTION = "cases.casefile.import"  # as CaseImportView
IMPORT_TARGET_S = 30.0


def build_import_workbook(commune: AdministrativeUnit, rows: int, seed: int) -> bytes:
    """An .xlsx of ``rows`` new people for ``commune``, headers exactly the resource's columns."""

    rng = random.Random(seed + 1)  # noqa: S311 - benchmark data, not security
    taken = set(Person.objects.exclude(citizen_id="").values_list("citizen_id", flat=True))
    people = PersonFactory(rng, taken)
    headers = list(CaseResource.columns)
    # "ATS, thuốc lắc (MDMA)" → "ATS": the column is comma-separated, as officers write it
    names = {s.code: s.name.split(" (")[0].split(",")[0] for s in SubstanceType.objects.all()}
    subst = Picker(rng, [(c, w) for c, w in SUBSTANCE_WEIGHTS.items() if c in names])
    today = timezone.localdate()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Hồ sơ")
    ws.append(headers)
    for _i in range(rows):
        detected = today - days(rng.randint(1, 700))
        person, _tradition = people.person(commune, detected)
        if not person.citizen_id:  # every row carries a new CCCD, so each row creates a file
            person.citizen_id = people.citizen_id(person.sex, person.birth_year)
        values = {
            "Họ và tên": person.full_name,
            "Tên gọi khác": person.aliases,
            "Giới tính": "Nam" if person.sex == Sex.MALE else "Nữ",
            "Ngày sinh hoặc năm sinh": person.date_of_birth.strftime("%d/%m/%Y")
            if person.date_of_birth
            else person.birth_year,
            "Dân tộc": person.ethnicity.name if person.ethnicity else "",
            "Số CCCD/CMND": person.citizen_id,
            "Xã/phường": commune.code,
            "Thôn/tổ dân phố": person.current_village,
            "Địa chỉ": person.current_address,
            "Loại hồ sơ": "Người nghiện" if rng.random() < 0.3 else "Người sử dụng",
            "Chất ma túy": ", ".join(names[c] for c in sorted(set(subst.many(rng.choice([1, 1, 2]))))),
            "Ngày phát hiện": detected.strftime("%d/%m/%Y"),
            "Ghi chú": "Nhập từ danh sách rà soát" if rng.random() < 0.2 else "",
        }
        ws.append([values.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    dry_run: bool
    seconds: float
    rows: int
    new: int
    updated: int
    skipped: int
    errors: int
    warnings: int
    queries: int
    first_errors: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run, "seconds": round(self.seconds, 2), "rows": self.rows, "new": self.new,
            "updated": self.updated, "unchanged": self.skipped, "errors": self.errors, "warnings": self.warnings,
            "queries": self.queries,
            "queries_per_row": round(self.queries / max(1, self.rows), 1), "first_errors": self.first_errors,
            "meets_target": self.seconds < IMPORT_TARGET_S and not self.errors,
        }  # fmt: skip


@contextmanager
def count_queries() -> Iterator[list[int]]:
    """Count queries without keeping them (CaptureQueriesContext is capped at 9000)."""
    counter = [0]

    def wrapper(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def measure_import(officer, content: bytes, *, dry_run: bool, rows: int) -> ImportResult:
    kwargs: dict[str, Any] = {}
    if "audit_action" in inspect.signature(import_file).parameters:
        kwargs["audit_action"] = IMPORT_AUDIT_ACTION
    resource = CaseResource(user=officer)
    with count_queries() as counter:
        started = time.perf_counter()
        report = import_file(actor=officer, resource=resource, content=content, filename="bench.xlsx",
                             dry_run=dry_run, **kwargs)  # fmt: skip
        seconds = time.perf_counter() - started
    return ImportResult(
        dry_run=dry_run,
        seconds=seconds,
        rows=report.total_rows,
        new=report.new,
        updated=report.updated,
        skipped=report.skipped,
        errors=len(report.errors),
        warnings=len(getattr(report, "warnings", []) or []),
        queries=counter[0],
        first_errors=[f"row {e.row} {e.column}: {e.message}" for e in report.errors[:5]],
    )
