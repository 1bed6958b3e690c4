"""The upload → dry-run preview → confirm flow shared by every spreadsheet import.

A file is imported whole or not at all: the preview runs the real import inside a transaction
that is rolled back, the confirmation runs it again in one transaction that only commits when
no row has an error. Errors are reported per row and column, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = (".xlsx", ".csv")

logger = logging.getLogger(__name__)


class ImportFileError(Exception):
    """The file itself cannot be used (not a spreadsheet, wrong headers, empty, too large)."""


@dataclass
class RowError:
    row: int  # spreadsheet row number as the user sees it (header is row 1)
    column: str
    message: str


@dataclass
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class RowChange:
    """A row that updates an existing record, with what it changes (shown in the preview)."""

    row: int
    label: str
    fields: list[FieldChange]


@dataclass
class ImportReport:
    total_rows: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: not blocking (e.g. a possible duplicate person in another commune), shown in the preview
    warnings: list[RowError] = field(default_factory=list)
    #: every updating row with its field-by-field difference (old → new)
    changes: list[RowChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def clip(value: Any, limit: int = 60) -> str:
    """A cell as a message may quote it: the start of a long cell, never all of it."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_upload(upload) -> bytes:
    """The bytes of an uploaded .xlsx/.csv, refusing files too large or of another type."""
    name = (getattr(upload, "name", "") or "").lower()
    max_bytes = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > max_bytes:
        raise ImportFileError(
            _("Tệp quá lớn (%(size).1f MB). Dung lượng tối đa là %(max)d MB.")
            % {"size": upload.size / 1024 / 1024, "max": settings.IMPORT_MAX_UPLOAD_MB}
        )
    if not name.endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    return upload.read()


