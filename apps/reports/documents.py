"""Template contexts of the printed documents, built only from stored data (header, figures,
narrative), so a report renders the same whether from a draft or from the archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apps.core import formatting

from . import sources
from .formatting import change_ratio, place_and_date, short_date, vn_number, vn_percent
from .narrative import SECTIONS, paragraphs

#: most indicator columns in one landscape annex table
ANNEX_MAX_COLUMNS = 12
#: width left for the value columns of a landscape annex (297 mm − margins − STT − name)
ANNEX_VALUES_WIDTH_MM = 297 - 35 - 8 - 48
LEVEL_COLUMN = "_level"
LEVEL_WIDTH_MM = 26
NBSP = "\u00a0"
STATE_LABELS = {
    "locked": "số liệu đã được phê duyệt, khóa sổ",
    "mixed": "một phần số liệu đã được phê duyệt, khóa sổ",
    "live": "số liệu tổng hợp trực tiếp, chưa khóa sổ",
}


def subject_line(period_label: str) -> str:
    return f"Kết quả công tác phòng, chống ma túy {period_label}"


def number_line(number: str, symbol: str) -> str:
    """ "Số: 12/BC-CAX", or "Số:      /BC-CAX" with room for the clerk's number."""
    number = (number or "").strip()
    if number and "/" in number:
        return f"Số: {number}"
    return f"Số: {number or NBSP * 6}{symbol}"


def recipient_lines(text: str, unit_code: str = "") -> list[str]:
    """One "- …;" line per recipient, the last ending with "." and being "Lưu: VT, …"."""
    items = [line.strip().lstrip("-–").strip().rstrip(";.") for line in (text or "").splitlines()]
    items = [item for item in items if item]
    if not any(item.lower().startswith("lưu") for item in items):
        items.append("Lưu: VT")
    else:  # "Lưu" always closes the list
        archive = [item for item in items if item.lower().startswith("lưu")]
        items = [item for item in items if not item.lower().startswith("lưu")] + archive[-1:]
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def header_context(header: dict[str, Any], number: str, document_date: dt.date) -> dict[str, Any]:
    return {
        "parent_body": header.get("parent_body", "").upper(),
        "issuing_body": header.get("issuing_body", "").upper(),
        "number_line": number_line(number, header.get("number_symbol", "")),
        "date_line": place_and_date(header.get("place") or "Tuyên Quang", document_date),
        "authority_line": header.get("authority_line", "").upper(),
        "signer_title": header.get("signer_title", "").upper(),
        "signer_name": header.get("signer_name", ""),
        "recipients": recipient_lines(header.get("recipients", "")),
    }


def _fmt(value) -> str:
    return vn_number(value)


def _change(current, previous, unit: str = "") -> str:
    if current is None or previous is None:
        return "—"
    diff = (current or 0) - (previous or 0)
    if unit == "%":  # a change of a percentage is in percentage points, never a ratio of ratios
        return formatting.points(diff)
    ratio = change_ratio(current, previous)
    sign = "+" if diff > 0 else ""
    text = f"{sign}{vn_number(diff)}"
    if ratio is not None and diff:
        text += f" ({sign}{vn_percent(ratio)})"
    return text


