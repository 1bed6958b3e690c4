"""Charts drawn on the server as SVG strings: no JavaScript, no external asset, printable.

Every function returns a ``Chart``: ``svg`` (a well-formed, self-contained ``<svg>`` element, safe
to insert in a page: every text is escaped) and ``table`` (the same data as a caption, headers and
rows, rendered under the chart for screen readers and for people who want the numbers).

* ``line_chart(title, labels, series, unit)`` — trends over periods (one line per series).
* ``bar_chart(title, labels, values, unit)`` — one series of vertical bars (trends).
* ``hbar_chart(title, items, unit)`` — horizontal bars (breakdowns: sex, age band, ethnicity…).
* ``tile_grid(title, groups, legend)`` — one tile per commune, coloured AND lettered by its
  classification level, grouped in rows by the former (pre-2025) district: a schematic map built
  from the units the project ships, with no map tiles.

Numbers are written the Vietnamese way (1.234,5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SVG_NS = "http://www.w3.org/2000/svg"
PALETTE = ["#1d4f91", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0e7490"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"


def fmt(value: Any, places: int | None = None) -> str:
    """1234 → "1.234"; Decimal("12.50") → "12,5"; None → "—"."""
    if value is None:
        return "—"
    if isinstance(value, Decimal | float) and not (isinstance(value, Decimal) and value == value.to_integral()):
        number = Decimal(str(value))
        text = f"{number:,.{places if places is not None else 3}f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _integral(values) -> bool:
    return all(v is None or isinstance(v, int) or (isinstance(v, Decimal) and v == v.to_integral()) for v in values)


def _num(value: Any) -> float:
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _nice_max(value: float, integral: bool = False) -> float:
    """A round upper bound; for whole numbers a multiple of 4, so the 4 grid steps are whole too."""
    if integral:
        return float(max(4, math.ceil(_nice_max(value) / 4) * 4)) if value > 0 else 4.0
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    base = 10**exponent
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * base:
            return step * base
    return 10 * base


@dataclass
class Chart:
    title: str
    svg: SafeString
    caption: str
    headers: list[str]
    rows: list[list[str]]
    kind: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_counter = {"n": 0}


def _id(prefix: str) -> str:
    _counter["n"] = (_counter["n"] + 1) % 1_000_000
    return f"{prefix}{_counter['n']}"


def _svg(width: int, height: int, title: str, body: list[str], desc: str = "", role: str = "img") -> SafeString:
    # role="img" hides the children from assistive technology; a chart whose parts are links
    # (the tile grid) is a "group" instead, or its links would be unreachable (axe nested-interactive).
    tid = _id("chart-t")
    parts = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="100%" role="{role}" '
        f'aria-labelledby="{tid}" class="chart-svg" font-family="{escape(FONT)}" font-size="12" '
        f'preserveAspectRatio="xMinYMin meet" style="max-width:{width}px">',
        f'<title id="{tid}">{escape(title)}</title>',
    ]
    if desc:
        parts.append(f"<desc>{escape(desc)}</desc>")
    parts += body
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, color: str = TEXT, extra: str = ""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{color}"{extra}>'
        f"{escape(text)}</text>"
    )


def _axes(left: int, top: int, width: int, height: int, vmax: float, unit: str) -> list[str]:
    body = []
    for k in range(5):
        v = vmax * k / 4
        y = top + height - height * k / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, fmt(v if v != int(v) else int(v), 1), anchor="end", size=11, color=MUTED))
    if unit:
        body.append(_text(left - 6, top - 8, unit, anchor="end", size=11, color=MUTED))
    return body


def line_chart(*, title: str, labels: list[str], series: list[tuple[str, list[Any]]], unit: str = "") -> Chart:
    """One line per series over ``labels`` (periods, oldest first)."""
    width, height, left, right, top, bottom = 640, 260, 56, 16, 28, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    flat = [v for _name, values in series for v in values]
    vmax = _nice_max(max((_num(v) for v in flat), default=0), _integral(flat))
    body = _axes(left, top, plot_w, plot_h, vmax, unit)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: Any) -> float:
        return top + plot_h - plot_h * _num(v) / vmax

    for i, label in enumerate(labels):
        body.append(_text(x(i), top + plot_h + 16, label, anchor="middle", size=10, color=MUTED))
    for s, (name, values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None)
        dash = ' stroke-dasharray="6 4"' if s % 2 else ""
        body.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2.5"{dash}/>')
        for i, v in enumerate(values):
            if v is None:
                continue
            body.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{color}">'
                f"<title>{escape(f'{name} – {labels[i]}: {fmt(v)}')}</title></circle>"
            )
        if values and values[-1] is not None:
            body.append(_text(x(len(values) - 1) + 6, y(values[-1]) - 6, fmt(values[-1]), size=11, color=color))
    # legend
    lx = left
    for s, (name, _values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        ly = height - 18
        dash = ' stroke-dasharray="6 4"' if s % 2 else ""
        body.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{color}" stroke-width="2.5"{dash}/>'
        )
        body.append(_text(lx + 28, ly, name, size=11))
        lx += 40 + 7 * len(name)
    headers = ["Kỳ", *(name for name, _v in series)]
    rows = [
        [label, *(fmt(values[i]) if i < len(values) else "—" for _n, values in series)]
        for i, label in enumerate(labels)
    ]
    return Chart(title, _svg(width, height, title, body), title, headers, rows, kind="line")


def bar_chart(*, title: str, labels: list[str], values: list[Any], unit: str = "", name: str = "") -> Chart:
    """One series of vertical bars over ``labels``."""
    width, height, left, right, top, bottom = 640, 240, 56, 16, 28, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    vmax = _nice_max(max((_num(v) for v in values), default=0), _integral(values))
    body = _axes(left, top, plot_w, plot_h, vmax, unit)
    slot = plot_w / n
    bar = max(slot * 0.6, 2)
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        h = plot_h * _num(v) / vmax
        bx = left + slot * i + (slot - bar) / 2
        by = top + plot_h - h
        body.append(
            f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(f'{label}: {fmt(v)}')}</title></rect>"
        )
        body.append(_text(bx + bar / 2, by - 4, fmt(v), anchor="middle", size=10))
        body.append(_text(bx + bar / 2, top + plot_h + 16, label, anchor="middle", size=10, color=MUTED))
    headers = ["Kỳ", name or title]
    rows = [[label, fmt(v)] for label, v in zip(labels, values, strict=False)]
    return Chart(title, _svg(width, height, title, body), title, headers, rows, kind="bar")


def hbar_chart(*, title: str, items: list[tuple[str, Any]], unit: str = "", total: Any = None) -> Chart:
    """Horizontal bars, one per item (label, value), with the value and its share of ``total``."""
    bar_h, gap, label_w, value_w, top = 18, 8, 190, 90, 8
    width = 560
    plot_w = width - label_w - value_w
    height = top * 2 + max(len(items), 1) * (bar_h + gap)
    vmax = max((_num(v) for _l, v in items), default=0) or 1
    denominator = _num(total) if total else sum(_num(v) for _l, v in items)
    body = []
    for i, (label, v) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = plot_w * _num(v) / vmax
        short = label if len(label) <= 30 else label[:29] + "…"
        body.append(_text(label_w - 8, y + bar_h - 5, short, anchor="end", extra=f' data-label="{escape(label)}"'))
        color = PALETTE[5 if i % 2 else 0]
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="{color}">'
            f"<title>{escape(f'{label}: {fmt(v)}')}</title></rect>"
        )
        share = f" ({fmt(Decimal(str(_num(v) * 100 / denominator)).quantize(Decimal('0.1')))}%)" if denominator else ""
        body.append(_text(label_w + w + 6, y + bar_h - 5, f"{fmt(v)}{share}", size=11))
    headers = ["Nhóm", f"Số lượng{f' ({unit})' if unit else ''}", "Tỷ lệ (%)"]
    rows = [
        [
            label,
            fmt(v),
            fmt(Decimal(str(_num(v) * 100 / denominator)).quantize(Decimal("0.1"))) if denominator else "—",
        ]
        for label, v in items
    ]
    return Chart(title, _svg(width, height, title, body), title, headers, rows, kind="hbar")


@dataclass
class Tile:
    commune_id: int
    code: str
    name: str
    level: str
    level_label: str
    href: str = ""


@dataclass
class LegendItem:
    code: str
    label: str
    color: str
    letter: str
    dark: bool = True
    count: int = 0


def tile_grid(
    *, title: str, groups: list[tuple[str, list[Tile]]], legend: list[LegendItem], per_row: int = 16
) -> Chart:
    """Tiles grouped in rows (former districts), coloured and lettered by level, each a link."""
    by_code = {item.code: item for item in legend}
    fallback = legend[-1] if legend else LegendItem("", "", "#dee2e6", "", dark=False)
    size, gap, label_w, top = 30, 4, 170, 8
    width = label_w + per_row * (size + gap) + 8
    body: list[str] = []
    y = top
    for group_label, tiles in groups:
        lines = max(1, math.ceil(len(tiles) / per_row))
        body.append(_text(label_w - 10, y + size - 10, group_label, anchor="end", size=11, color=MUTED))
        for k, tile in enumerate(tiles):
            item = by_code.get(tile.level, fallback)
            tx = label_w + (k % per_row) * (size + gap)
            ty = y + (k // per_row) * (size + gap)
            label = f"{tile.name} – {tile.level_label or item.label}"
            rect = (
                f'<rect x="{tx}" y="{ty}" width="{size}" height="{size}" rx="3" fill="{item.color}" '
                f'stroke="#ffffff" data-commune="{tile.commune_id}" data-level="{escape(tile.level)}"/>'
                + _text(tx + size / 2, ty + size / 2 + 4, item.letter, anchor="middle", size=11,
                        color="#ffffff" if item.dark else TEXT, extra=' font-weight="700"')
            )  # fmt: skip
            inner = f"<title>{escape(label)}</title>{rect}"
            if tile.href:
                body.append(f'<a href="{escape(tile.href)}" aria-label="{escape(label)}">{inner}</a>')
            else:
                body.append(f"<g>{inner}</g>")
        y += lines * (size + gap) + 8
    height = y + 4
    headers = ["Nhóm (huyện cũ)", "Xã, phường", "Loại"]
    rows = [
        [group_label, t.name, t.level_label or by_code.get(t.level, fallback).label]
        for group_label, tiles in groups
        for t in tiles
    ]
    role = "group" if any(t.href for _label, tiles in groups for t in tiles) else "img"
    svg = _svg(width, height, title, body, role=role)
    return Chart(title, svg, title, headers, rows, kind="tiles", extra={"legend": legend})