def dataset_from_bytes(
    content: bytes, name: str, *, expected_headers: list[str], required_headers: list[str]
) -> tablib.Dataset:
    """Parse file content into a Dataset, refusing anything that is not a usable table."""
    raw_rows = _read_xlsx(content) if name.lower().endswith(".xlsx") else _read_csv(content)
    # Blank lines are skipped, but errors must name the row number the user sees in the sheet.
    numbered = [(i, r) for i, r in enumerate(raw_rows, start=1) if any(c not in (None, "") for c in r)]
    rows = [r for _i, r in numbered]
    if not rows:
        raise ImportFileError(_("Tệp không có dữ liệu."))
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [h for h in required_headers if h not in headers]
    unknown = [h for h in headers if h and h not in expected_headers]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("thiếu cột: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("cột không nhận dạng được: %(cols)s") % {"cols": ", ".join(unknown)})
        raise ImportFileError(
            _("Tiêu đề cột không đúng mẫu (%(detail)s). Hãy dùng tệp mẫu tải về từ trang này.")
            % {"detail": "; ".join(parts)}
        )
    if len(rows) < 2:
        raise ImportFileError(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        padded = list(row) + [None] * (len(headers) - len(row))
        dataset.append([_cell(v) for v in padded[: len(headers)]])
    dataset.sheet_rows = [i for i, _r in numbered[1:]]
    return dataset


def _read_xlsx(content: bytes) -> list[list[Any]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a non-xlsx file
        raise ImportFileError(_("Không đọc được tệp: tệp không phải bảng tính Excel hợp lệ.")) from exc
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _read_csv(content: bytes) -> list[list[Any]]:
    import csv

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def run_import(resource, dataset: tablib.Dataset, *, dry_run: bool) -> ImportReport:
    """Run the import; with errors (or in a dry run) the transaction is rolled back entirely."""
    sheet_rows = getattr(dataset, "sheet_rows", None) or list(range(2, len(dataset) + 2))
    resource.sheet_rows = sheet_rows

    def sheet_row(number: int) -> int:
        # import-export numbers data rows from 1; map to the sheet's own row numbers.
        return sheet_rows[number - 1] if 0 < number <= len(sheet_rows) else number + 1

    # rollback_on_validation_errors: without it import-export commits the valid rows of a file whose
    # other rows are invalid (e.g. data changed between preview and confirmation): all or nothing.
    result = resource.import_data(
        dataset, dry_run=dry_run, raise_errors=False, use_transactions=True, rollback_on_validation_errors=True
    )
    report = ImportReport(total_rows=len(dataset))
    report.new = result.totals.get("new", 0)
    report.updated = result.totals.get("update", 0)
    report.skipped = result.totals.get("skip", 0)
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            label = resource.column_label(column)
            for message in messages:
                report.errors.append(RowError(row=sheet_row(invalid.number), column=label, message=str(message)))
    for number, errors in result.row_errors():
        for error in errors:
            exc = error.error
            if isinstance(exc, ValidationError):
                for message in exc.messages:
                    report.errors.append(RowError(row=sheet_row(number), column="", message=message))
            else:
                # A bug, not bad input: never show a traceback, but do not hide that the row failed.
                report.errors.append(
                    RowError(row=sheet_row(number), column="", message=_("Lỗi không xác định khi xử lý dòng này."))
                )
    for base_error in result.base_errors:
        exc = base_error.error
        if isinstance(exc, ValidationError):
            report.errors.extend(RowError(row=0, column="", message=m) for m in exc.messages)
        else:
            # e.g. the bulk write at the end failing in the database: never a raw English message
            logger.error("Import failed after its rows were checked", exc_info=exc)
            report.errors.append(
                RowError(
                    row=0, column="", message=_("Không ghi được dữ liệu của tệp; chưa có gì được ghi. Hãy thử lại.")
                )
            )
    report.errors.sort(key=lambda e: (e.row, e.column))
    report.warnings = list(getattr(resource, "warnings", []))
    report.changes = sorted(getattr(resource, "changes", []), key=lambda c: c.row)
    return report


class PendingImport:
    """An uploaded file waiting between the preview and the confirmation, owned by one user."""

    def __init__(self, token: str):
        self.token = token
        base = Path(settings.IMPORT_TMP_DIR)
        self.data_path = base / f"{token}.bin"
        self.meta_path = base / f"{token}.json"

    @classmethod
    def create(cls, *, user, kind: str, filename: str, content: bytes) -> PendingImport:
        # The original bytes are kept, so the confirmation reads exactly what the preview read.
        pending = cls(uuid.uuid4().hex)
        pending.data_path.parent.mkdir(parents=True, exist_ok=True)
        pending.data_path.write_bytes(content)
        meta = {"user": user.pk, "kind": kind, "filename": filename, "created": dt.datetime.now(dt.UTC).isoformat()}
        pending.meta_path.write_text(json.dumps(meta), encoding="utf-8")
        return pending

    @classmethod
    def load(cls, token: str, *, user, kind: str) -> tuple[PendingImport, bytes, dict]:
        if not token or not token.isalnum() or len(token) != 32:
            raise ImportFileError(_("Phiên nhập dữ liệu không hợp lệ. Hãy tải tệp lên lại."))
        pending = cls(token)
        try:
            meta = json.loads(pending.meta_path.read_text(encoding="utf-8"))
            content = pending.data_path.read_bytes()
        except (OSError, ValueError) as exc:
            raise ImportFileError(_("Phiên nhập dữ liệu đã hết hạn. Hãy tải tệp lên lại.")) from exc
        if meta.get("user") != user.pk or meta.get("kind") != kind:
            raise ImportFileError(_("Phiên nhập dữ liệu không hợp lệ. Hãy tải tệp lên lại."))
        return pending, content, meta

    def discard(self) -> None:
        for path in (self.data_path, self.meta_path):
            path.unlink(missing_ok=True)


def import_file(
    *,
    actor,
    resource,
    content: bytes,
    filename: str,
    dry_run: bool,
    audit_action: str,
) -> ImportReport:
    """Parse and import a file. The summary audit entry is written in the same transaction as the
    rows, and only when the file was committed (not for a preview or a refused file)."""
    from django.db import transaction

    from apps.audit.services import audit_record

    dataset = dataset_from_bytes(
        content, filename, expected_headers=resource.expected_headers(), required_headers=resource.required_headers()
    )
    with transaction.atomic():
        report = run_import(resource, dataset, dry_run=dry_run)
        if not dry_run and report.ok:
            audit_record(
                actor=actor,
                action=audit_action,
                area=getattr(actor, "area", None),
                after={
                    "file": filename,
                    "rows": report.total_rows,
                    "new": report.new,
                    "updated": report.updated,
                    "unchanged": report.skipped,
                },
            )
    return report
