"""The one tabular export path: a list's rows as .xlsx or .csv, formula-safe and audited.

Every list export (case files, registers, prevention) writes its file here; the periodic
report's formatted workbook (``reports.xlsx``) only shares ``neutralize``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from apps.audit.services import audit_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralize(value) -> object:
    """Spreadsheet formula injection: a cell starting (after any spaces) with = + - @ (or their
    full-width forms, which some spreadsheet programs also evaluate) is prefixed with ' so it is
    shown as text instead of evaluated (OWASP CSV injection)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_DANGEROUS):
        return "'" + value
    return value


def day(value: dt.date | None) -> str:
    """A date cell as the imports read it back (dd/mm/yyyy); blank when there is none."""
    return value.strftime("%d/%m/%Y") if value else ""


def _csv_value(value):
    # Vietnamese decimal comma: the import reads "1,5" as one and a half, never as 15.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return "" if value is None else value


def tabular_response(
    *,
    actor,
    headers: list[str],
    rows: Iterable[list],
    fmt: str,
    stem: str,
    sheet: str,
    action: str,
    filters: str,
) -> HttpResponse:
    """The file ``<stem>-<YYYYmmdd-HHMM>.<fmt>`` (every cell neutralized), with one audit entry
    naming the format, the row count and the list's filters."""
    safe = [[neutralize(v) for v in row] for row in rows]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(headers)
        writer.writerows([[_csv_value(v) for v in row] for row in safe])
        # BOM so Excel opens the UTF-8 file with correct Vietnamese characters.
        response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet(sheet)
        ws.append(headers)
        for row in safe:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{fmt}"'
    audit_record(
        actor=actor,
        action=action,
        area=getattr(actor, "area", None),
        after={"format": fmt, "rows": len(safe), "filters": filters},
    )
    return response


@dataclass(frozen=True)
class Sheet:
    """One list's export: its columns, how a record becomes a row, the names of the file
    (``stem``) and of the sheet, and the audit code. ``related``/``prefetch`` are what the rows
    read besides the list's own joins."""

    action: str
    stem: str
    sheet: str
    headers: Sequence[str]
    row: Callable[[Any], list]
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def response(self, *, actor, queryset, filters: str, fmt: str = "xlsx") -> HttpResponse:
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        return tabular_response(
            actor=actor,
            headers=list(self.headers),
            rows=(self.row(obj) for obj in queryset),
            fmt=fmt,
            stem=self.stem,
            sheet=self.sheet,
            action=self.action,
            filters=filters,
        )
