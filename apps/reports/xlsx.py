"""The report's tables as an .xlsx workbook, from the same figures as the PDF: a summary sheet
(period against the previous one) and one row per commune. Every text cell goes through
``apps.cases.exports.neutralize`` (no formula injection); numbers stay numbers."""

from __future__ import annotations

import io
from typing import Any

from apps.cases.exports import neutralize

from .formatting import short_date

SUMMARY_HEADERS = [
    "Nhóm chỉ tiêu",
    "Mã chỉ tiêu",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kỳ báo cáo",
    "Kỳ so sánh",
    "Tăng (+), giảm (-)",
]


def _cell(value):
    return neutralize(value) if isinstance(value, str) else value


def figures_workbook(figures: dict[str, Any], *, title: str = "", number: str = "") -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    period = figures["period"]
    groups = {g["code"]: g["label"] for g in figures["groups"]}
    window = f"Số liệu từ ngày {short_date(period['start'])} đến ngày {short_date(period['end'])}"

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([_cell(title or f"Báo cáo {period['label']}")])
    ws.append([_cell(f"{figures['unit']['full_name']} — {window}" + (f" — Số: {number}" if number else ""))])
    ws.append([_cell(f"Kỳ báo cáo: {period['label']}; kỳ so sánh: {figures['previous']['label']}")])
    ws.append([])
    ws.append(SUMMARY_HEADERS)
    for cell in ws[5]:
        cell.font, cell.alignment = bold, wrap
    ws["A1"].font = bold
    for ind in figures["indicators"]:
        value = figures["total"].get(ind["code"], 0)
        previous = figures["previous"]["total"].get(ind["code"], 0)
        ws.append(
            [
                _cell(groups.get(ind["group"], ind["group"])),
                _cell(ind["code"]),
                _cell(ind["label"]),
                _cell(ind["unit"]),
                value,
                previous,
                (value or 0) - (previous or 0),
            ]
        )
    for column, width in zip("ABCDEFG", (34, 22, 50, 12, 12, 12, 16), strict=True):
        ws.column_dimensions[column].width = width

    sheet = wb.create_sheet("Theo xã")
    sheet.append([_cell(f"Số liệu theo đơn vị cấp xã — {period['label']} — {window}")])
    sheet["A1"].font = bold
    sheet.append([])
    headers = ["STT", "Mã đơn vị", "Xã, phường"] + [
        f"{i['label']} ({i['unit']})" if i["unit"] else i["label"] for i in figures["indicators"]
    ]
    sheet.append([_cell(h) for h in headers])
    for cell in sheet[3]:
        cell.font, cell.alignment = bold, wrap
    codes = [i["code"] for i in figures["indicators"]]
    for n, row in enumerate(figures["rows"], start=1):
        sheet.append([n, _cell(row["code"]), _cell(row["name"])] + [row["values"].get(c, 0) for c in codes])
    sheet.append(["", "", "Tổng cộng"] + [figures["total"].get(c, 0) for c in codes])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.column_dimensions["C"].width = 30
    sheet.freeze_panes = "D4"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
