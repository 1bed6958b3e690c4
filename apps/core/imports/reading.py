"""An upload read into a dataset: size and type checks, the xlsx data sheet and csv, row by row."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import tablib
from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.formatting import grouped
from apps.core.text import normalize

from .report import ImportFileError, clip

ALLOWED_EXTENSIONS = (".xlsx", ".csv")


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