def summary_table(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Totals of the period against the previous one, grouped."""
    groups = []
    missing = figures.get("missing") or {}
    for group in figures["groups"]:
        rows = []
        reasons = sorted(
            {missing[i["code"]] for i in figures["indicators"] if i["group"] == group["code"] and i["code"] in missing}
        )
        for ind in figures["indicators"]:
            if ind["group"] != group["code"] or ind["code"] in missing:
                continue
            value = figures["total"].get(ind["code"], 0)
            previous = figures["previous"]["total"].get(ind["code"], 0)
            rows.append(
                {
                    "label": ind["label"],
                    "unit": ind["unit"],
                    "value": _fmt(value),
                    "previous": _fmt(previous),
                    "change": _change(value, previous, ind["unit"]),
                }
            )
        groups.append({"label": group["label"], "rows": rows, "note": "; ".join(reasons)})
    return groups


def annex_tables(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Landscape tables, one row per commune: consecutive indicator groups share a table while it
    has at most ``ANNEX_MAX_COLUMNS`` columns (a larger group is split). Indicators that could not
    be computed are left out; the classification is one column with the commune's level."""
    if len(figures["rows"]) < 2:
        return []
    missing = figures.get("missing") or {}
    chunks: list[list[tuple[dict, list[dict]]]] = [[]]
    for group in figures["groups"]:
        if group["code"] == "classification":
            indicators = [{"code": LEVEL_COLUMN, "label": "Loại địa bàn", "unit": ""}]
        else:
            indicators = [i for i in figures["indicators"] if i["group"] == group["code"] and i["code"] not in missing]
        for start in range(0, len(indicators), ANNEX_MAX_COLUMNS):
            part = indicators[start : start + ANNEX_MAX_COLUMNS]
            used = sum(len(cols) for _g, cols in chunks[-1])
            if used and used + len(part) > ANNEX_MAX_COLUMNS:
                chunks.append([])
            chunks[-1].append((group, part))
    tables = []
    for number, chunk in enumerate(chunks, start=1):
        columns = [c for _g, cols in chunk for c in cols]
        codes = [c["code"] for c in columns]
        tables.append(
            {
                "number": number,
                "title": "; ".join(g["label"] for g, _cols in chunk),
                "groups": [{"label": g["label"], "span": len(cols)} for g, cols in chunk],
                "columns": columns,
                "widths": _column_widths(columns),
                "rows": [
                    {
                        "stt": n,
                        "name": row["name"],
                        # figures archived before issue 10 carry no "has_data": they had data
                        "no_data": row.get("has_data") is False,
                        "cells": [_annex_cell(row, c) for c in codes],
                    }
                    for n, row in enumerate(figures["rows"], start=1)
                ],
                "total": [_fmt(figures["total"].get(c)) if c != LEVEL_COLUMN else "" for c in codes],
            }
        )
    return tables


def _column_widths(columns: list[dict[str, Any]]) -> list[str]:
    """Millimetre widths of the value columns: the level column is wider, the rest share the page."""
    level = [c for c in columns if c["code"] == LEVEL_COLUMN]
    rest = ANNEX_VALUES_WIDTH_MM - LEVEL_WIDTH_MM * len(level)
    each = rest / max(len(columns) - len(level), 1)
    return [f"{LEVEL_WIDTH_MM if c['code'] == LEVEL_COLUMN else each:.1f}mm" for c in columns]


def _annex_cell(row: dict[str, Any], code: str) -> str:
    if code == LEVEL_COLUMN:
        return (row.get("level") or "—") + (" (*)" if row.get("provisional") else "")
    return _fmt(row["values"].get(code))


def coverage_note(figures: dict[str, Any]) -> str:
    """ "tính trên 3/124 xã có số liệu" when some communes have no data for the period."""
    cov = figures.get("coverage") or {}
    if not cov or cov.get("with_data", 0) >= cov.get("communes", 0):
        return ""
    return str(cov.get("text", ""))


def provisional_note(figures: dict[str, Any]) -> str:
    """The report's footnote on results resting on unverified criteria (issue 10 §4): the
    research note belongs here and on the rule-set page, not on the working screens."""
    count = sum(1 for row in figures.get("rows") or [] if row.get("provisional"))
    if not count:
        return ""
    rule_set = (figures.get("assessment") or {}).get("rule_set") or ""
    return (
        f"(*) Kết quả tham khảo ({count} xã, phường): loại địa bàn được xác định theo tiêu chí của bộ tiêu chí "
        f"{rule_set} chưa được kiểm chứng với văn bản gốc (ngưỡng loại II, III và cận dưới loại III là tham số "
        "giả định, pháp chế tỉnh cần đối chiếu); chưa dùng làm căn cứ chính thức."
    )


def map_context(figures: dict[str, Any]) -> dict[str, Any] | None:
    """The map a past period's report is drawn on (issue 10 §4), or None for today's map: its name
    and verification status, and on the map of the time the people per unit of that map."""
    data = figures.get("map")
    if not data:
        return None
    rows = [
        {"stt": n, "name": r["name"], "district": r["district"], "people": _fmt(r["people"]),
         "addicts": _fmt(r["addicts"]), "level": r.get("level") or "—"}
        for n, r in enumerate(data.get("rows") or [], start=1)
    ]  # fmt: skip
    unknown = data.get("unknown")
    people = sum(r["people"] for r in data.get("rows") or []) + (unknown["people"] if unknown else 0)
    addicts = sum(r["addicts"] for r in data.get("rows") or []) + (unknown["addicts"] if unknown else 0)
    return {
        "label": data["label"],
        "verification": data["verification"],
        "note": data.get("note") or "",
        "on_time_map": bool(data.get("generation")),
        "day": short_date(data["day"]),
        "rows": rows,
        "unknown": {"name": unknown["name"], "people": _fmt(unknown["people"]), "addicts": _fmt(unknown["addicts"])}
        if unknown
        else None,
        "people": _fmt(people),
        "addicts": _fmt(addicts),
    }


def sections(narrative: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"part": s.part, "heading": s.heading, "code": s.code, "paragraphs": paragraphs(narrative.get(s.code, ""))}
        for s in SECTIONS
    ]


