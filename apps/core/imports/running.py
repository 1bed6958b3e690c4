"""Running an import: the dry run or the real one, the whole flow from an upload, and the preview review."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.audit import actions as audit_actions
from apps.audit.services import audit_read, audit_record

from .baselines import baseline_conflicts, lock_targets, stale_message
from .reading import dataset_from_bytes
from .report import MESSAGE_MAX_CHARS, ImportReport, RowError, clip

logger = logging.getLogger(__name__)


def _short(message) -> str:
    # A message may quote a cell (up to IMPORT_MAX_CELL_CHARS): a page of errors stays readable.
    return clip(str(message), MESSAGE_MAX_CHARS)


def run_import(resource, dataset: tablib.Dataset, *, dry_run: bool) -> ImportReport:
    """Run the import; with errors (or in a dry run) the transaction is rolled back entirely."""
    sheet_rows = getattr(dataset, "sheet_rows", None) or list(range(2, len(dataset) + 2))
    resource.sheet_rows = sheet_rows
    checked = dt.datetime.now(dt.UTC)

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
                report.errors.append(RowError(row=sheet_row(invalid.number), column=label, message=_short(message)))
    for number, errors in result.row_errors():
        for error in errors:
            exc = error.error
            if isinstance(exc, ValidationError):
                for message in exc.messages:
                    report.errors.append(RowError(row=sheet_row(number), column="", message=_short(message)))
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
    # A row's errors in the order of the sheet's columns, as the person reads the row.
    order = {header: index for index, header in enumerate(resource.expected_headers())}
    report.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order)), e.column))
    report.warnings = list(getattr(resource, "warnings", []))
    report.changes = sorted(getattr(resource, "changes", []), key=lambda c: c.row)
    report.baseline = {"checked": checked.isoformat(), "targets": dict(getattr(resource, "targets", {}))}
    report.conversions = list(getattr(resource, "conversions", {}).values())
    return report


def import_file(
    *,
    actor,
    resource,
    content: bytes,
    filename: str,
    dry_run: bool,
    audit_action: str,
    expected: dict[str, Any] | None = None,
) -> ImportReport:
    """Parse and import a file. The summary audit entry is written in the same transaction as the
    rows, and only when the file was committed (not for a preview or a refused file).

    ``expected``: the preview's baseline. The confirmation then writes only if every record a row
    matches is as the preview saw it (and no row matches a record the preview did not see);
    otherwise it is refused whole, naming the rows, the columns changed and who changed them."""
    from django.db import transaction

    dataset = dataset_from_bytes(
        content, filename, expected_headers=resource.expected_headers(), required_headers=resource.required_headers()
    )
    checking = expected is not None and not dry_run
    started = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        if checking:
            lock_targets(expected)
        report = run_import(resource, dataset, dry_run=dry_run)
        if checking:
            failed = {e.row for e in report.errors}
            conflicts = baseline_conflicts(expected, report.baseline, failed_rows=failed, until=started)
            if conflicts:
                transaction.set_rollback(True)
                report.errors[:0] = [RowError(row=0, column="", message=stale_message()), *conflicts]
                report.stale = True
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


def review_preview(*, actor, resource, report: ImportReport, kind: str, filename: str) -> None:
    """What every dry run owes, in the request or in the worker: the resource's checks on the whole
    preview (cases: cross-commune matches are audited lookups and stop the file past a limit) and
    one read entry for the personal data the preview shows (names, CCCD), not one per row."""
    after_preview = getattr(resource, "after_preview", None)
    if after_preview is not None:
        after_preview(report)
    audit_read(
        actor=actor,
        action=audit_actions.IMPORT_PREVIEW,
        after={"kind": kind, "filename": filename[:200], "rows": report.total_rows},
    )
