"""The report's sections and their prefilled Vietnamese text, written from the figures.

Each section is plain text (one paragraph per line) that the user edits in the draft before
issuing; the PDF prints what was issued. The prefill only states numbers from the figures (and the
plan targets' evaluation) — the assessment and the proposals are the unit's to write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .formatting import change_ratio, vn_number, vn_percent


@dataclass(frozen=True)
class Section:
    code: str
    heading: str
    #: heading of the part it opens (I–IV), printed before it when set
    part: str = ""


PART_I = "I. TÌNH HÌNH LIÊN QUAN ĐẾN MA TÚY"
PART_II = "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ"
PART_III = "III. ĐÁNH GIÁ KẾT QUẢ SO VỚI CHỈ TIÊU"
PART_IV = "IV. ĐỀ XUẤT, KIẾN NGHỊ"

SECTIONS = [
    Section("situation", "", PART_I),
    Section("people", "1. Công tác quản lý người sử dụng trái phép chất ma túy, người nghiện ma túy", PART_II),
    Section("rehab", "2. Công tác cai nghiện ma túy, điều trị thay thế và quản lý sau cai nghiện"),
    Section("prevention", "3. Công tác tuyên truyền, phòng ngừa"),
    Section("crime", "4. Công tác đấu tranh với tội phạm về ma túy; triệt xóa điểm, tụ điểm"),
    Section("classification", "5. Công tác phân loại địa bàn"),
    Section("targets", "", PART_III),
    Section("proposals", "", PART_IV),
]
SECTION_CODES = [s.code for s in SECTIONS]

#: indicator group (``apps.reporting.indicators.GROUPS``) → section of part II
GROUP_SECTIONS = {
    "people": "people",
    "rehab": "rehab",
    "prevention": "prevention",
    "crime": "crime",
    "hotspots": "crime",
    "cultivation": "crime",
    "classification": "classification",
}
CUMULATIVE_KINDS = ("half", "nine_months", "year")


def section_of_group(group: dict[str, str]) -> str:
    return GROUP_SECTIONS.get(group.get("code", ""), "people")


def area_word(unit: dict[str, Any]) -> str:
    """ "Toàn tỉnh", "Toàn xã", "Toàn phường" … from the unit."""
    if unit.get("level") == "province":
        return "Toàn tỉnh"
    name = unit.get("full_name", "")
    for word in ("Phường", "Đặc khu", "Thị trấn", "Xã"):
        if name.startswith(word):
            return f"Toàn {word.lower()}"
    return "Toàn địa bàn"


def comparison_phrase(figures: dict[str, Any], *, short: bool = False) -> str:
    """ "so với kỳ trước (quý II năm 2026)" / "so với cùng kỳ năm 2025"; ``short`` without the label."""
    period = figures["period"]
    if period["kind"] in CUMULATIVE_KINDS:
        return f"so với cùng kỳ năm {period['year'] - 1}"
    if short:
        return "so với kỳ trước"
    return f"so với kỳ trước ({figures['previous']['label']})"


def clean_label(label: str) -> str:
    """An indicator label for a sentence: without the "– " of sub-items, first letter lower-case."""
    text = label.lstrip("–- ").strip()
    return text[:1].lower() + text[1:]


def _quantity(value, unit: str, label: str) -> str:
    """ "1.234 người sử dụng …": the unit is left out when the label already starts with it."""
    label = clean_label(label)
    unit_text = "" if not unit or label.startswith(unit) else f" {unit}"
    return f"{vn_number(value)}{unit_text} {label}"


def change_text(current, previous, unit: str, against: str) -> str:
    """ "tăng 12 người (1,0%) so với …" / "giảm 3 vụ so với …" / "không thay đổi so với …"."""
    if current is None or previous is None:
        return f"chưa có số liệu để so sánh {against.removeprefix('so với ')}"
    diff = current - previous
    if diff == 0:
        return f"không thay đổi {against}"
    word = "tăng" if diff > 0 else "giảm"
    ratio = change_ratio(current, previous)
    ratio_text = f" ({vn_percent(abs(ratio))})" if ratio is not None else ""
    unit_text = f" {unit}" if unit and unit != "%" else (" điểm %" if unit == "%" else "")
    return f"{word} {vn_number(abs(diff))}{unit_text}{ratio_text} {against}"


def _indicator_sentence(figures: dict[str, Any], ind: dict[str, str], against: str) -> str:
    value = figures["total"].get(ind["code"])
    previous = figures["previous"]["total"].get(ind["code"])
    unit = ind["unit"]
    shown = f"{vn_number(value)}%" if unit == "%" else f"{vn_number(value)} {unit}".rstrip()
    label = ind["label"].lstrip("–- ").strip()
    label = label[:1].upper() + label[1:]
    return f"{label}: {shown}, {change_text(value, previous, unit, against)}"


def _grouped(figures: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    sections: dict[str, list[dict[str, str]]] = {}
    missing = figures.get("missing") or {}
    for group in figures["groups"]:
        section = section_of_group(group)
        sections.setdefault(section, []).extend(
            i for i in figures["indicators"] if i["group"] == group["code"] and i["code"] not in missing
        )
    return sections


def _missing_reason(figures: dict[str, Any], section: str) -> str:
    missing = figures.get("missing") or {}
    groups = [g["code"] for g in figures["groups"] if section_of_group(g) == section]
    reasons = sorted(
        {missing[i["code"]] for i in figures["indicators"] if i["group"] in groups and i["code"] in missing}
    )
    return f" ({'; '.join(reasons)})" if reasons else ""


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def prefill(figures: dict[str, Any]) -> dict[str, str]:
    """The text of every section, from the figures."""
    against = comparison_phrase(figures)
    against_short = comparison_phrase(figures, short=True)
    grouped = _grouped(figures)
    area = area_word(figures["unit"])
    period = figures["period"]
    total = figures["total"]
    text: dict[str, str] = {}

    people = grouped.get("people", [])
    situation = []
    if people:
        lead = people[0]
        value, previous = total.get(lead["code"]), figures["previous"]["total"].get(lead["code"])
        situation.append(
            f"{area} hiện có {_quantity(value, lead['unit'], lead['label'])}"
            f" (số liệu đến ngày {_day(period['end'])}), {change_text(value, previous, lead['unit'], against)}."
        )
        details = [f"{_quantity(total.get(i['code']), i['unit'], i['label'])}" for i in people[1:]]
        if details:
            situation.append("Trong đó: " + "; ".join(details) + ".")
    crime = grouped.get("crime", [])[:4]
    if crime:
        situation.append(
            "Tình hình tội phạm, tệ nạn ma túy trong kỳ: "
            + "; ".join(f"{clean_label(i['label'])} {vn_number(total.get(i['code']))} {i['unit']}" for i in crime)
            + "."
        )
    text["situation"] = "\n".join(situation) or "Chưa có số liệu trong kỳ báo cáo."

    for section in ("people", "rehab", "prevention", "crime"):
        indicators = grouped.get(section, [])
        if section == "people":
            indicators = indicators[1:]
        if indicators:
            lines = [f"Kết quả {period['label']}:"]
            lines += [f"- {_indicator_sentence(figures, i, against_short)};" for i in indicators]
            lines[-1] = lines[-1][:-1] + "."
            text[section] = "\n".join(lines)
        else:
            text[section] = f"Chưa có số liệu của nội dung này trong hệ thống{_missing_reason(figures, section)}."

    levels = [
        i for i in grouped.get("classification", []) if i["code"] != "class_none" and (total.get(i["code"]) or 0) > 0
    ]
    assessment = figures.get("assessment") or {}
    if levels:
        year = f" năm {assessment['year']}" if assessment.get("year") else ""
        listed = "; ".join(f"{clean_label(i['label'])}: {vn_number(total.get(i['code']))} {i['unit']}" for i in levels)
        text["classification"] = f"Theo kết quả phân loại địa bàn{year} đã được phê duyệt: {listed}."
    else:
        text["classification"] = "Chưa có kết quả phân loại địa bàn được phê duyệt cho kỳ báo cáo."

    targets = figures.get("targets") or []
    if targets:
        lines = [
            f"- {t['label']}: chỉ tiêu {t['target']}, thực hiện {t['actual']} ({t['status_label'].lower()});"
            for t in targets
        ]
        lines[-1] = lines[-1][:-1] + "."
        text["targets"] = "\n".join(lines)
    else:
        text["targets"] = "Chưa có chỉ tiêu kế hoạch đang theo dõi trong hệ thống."
    text["targets"] += (
        f"\nKết quả {period['label']} {against} xem tại bảng tổng hợp dưới đây; số liệu theo từng xã, phường"
        " tại các phụ lục kèm theo."
        if len(figures["rows"]) > 1
        else f"\nKết quả {period['label']} {against} xem tại bảng tổng hợp dưới đây."
    )
    text["proposals"] = (
        "Đề nghị cấp trên tiếp tục quan tâm chỉ đạo, hỗ trợ kinh phí, nhân lực và trang thiết bị "
        "cho công tác phòng, chống ma túy tại địa phương."
    )
    return text


def paragraphs(value: str) -> list[str]:
    """The non-empty lines of a section's text (one printed paragraph each)."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]
