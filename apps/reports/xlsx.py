"""The report's tables as an .xlsx workbook, from the same figures as the PDF: a summary sheet
(period against the previous one) and one row per commune. Every text cell goes through
``apps.core.exports.neutralize`` (no formula injection); numbers stay numbers. Indicators are
titled by their Vietnamese label from the indicator definitions, never by their internal code
(people_total...), and a sub-item ("– người nghiện ma túy") names the item it belongs to, since a
column of a spreadsheet is read, filtered and copied on its own."""

from __future__ import annotations

import io
from typing import Any

from apps.core.exports import neutralize
from apps.reporting.indicators import GROUPS, INDICATORS

from .formatting import short_date

SUMMARY_HEADERS = [
    "STT",
    "Nhóm chỉ tiêu",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kỳ báo cáo",
    "Kỳ so sánh",
    "Tăng (+), giảm (-)",
]


def _cell(value):
    return neutralize(value) if isinstance(value, str) else value


def _label(ind: dict[str, Any]) -> str:
    definition = INDICATORS.get(ind["code"])
    return (definition.label_vi if definition else "") or ind.get("label") or ind["code"]


def _group_label(code: str, groups: dict[str, str]) -> str:
    return groups.get(code) or GROUPS.get(code) or code


SUB_ITEM = ("–", "-")


def indicator_titles(indicators: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(number, title) of each indicator: "1", "1.1"... and the label, a sub-item prefixed with
    the item it belongs to ("…có hồ sơ quản lý: người nghiện ma túy")."""
    out: list[tuple[str, str]] = []
    parent, top, sub = "", 0, 0
    for ind in indicators:
        label = _label(ind)
        if label.startswith(SUB_ITEM) and parent:
            sub += 1
            out.append((f"{top}.{sub}", f"{parent}: {label.lstrip('–- ').strip()}"))
        else:
            parent, top, sub = label, top + 1, 0
            out.append((str(top), label))
    return out


def with_unit(title: str, unit: str) -> str:
    """``title (unit)``, unless the title already ends with it ("Thu giữ ma túy tổng hợp (viên)")."""
    return f"{title} ({unit})" if unit and not title.endswith(f"({unit})") else title


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
    figures_map = figures.get("map")
    if figures_map:  # a past period names its map (the header row moves down by one)
        ws.append([_cell(f"Bản đồ hành chính: {figures_map['label']} {figures_map['verification']}")])
    ws.append([])
    ws.append(SUMMARY_HEADERS)
    for cell in ws[ws.max_row]:
        cell.font, cell.alignment = bold, wrap
    ws["A1"].font = bold
    titles = indicator_titles(figures["indicators"])
    for ind, (number, label) in zip(figures["indicators"], titles, strict=True):
        value = figures["total"].get(ind["code"], 0)
        previous = figures["previous"]["total"].get(ind["code"], 0)
        ws.append(
            [
                number,
                _cell(_group_label(ind["group"], groups)),
                _cell(label),
                _cell(ind["unit"]),
                value,
                previous,
                (value or 0) - (previous or 0),
            ]
        )
    for column, width in zip("ABCDEFG", (6, 34, 60, 12, 12, 12, 16), strict=True):
        ws.column_dimensions[column].width = width

    sheet = wb.create_sheet("Theo xã")
    sheet.append([_cell(f"Số liệu theo đơn vị cấp xã — {period['label']} — {window}")])
    sheet["A1"].font = bold
    sheet.append([])
    headers = ["STT", "Mã đơn vị", "Xã, phường"] + [
        with_unit(title, i["unit"]) for i, (_n, title) in zip(figures["indicators"], titles, strict=True)
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

    if figures_map and figures_map.get("generation"):
        _map_sheet(wb.create_sheet(f"Theo bản đồ năm {figures_map['generation']}"), figures_map, bold, wrap)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _map_sheet(sheet, figures_map: dict[str, Any], bold, wrap) -> None:
    """The people per unit of the map of the time (issue 10 §4), the unknown row included."""
    sheet.append([_cell(f"{figures_map['label']} {figures_map['verification']}")])
    sheet["A1"].font = bold
    sheet.append([_cell(f"Người có hồ sơ quản lý đến ngày {short_date(figures_map['day'])}")])
    sheet.append(
        ["STT", "Mã đơn vị", "Đơn vị", "Có hồ sơ quản lý (người)", "Người nghiện (người)", "Huyện (thời điểm đó)"]
        + ["Loại địa bàn"]
    )
    for cell in sheet[3]:
        cell.font, cell.alignment = bold, wrap
    for n, row in enumerate(figures_map["rows"], start=1):
        sheet.append(
            [n, _cell(row["code"]), _cell(row["name"]), row["people"], row["addicts"], _cell(row["district"]),
             _cell(row.get("level") or "")]
        )  # fmt: skip
    unknown = figures_map.get("unknown")
    if unknown:
        sheet.append(["", "", _cell(unknown["name"]), unknown["people"], unknown["addicts"], "", ""])
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["F"].width = 30
    sheet.freeze_panes = "D4"
