"""Hostile spreadsheets ("upload bombs"), built by streaming so the test process stays small.

Each is a few hundred KB on the wire and huge once read naively: one cell of 100 MB (a shared
string that compresses to almost nothing), 300,000 tiny rows, and rows that are empty but claim
the whole sheet (A1:XFD1048576), as .xlsx and as .csv.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def row_xml(number: int, values: Iterable) -> str:
    cells = []
    for col, value in enumerate(values, start=1):
        if value in (None, ""):
            continue
        ref = f"{_column(col)}{number}"
        cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def xlsx(
    rows: Iterable[str],
    *,
    dimension: str = "A1",
    shared_strings: Iterable[str] = (),
    shared_count: int = 0,
) -> bytes:
    """A minimal .xlsx whose sheet XML is ``rows`` (already XML) and whose shared strings are
    the concatenated chunks of ``shared_strings`` (one string), written member by member."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                + f'count="{shared_count}" uniqueCount="{shared_count}">'.encode()
            )
            if shared_count:
                out.write(b"<si><t>")
                for chunk in shared_strings:
                    out.write(chunk.encode())
                out.write(b"</t></si>")
            out.write(b"</sst>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(_SHEET_HEAD.format(dimension=dimension).encode())
            pending: list[str] = []
            for xml in rows:
                pending.append(xml)
                if len(pending) >= 2000:
                    out.write("".join(pending).encode())
                    pending.clear()
            out.write("".join(pending).encode())
            out.write(_SHEET_TAIL.encode())
    return buf.getvalue()


def huge_cell_xlsx(headers: list[str], *, megabytes: int = 100) -> bytes:
    """One cell (row 2, column A) of ``megabytes`` MB: a shared string, ~100 KB compressed."""
    chunk = "A" * (1024 * 1024)
    rows = [row_xml(1, headers), '<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    dimension = f"A1:{_column(len(headers))}2"
    return xlsx(rows, dimension=dimension, shared_strings=(chunk for _ in range(megabytes)), shared_count=1)


def many_rows_xlsx(headers: list[str], *, rows: int = 300_000) -> bytes:
    """``rows`` rows of one tiny cell each after the header."""
    body = (f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(2, rows + 2))
    return xlsx([row_xml(1, headers), *body], dimension=f"A1:{_column(len(headers))}{rows + 1}")


def empty_rows_xlsx(headers: list[str], first_row: list, *, size: int = 1_500_000) -> bytes:
    """The header, one data row, then ``size`` bytes of rows whose only cell (in column XFD)
    is empty, in a sheet that claims the whole grid: a naive reader pads every row to 16,384
    cells and every gap up to row 1,048,576."""
    rows = [row_xml(1, headers), row_xml(2, first_row)]
    written, number = 0, 3
    while written < size:
        xml = f'<row r="{number}"><c r="XFD{number}"/></row>'
        rows.append(xml)
        written += len(xml)
        number += 1
    rows.append('<row r="1048576"><c r="XFD1048576"/></row>')
    return xlsx(rows, dimension="A1:XFD1048576")


def _csv_line(values: Iterable) -> str:
    return ",".join("" if v is None else f'"{v}"' if ("," in str(v) or '"' in str(v)) else str(v) for v in values)


def huge_cell_csv(headers: list[str], *, chars: int = 1_000_000) -> bytes:
    """A cell of ``chars`` characters (within the upload size cap, beyond csv's field limit)."""
    return (_csv_line(headers) + "\r\n" + "A" * chars + "\r\n").encode("utf-8")


def many_rows_csv(headers: list[str], *, rows: int = 300_000) -> bytes:
    return (_csv_line(headers) + "\r\n" + "x\r\n" * rows).encode("utf-8")


def empty_rows_csv(headers: list[str], first_row: list, *, size: int = 1_500_000) -> bytes:
    empty = "," * (len(headers) - 1) + "\r\n"
    body = empty * (size // len(empty))
    return (_csv_line(headers) + "\r\n" + _csv_line(first_row) + "\r\n" + body).encode("utf-8")
