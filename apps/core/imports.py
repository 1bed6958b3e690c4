"""The upload → dry-run preview → confirm flow shared by every spreadsheet import.

A file is imported whole or not at all: the preview runs the real import inside a transaction
that is rolled back, the confirmation runs it again in one transaction that only commits when
no row has an error. Errors are reported per row and column, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.audit import actions as audit_actions
from apps.audit.models import AuditLogEntry
from apps.audit.services import audit_read, audit_record, is_change
from apps.core.formatting import grouped
from apps.core.locking import person_name
from apps.core.text import normalize

ALLOWED_EXTENSIONS = (".xlsx", ".csv")
#: the longest row error shown; messages quoting a cell are cut
MESSAGE_MAX_CHARS = 300

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
class UnitConversion:
    """Rows naming a former unit: the file records it and goes to today's successor (preview)."""

    old: str
    new: str
    rows: list[int] = field(default_factory=list)

    @property
    def rows_shown(self) -> str:
        head = ", ".join(str(r) for r in self.rows[:10])
        return head + (_(" và %(n)s dòng khác") % {"n": len(self.rows) - 10} if len(self.rows) > 10 else "")


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
    #: the records the rows match, as the run found them (``baseline``): a preview's is stored with
    #: the waiting upload and the confirmation refuses the file when the data moved since
    baseline: dict[str, Any] = field(default_factory=dict)
    #: a confirmation refused because records changed since the preview: it can be checked again
    stale: bool = False
    #: former units the rows name, each with today's unit the record goes to
    conversions: list[UnitConversion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def shown(value: Any, field=None) -> str:
    """A stored or imported value as the preview shows it (choice labels, dd/mm/yyyy, "Có")."""
    if value is None or value == "":
        return ""
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if hasattr(value, "full_name") and not isinstance(value, str):
        return str(value.full_name)
    return str(value)


def field_changes(old, new, columns: dict[str, str]) -> list[FieldChange]:
    """The model fields in ``columns`` (field → column) whose value differs between two
    versions of one record, old → new, in the order of ``columns``."""
    changes = []
    seen: set[str] = set()
    for name, column in columns.items():
        field = next((f for f in old._meta.concrete_fields if f.name == name), None)
        if field is None or name in seen:  # a column that is not a stored field (e.g. a status move)
            continue
        seen.add(name)
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            changes.append(FieldChange(column, shown(getattr(old, name), field), shown(getattr(new, name), field)))
    return changes


def target_digest(key: str, column: str, value: Any) -> str:
    """A short keyed digest of one stored value: enough to tell that it changed, without keeping
    the value (a CCCD, an address) in the waiting upload's description."""
    message = f"{key}\x00{column}\x00{'' if value is None else value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:12]


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


def _grouped(number: int) -> str:
    return grouped(number)


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _is_empty(row) -> bool:
    return all(c is None or c == "" for c in row)


def dataset_from_bytes(
    content: bytes, name: str, *, expected_headers: list[str], required_headers: list[str]
) -> tablib.Dataset:
    """Parse file content into a Dataset, refusing anything that is not a usable table.

    The sheet is streamed and every cap (``IMPORT_MAX_ROWS``, ``IMPORT_MAX_COLUMNS``,
    ``IMPORT_MAX_CELL_CHARS``; for .xlsx also ``IMPORT_MAX_XLSX_UNPACKED_MB``) is checked while
    reading, so a hostile file is refused after reading at most one row past a cap: a small
    upload can otherwise unpack into gigabytes. Empty rows are skipped as they are read.
    """
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    reader = _read_xlsx if name.lower().endswith(".xlsx") else _read_csv
    # Blank lines are skipped, but errors must name the row number the user sees in the sheet.
    numbered: list[tuple[int, list]] = []
    headers: list[str] = []
    for number, raw in reader(content, width=max_columns + 1):
        if _is_empty(raw):
            continue
        if len(numbered) > max_rows:  # the header and max_rows data rows are already kept
            raise ImportFileError(
                _(
                    "Tệp có hơn %(max)s dòng dữ liệu (tối đa %(max)s dòng mỗi lần nhập). "
                    "Hãy chia tệp thành nhiều tệp nhỏ hơn rồi nhập lần lượt."
                )
                % {"max": _grouped(max_rows)}
            )
        if len(raw) > max_columns and not _is_empty(raw[max_columns:]):
            raise ImportFileError(
                _("Dòng %(row)s có dữ liệu vượt quá %(max)s cột; mẫu nhập không có nhiều cột như vậy.")
                % {"row": number, "max": max_columns}
            )
        raw = list(raw[:max_columns])
        for index, value in enumerate(raw):
            if isinstance(value, str) and len(value) > max_chars:
                column = headers[index] if index < len(headers) and headers[index] else _column_letter(index + 1)
                raise ImportFileError(
                    _(
                        "Dòng %(row)s, cột “%(col)s”: ô dài %(len)s ký tự, tối đa %(max)s ký tự "
                        "(bắt đầu bằng “%(start)s”)."
                    )
                    % {
                        "row": number,
                        "col": clip(column, 40),
                        "len": _grouped(len(value)),
                        "max": _grouped(max_chars),
                        "start": clip(value, 30),
                    }
                )
        if not numbered:
            headers = [str(h).strip() if h is not None else "" for h in raw]
        numbered.append((number, raw))
    if not numbered:
        raise ImportFileError(_("Tệp không có dữ liệu."))
    missing = [h for h in required_headers if h not in headers]
    unknown = [clip(h, 40) for h in headers if h and h not in expected_headers]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("thiếu cột: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            shown = ", ".join(unknown[:10]) + (
                _(" và %(n)s cột khác") % {"n": len(unknown) - 10} if len(unknown) > 10 else ""
            )
            parts.append(_("cột không nhận dạng được: %(cols)s") % {"cols": shown})
        raise ImportFileError(
            _("Tiêu đề cột không đúng mẫu (%(detail)s). Hãy dùng tệp mẫu tải về từ trang này.")
            % {"detail": "; ".join(parts)}
        )
    if len(numbered) < 2:
        raise ImportFileError(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
    dataset = tablib.Dataset(headers=headers)
    for _number, row in numbered[1:]:
        padded = list(row) + [None] * (len(headers) - len(row))
        dataset.append([_cell(v) for v in padded[: len(headers)]])
    dataset.sheet_rows = [i for i, _r in numbered[1:]]
    return dataset


def count_rows(content: bytes, name: str, resource) -> int:
    """Data rows of a file, read under the same caps as the import (a refused file raises)."""
    dataset = dataset_from_bytes(
        content, name, expected_headers=resource.expected_headers(), required_headers=resource.required_headers()
    )
    return len(dataset)


def _not_xlsx() -> ImportFileError:
    return ImportFileError(_("Không đọc được tệp: tệp không phải bảng tính Excel hợp lệ."))


#: the data sheet of the templates, by name without diacritics: "Dữ liệu" now, "Du lieu" before
DATA_SHEET_KEYS = ("du lieu",)


def _data_sheet(wb):
    """The sheet holding the rows: the template's data sheet wherever it sits among the others
    (a guide, an example, the allowed values), otherwise the first sheet (any other workbook)."""
    for ws in wb.worksheets:
        if normalize(ws.title) in DATA_SHEET_KEYS:
            return ws
    return wb.worksheets[0]


def _read_xlsx(content: bytes, *, width: int) -> Iterator[tuple[int, tuple]]:
    """(sheet row number, first ``width`` values) of the data sheet, streamed."""
    import zipfile

    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    # An .xlsx is a zip: a 100 KB upload can hold a 100 MB cell. Python's zipfile never
    # returns more than a member's declared size, so the declared sizes bound what is read.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _not_xlsx() from exc
    limit_mb = settings.IMPORT_MAX_XLSX_UNPACKED_MB
    if unpacked > limit_mb * 1024 * 1024:
        raise ImportFileError(
            _(
                "Tệp Excel khi giải nén chiếm %(size)s MB, vượt mức tối đa %(max)s MB (thường do có ô "
                "chứa dữ liệu rất dài hoặc rất nhiều dòng). Hãy kiểm tra lại hoặc chia nhỏ tệp."
            )
            % {"size": _grouped(unpacked // (1024 * 1024)), "max": limit_mb}
        )
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a non-xlsx file
        raise _not_xlsx() from exc
    try:
        ws = _data_sheet(wb)
        if not hasattr(ws, "_get_source"):  # a chart sheet first
            raise _not_xlsx()
        # The sheet's own claim of its size (e.g. A1:XFD1048576) would pad every row to 16,384
        # cells and yield every missing row up to 1,048,576: read only the rows actually
        # written, each cut to ``width`` cells (openpyxl 3.1's streaming parser, pinned).
        with ws._get_source() as source:
            parser = WorkSheetParser(
                source,
                ws._shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            rows = parser.parse()
            while True:
                try:
                    number, cells = next(rows)
                except StopIteration:
                    return
                except Exception as exc:  # malformed sheet XML
                    raise _not_xlsx() from exc
                yield number, ws._get_row(cells, min_col=1, max_col=width, values_only=True)
    finally:
        wb.close()


def _read_csv(content: bytes, *, width: int) -> Iterator[tuple[int, list]]:
    """(line number, values) of a UTF-8 CSV, streamed. A field beyond the cell cap, or beyond
    the csv module's own limit, ends the reading with a message naming the line."""
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
    reader = csv.reader(io.StringIO(text), dialect)
    number = 0  # records, as a spreadsheet program shows them (a quoted cell may span lines)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(
                _("Dòng %(row)s: không đọc được (ô quá dài, tối đa %(max)s ký tự, hoặc dấu ngoặc kép không đóng).")
                % {"row": number + 1, "max": _grouped(settings.IMPORT_MAX_CELL_CHARS)}
            ) from exc
        number += 1
        yield number, values


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


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read: it holds the uploaded personal data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


class PendingImport:
    """An uploaded file waiting between the preview and the confirmation, owned by one user.

    Its bytes hold personal data, so they are readable by the server's user only and deleted
    ``IMPORT_PENDING_MAX_AGE_MINUTES`` after the preview: when confirmed or cancelled, when an
    expired token is used, at every new upload (for everyone's abandoned previews) and by
    ``manage.py purge_pending_imports``.
    """

    def __init__(self, token: str):
        self.token = token
        base = Path(settings.IMPORT_TMP_DIR)
        self.data_path = base / f"{token}.bin"
        self.meta_path = base / f"{token}.json"

    @staticmethod
    def max_age() -> dt.timedelta:
        return dt.timedelta(minutes=settings.IMPORT_PENDING_MAX_AGE_MINUTES)

    @classmethod
    def create(
        cls, *, user, kind: str, filename: str, content: bytes, baseline: dict[str, Any] | None = None
    ) -> PendingImport:
        cls.purge_expired()
        # The original bytes are kept, so the confirmation reads exactly what the preview read;
        # the baseline (the matched records as the preview saw them) is what it is checked against.
        pending = cls(uuid.uuid4().hex)
        pending.data_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_private(pending.data_path, content)
        meta = {"user": user.pk, "kind": kind, "filename": filename, "created": dt.datetime.now(dt.UTC).isoformat()}
        if baseline is not None:
            meta["baseline"] = baseline
        _write_private(pending.meta_path, json.dumps(meta).encode("utf-8"))
        return pending

    def set_baseline(self, baseline: dict[str, Any]) -> None:
        """Store the baseline of a new preview of the same upload (background or checked again)."""
        meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        meta["baseline"] = baseline
        meta["created"] = dt.datetime.now(dt.UTC).isoformat()  # kept for the stated time after this preview
        temporary = self.meta_path.with_name(self.meta_path.name + ".tmp")
        temporary.unlink(missing_ok=True)
        _write_private(temporary, json.dumps(meta).encode("utf-8"))
        os.replace(temporary, self.meta_path)

    @staticmethod
    def baseline_of(meta: dict) -> dict[str, Any]:
        return meta.get("baseline") or empty_baseline()

    @classmethod
    def purge_expired(cls, *, now: dt.datetime | None = None) -> int:
        """Delete every waiting file older than the allowed age; the number of previews deleted."""
        base = Path(settings.IMPORT_TMP_DIR)
        if not base.is_dir():
            return 0
        now = now or dt.datetime.now(dt.UTC)
        deadline = now - cls.max_age()
        purged = 0
        for path in base.glob("*.json"):
            pending = cls(path.stem)
            if pending._created(fallback=True) < deadline:
                pending.discard()
                purged += 1
        for path in base.glob("*.bin"):  # bytes whose description was lost
            if not path.with_suffix(".json").exists():
                try:
                    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
                except OSError:
                    continue
                if modified < deadline:
                    path.unlink(missing_ok=True)
                    purged += 1
        return purged

    def _created(self, *, fallback: bool = False) -> dt.datetime:
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
            return dt.datetime.fromisoformat(meta["created"])
        except (OSError, ValueError, KeyError, TypeError):
            if not fallback:
                raise
            try:  # unreadable (or being written): judge by the file's own age
                return dt.datetime.fromtimestamp(self.meta_path.stat().st_mtime, dt.UTC)
            except OSError:
                return dt.datetime.min.replace(tzinfo=dt.UTC)

    @classmethod
    def load(cls, token: str, *, user, kind: str) -> tuple[PendingImport, bytes, dict]:
        if not token or not token.isalnum() or len(token) != 32:
            raise ImportFileError(_("Phiên nhập dữ liệu không hợp lệ. Hãy tải tệp lên lại."))
        pending = cls(token)
        expired = ImportFileError(
            _(
                "Phiên nhập dữ liệu đã hết hạn (tệp chờ xác nhận chỉ được giữ %(m)s phút sau khi kiểm tra "
                "thử, rồi bị xóa). Chưa có gì được ghi; hãy tải tệp lên lại."
            )
            % {"m": settings.IMPORT_PENDING_MAX_AGE_MINUTES}
        )
        try:
            meta = json.loads(pending.meta_path.read_text(encoding="utf-8"))
            created = dt.datetime.fromisoformat(meta["created"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise expired from exc
        if meta.get("user") != user.pk or meta.get("kind") != kind:
            raise ImportFileError(_("Phiên nhập dữ liệu không hợp lệ. Hãy tải tệp lên lại."))
        if dt.datetime.now(dt.UTC) - created > cls.max_age():
            pending.discard()
            raise expired
        try:
            content = pending.data_path.read_bytes()
        except OSError as exc:
            raise expired from exc
        return pending, content, meta

    def discard(self) -> None:
        for path in (self.data_path, self.meta_path):
            path.unlink(missing_ok=True)


def empty_baseline(checked: str | None = None) -> dict[str, Any]:
    """The baseline of a preview that recorded none (made before baselines existed): every row
    matching a record then counts as changed since, so the file is checked again, never written."""
    return {"checked": checked or dt.datetime.min.replace(tzinfo=dt.UTC).isoformat(), "targets": {}}


def lock_targets(baseline: dict[str, Any]) -> None:
    """Lock every record the preview saw a row match, until the confirmation commits: a colleague's
    save from now on waits for the import instead of slipping between its check and its write."""
    from django.apps import apps

    by_model: dict[str, list[int]] = {}
    for target in baseline.get("targets", {}).values():
        for label, pk in target["objects"]:
            by_model.setdefault(label, []).append(pk)
    for label, pks in sorted(by_model.items()):
        manager = apps.get_model(label)._default_manager
        for start in range(0, len(pks), 2000):
            list(
                manager.select_for_update(no_key=True)
                .filter(pk__in=sorted(pks[start : start + 2000]))
                .values_list("pk", flat=True)
            )


def _changed_by(objects: list, *, since: dt.datetime, until: dt.datetime) -> str:
    """Who saved these records between the preview and the confirmation, from the audit trail."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from django.utils import timezone

    which = Q(pk__in=[])
    for label, pk in objects:
        app_label, model = label.split(".")
        which |= Q(content_type=ContentType.objects.get_by_natural_key(app_label, model), object_id=str(pk))
    entries = AuditLogEntry.objects.filter(which, time__gte=since, time__lt=until).select_related("actor")
    latest: dict[str, dt.datetime] = {}
    for entry in entries.order_by("time", "pk"):
        if is_change(entry.action):
            latest[person_name(entry.actor, entry.actor_username)] = timezone.localtime(entry.time)
    return "; ".join(
        _("%(who)s (%(when)s)") % {"who": who, "when": when.strftime("%H:%M %d/%m/%Y")} for who, when in latest.items()
    )


def baseline_conflicts(
    expected: dict[str, Any], found: dict[str, Any], *, failed_rows: set[int], until: dt.datetime
) -> list[RowError]:
    """The rows whose records are not as the preview saw them: changed (which columns, by whom),
    gone (deleted, closed, moved out of reach) or matched now but not then (created since)."""
    try:
        since = dt.datetime.fromisoformat(expected.get("checked", ""))
    except ValueError:
        since = dt.datetime.min.replace(tzinfo=dt.UTC)
    before_all, now_all = expected.get("targets", {}), found.get("targets", {})
    conflicts: list[RowError] = []
    for key in set(before_all) | set(now_all):
        before, now = before_all.get(key), now_all.get(key)
        if before is not None and now is not None and list(before["v"]) == list(now["v"]) and before["f"] == now["f"]:
            continue  # as the preview saw it (the usual case: no query)
        if now is None and before["row"] in failed_rows:
            continue  # the row's own error says more
        target = now or before
        who = _changed_by(target["objects"], since=since, until=until) or _("người khác")
        if before is not None and now is not None:
            columns = [c for c in now["f"] if before["f"].get(c) != now["f"][c]]
            fields = _("cột %(c)s") % {"c": ", ".join(columns)} if columns else _("những thông tin không có trong tệp")
            message = _("%(label)s: %(who)s đã sửa sau khi kiểm tra thử (%(fields)s).") % {
                "label": target["label"],
                "who": who,
                "fields": fields,
            }
        elif now is None:
            message = _(
                "%(label)s: bản ghi mà dòng này cập nhật lúc kiểm tra thử đã thay đổi (bị xóa, kết thúc hoặc không "
                "còn khớp với dòng này; %(who)s)."
            ) % {"label": target["label"], "who": who}
        else:
            message = _(
                "%(label)s: bản ghi này được %(who)s lập hoặc sửa sau khi kiểm tra thử; lúc kiểm tra thử, dòng "
                "này là thêm mới."
            ) % {"label": target["label"], "who": who}
        conflicts.append(RowError(row=target["row"], column="", message=clip(message, 2 * MESSAGE_MAX_CHARS)))
    return sorted(conflicts, key=lambda e: (e.row, e.message))


def stale_message() -> str:
    return _(
        "Dữ liệu đã thay đổi sau khi kiểm tra thử, nên tệp CHƯA được nhập (không có gì được ghi) để không ghi "
        "đè thay đổi của người khác. Hãy bấm “Kiểm tra thử lại” để xem các thay đổi so với dữ liệu hiện nay, "
        "rồi xác nhận."
    )


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
