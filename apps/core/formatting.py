"""The one way numbers are written, on pages, in charts, in targets, in classification and in PDFs.

Vietnamese: a dot between thousands and a comma before decimals ("1.359 lượt người", "12,5"); a
percentage with its sign attached ("12,5%"); a change of a percentage in percentage points
("+2,9 điểm %"), a change of a count signed ("+3", "−2"). GPS coordinates are the exception: they
keep the decimal POINT that map and GPS apps show and accept ("21.823456, 105.214789"), with no
thousands separator.

Pure functions, no Django import: the chart drawing, the rule engine and the PDF sources call them
as they are.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

#: what a value that cannot be computed prints as
MISSING = "—"
#: the minus of a signed change (U+2212), wider than the hyphen, as the dashboards have it
MINUS = "−"
POINTS_UNIT = "điểm %"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value: Any, places: int | None = None, *, fixed: bool = False) -> str:
    """1234 → "1.234"; 1234.5 → "1.234,5"; Decimal("12.50") → "12,5"; None → "—".

    ``places`` is the most decimals written (3 when not given), rounded half up, trailing zeros
    dropped; with ``fixed`` exactly ``places`` decimals are written ("1,0")."""
    if type(value) is int and not fixed:
        # most figures are counts: a province dashboard formats ~1,900 of them per page, and the
        # Decimal round trip below was a tenth of its Python time (most are under a thousand)
        return str(value) if -1000 < value < 1000 else f"{value:,}".replace(",", ".")
    d = _decimal(value)
    if d is None:
        return MISSING if value is None or value == "" else str(value)
    if not d.is_finite():
        return MISSING
    if places is None:
        places = 3
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if places >= 0 else d
    if not fixed:
        d = d.normalize() if d != d.to_integral_value() else d.to_integral_value()
    negative = d < 0
    text = f"{abs(d):,f}"  # "1,234.5"
    if fixed and places > 0 and "." not in text:
        text += "." + "0" * places
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if negative and text.strip("0,.") else "") + text


def grouped(value: int) -> str:
    """An integer with its thousands grouped: 1359 → "1.359"."""
    return number(int(value), 0)


def with_unit(text: str, unit: str) -> str:
    """A formatted number and its unit, once: "12,5%" (attached), "1.359 lượt người"."""
    if not unit or text == MISSING:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def quantity(value: Any, unit: str = "", places: int | None = None) -> str:
    """``number`` with its unit: quantity(1359, "lượt người") → "1.359 lượt người"."""
    return with_unit(number(value, places), unit)


def percent(value: Any, places: int = 1) -> str:
    """A percentage with ``places`` decimals: 1 → "1,0%"; None → "—"."""
    if _decimal(value) is None:
        return MISSING
    return f"{number(value, places, fixed=True)}%"


def signed(value: Any, places: int | None = None) -> str:
    """A change with its sign: "+3", "−2", "0", "+1,25"; None → "—"."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = number(abs(d), places)
    if text.strip("0,.") == "":
        return "0"
    return f"+{text}" if d > 0 else f"{MINUS}{text}"


def points(value: Any, places: int = 1) -> str:
    """A change of a percentage, in percentage points: Decimal("2.9") → "+2,9 điểm %"."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = signed(d, places)
    return f"{text} {POINTS_UNIT}"


def change(value: Any, unit: str = "", places: int | None = None) -> str:
    """A change of an indicator measured in ``unit``: percentage points for a percentage, a
    signed number otherwise."""
    return points(value) if unit == "%" else signed(value, places)


def coordinate(value: Any, places: int = 6) -> str:
    """A latitude or longitude as GPS apps show it: decimal POINT, no grouping ("21.823456")."""
    d = _decimal(value)
    if d is None:
        return MISSING
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    return f"{d:f}"


def label_with_unit(label: str, unit: str) -> str:
    """ "Lượt người tham dự (lượt người)", but a label already ending with its unit keeps it once:
    "Thu giữ ma túy tổng hợp (viên)", never "(viên) (viên)"; a percentage shows no "(%)" twice."""
    label = str(label)
    if not unit:
        return label
    if label.rstrip().endswith(f"({unit})") or (unit == "%" and label.rstrip().endswith("%)")):
        return label
    return f"{label} ({unit})"
