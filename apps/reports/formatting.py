"""Vietnamese number and date formats of administrative documents.

Numbers use a dot between thousands and a comma before decimals (1.234; 1,0%). Dates in the
place-and-date line pad days below 10 and the months 1 and 2 with a zero (Nghị định 30/2020/NĐ-CP,
domain.md §7): "ngày 05 tháng 02 năm 2026", "ngày 15 tháng 3 năm 2026".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from apps.core import formatting


def vn_number(value, decimals: int | None = None) -> str:
    """1234 → "1.234"; 1234.5 → "1.234,5"; None (not computable) → "—"; ``decimals`` fixed."""
    return formatting.number(value, decimals, fixed=decimals is not None)


def vn_percent(value, decimals: int = 1) -> str:
    """1.0 → "1,0%"."""
    return formatting.percent(value, decimals)


def change_ratio(current, previous) -> Decimal | None:
    """Relative change in percent, or None when the previous value is zero or unknown."""
    if current is None or previous is None:
        return None
    current, previous = Decimal(str(current or 0)), Decimal(str(previous or 0))
    if previous == 0:
        return None
    return (current - previous) * 100 / previous


def document_date(day: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2026" (day < 10 and months 1–2 padded with 0)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: dt.date) -> str:
    return f"{place}, {document_date(day)}"


def short_date(day: dt.date | str) -> str:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")