def target_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return list(figures.get("targets") or [])


def breakdown_tables(figures: dict[str, Any]) -> list[dict[str, Any]]:
    tables = []
    for breakdown in figures.get("breakdowns") or []:
        whole = breakdown.get("base") or sum(n for _label, n in breakdown["rows"]) or 0
        rows = [
            {"label": label, "value": vn_number(n), "share": vn_percent(n * 100 / whole) if whole else "—"}
            for label, n in breakdown["rows"]
        ]
        tables.append({"title": breakdown["title"], "rows": rows})
    return tables


def periodic_context(
    *, header: dict[str, Any], figures: dict[str, Any], narrative: dict[str, str], number: str, document_date
) -> dict[str, Any]:
    """Everything ``reports/pdf/periodic.html`` prints."""
    period = figures["period"]
    return {
        "head": header_context(header, number, document_date),
        "title": "BÁO CÁO",
        "subject": subject_line(period["label"]),
        "period": period,
        "end_date": short_date(period["end"]),
        "data_window": f"từ ngày {short_date(period['start'])} đến ngày {short_date(period['end'])}",
        "state": figures.get("state", "live"),
        "state_label": STATE_LABELS.get(figures.get("state", "live"), ""),
        "unit": figures["unit"],
        "sections": sections(narrative),
        "summary": summary_table(figures),
        "targets": target_rows(figures),
        "breakdowns": breakdown_tables(figures),
        "previous_label": figures["previous"]["label"],
        "annexes": annex_tables(figures),
        "coverage": coverage_note(figures),
        "provisional": provisional_note(figures),
        "charts": sources.charts(figures),
        "is_province": figures["unit"].get("level") == "province",
        "map": map_context(figures),
    }


def people_list_context(*, header: dict[str, Any], rows: list[dict[str, Any]], unit, as_of, number, document_date):
    """Everything ``reports/pdf/people_list.html`` prints."""
    return {
        "head": header_context(header, number, document_date),
        "title": "DANH SÁCH",
        "subject": f"Người sử dụng trái phép chất ma túy, người nghiện ma túy có hồ sơ quản lý đến ngày "
        f"{short_date(as_of)}",
        "unit": unit,
        "rows": rows,
        "count": len(rows),
    }
