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

Numbers are written the Vietnamese way (1.234,5), by ``apps.core.formatting``. ``no_data`` marks
the periods without data (``coverage``): no bar, no point at zero, "∅" and "chưa có số liệu" in the
table. Each chart also carries ``svg_narrow``, the same data laid out for a phone (text >= 12 CSS
px, labels above bars, wrapped on whole words); the page shows one of the two by CSS. The tile grid
is HTML instead (``html``, no ``svg``): its tiles wrap by CSS, so one drawing serves every width.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from apps.core import formatting

#: the standard library's escape, remembered: a province dashboard escapes ~4,000 short texts (chart
#: labels, the table's cells), most of them the same few numbers ("0", "—", "1"); a lookup is
#: cheaper than five replaces. For figures and the names of units, indicators and targets only: a
#: text somebody typed (a return reason) goes through ``html.escape`` and is not kept here.
escape = functools.lru_cache(maxsize=4096)(html.escape)


SVG_NS = "http://www.w3.org/2000/svg"
PALETTE = ["#1d4f91", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0e7490"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"


def fmt(value: Any, places: int | None = None) -> str:
    """1234 → "1.234"; Decimal("12.50") → "12,5"; None → "—" (``apps.core.formatting.number``)."""
    return formatting.number(value, places)


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
    #: the same chart laid out for a phone (``NARROW`` wide, text of ``SIZE``), or "" when the
    #: wide one reads at any width; the page shows one or the other by CSS
    svg_narrow: SafeString | str = ""
    #: the chart drawn in HTML instead (the tile grid: one layout that CSS arranges for any width)
    html: SafeString | str = ""

    @classmethod
    def drawn(cls, title: str, headers, rows, *, kind: str, draw: Callable[[int], SafeString], width: int = 640):
        """A chart captioned by its title and drawn by ``draw(width)`` twice: at its own width and
        at the phone's (``NARROW``)."""
        return cls(title, draw(width), title, headers, rows, kind=kind, svg_narrow=draw(NARROW))


_counter = {"n": 0}

#: text size in SVG units. A chart is never drawn wider than its viewBox and the chart grid
#: never squeezes a wide one below ~0.8 of it (reporting.css: 560 px columns less the card's
#: padding), so 15 units are >= 12 CSS px; the phone drawing is NARROW units wide for the
#: ~310 px of a 375 px phone's card (13.7 px).
SIZE = 15
NARROW = 340
NO_DATA_TEXT = "chưa có số liệu"


def _id(prefix: str) -> str:
    _counter["n"] = (_counter["n"] + 1) % 1_000_000
    return f"{prefix}{_counter['n']}"


def _svg(
    width: int, height: int, title: str, body: list[str], desc: str = "", narrow: bool = False, role: str = "img"
) -> SafeString:
    # role="img" hides the children from assistive technology; a chart whose parts are links
    # (the tile grid) is a "group" instead, or its links would be unreachable (axe nested-interactive).
    tid = _id("chart-t")
    parts = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height:.0f}" width="100%" role="{role}" '
        f'aria-labelledby="{tid}" class="chart-svg{" chart-svg-narrow" if narrow else ""}" '
        f'font-family="{escape(FONT)}" font-size="{SIZE}" '
        f'preserveAspectRatio="xMinYMin meet" style="max-width:{width}px">',
        f'<title id="{tid}">{escape(title)}</title>',
    ]
    if desc:
        parts.append(f"<desc>{escape(desc)}</desc>")
    parts += body
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = SIZE, color: str = TEXT, extra: str = ""
):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{color}"{extra}>'
        f"{escape(text)}</text>"
    )


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken between words only (a longer word keeps its
    own line whole): a label is never cut mid-word."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _lines(x: float, y: float, lines: list[str], *, anchor: str = "start", size: int = SIZE, extra: str = "") -> str:
    """One <text> of several lines (tspans), the first on ``y``."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * 1.2:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{TEXT}"{extra}>{spans}</text>'
    )


def _axes(left: int, top: int, width: int, height: int, vmax: float, unit: str) -> list[str]:
    body = []
    for k in range(5):
        v = vmax * k / 4
        y = top + height - height * k / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 5, fmt(v if v != int(v) else int(v), 1), anchor="end", color=MUTED))
    if unit:
        body.append(_text(left - 6, top - 16, unit, anchor="end", color=MUTED))
    return body


def _label_step(labels: list[str], slot: float) -> int:
    """Every how many periods a label fits (about 0.6 em a character), the latest always shown."""
    longest = max((len(label) for label in labels), default=1)
    return max(1, math.ceil((longest * SIZE * 0.62 + 6) / max(slot, 1)))


def _gaps(n: int, no_data: list[bool] | None) -> list[bool]:
    return [bool(no_data[i]) if no_data and i < len(no_data) else False for i in range(n)]


def _cell(value: Any, gap: bool) -> str:
    return NO_DATA_TEXT if gap else fmt(value)


def _no_data_note(body: list[str], gaps: list[bool], *, left, top, plot_w, plot_h, height) -> None:
    """Periods without data said in words: in the middle of the plot when no period has any,
    otherwise under the chart's left edge (the "∅" on the axis marks which)."""
    if all(gaps):
        body.append(
            _text(left + plot_w / 2, top + plot_h / 2, f"Các kỳ này {NO_DATA_TEXT}", anchor="middle", color=MUTED)
        )
    elif any(gaps):
        body.append(_text(left, height - 6, f"∅ kỳ {NO_DATA_TEXT}", anchor="start", color=MUTED))


def _line_svg(title, labels, series, unit, gaps, width) -> SafeString:
    narrow = width < 500
    height, left, right, top = (256, 44, 12, 36) if narrow else (276, 56, 24, 36)
    legend_h = (len(series) * 22) if narrow else 24
    bottom = 30 + legend_h + 22
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    flat = [v for _name, values in series for i, v in enumerate(values) if not (i < len(gaps) and gaps[i])]
    vmax = _nice_max(max((_num(v) for v in flat), default=0), _integral(flat))
    body = _axes(left, top, plot_w, plot_h, vmax, unit)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: Any) -> float:
        return top + plot_h - plot_h * _num(v) / vmax

    step = _label_step(labels, plot_w / n)
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % step == 0:
            body.append(_text(x(i), top + plot_h + 20, label, anchor="middle", color=MUTED))
        if i < len(gaps) and gaps[i] and not all(gaps):
            body.append(_text(x(i), top + plot_h - 6, "∅", anchor="middle", color=MUTED))
    for s, (name, values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if s % 2 else ""
        # a period without data breaks the line: no point is drawn at zero for it
        segment: list[str] = []
        segments = [segment]
        for i, v in enumerate(values):
            if v is None or (i < len(gaps) and gaps[i]):
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
        for points in segments:
            if points:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2.5"{dash}/>'
                )
        for i, v in enumerate(values):
            if v is None or (i < len(gaps) and gaps[i]):
                continue
            body.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{color}" data-value="{escape(fmt(v))}">'
                f"<title>{escape(f'{name} – {labels[i]}: {fmt(v)}')}</title></circle>"
            )
        last = len(values) - 1
        if values and values[-1] is not None and not (last < len(gaps) and gaps[last]):
            body.append(_text(min(x(last) + 6, width - 2), y(values[-1]) - 8, fmt(values[-1]), color=color,
                              anchor="end" if narrow else "start"))  # fmt: skip
    # legend: one line per series on a phone, side by side otherwise
    lx, ly = left, top + plot_h + 30 + 18
    for s, (name, _values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if s % 2 else ""
        body.append(
            f'<line x1="{lx}" y1="{ly - 5}" x2="{lx + 22}" y2="{ly - 5}" stroke="{color}" stroke-width="2.5"{dash}/>'
        )
        body.append(_text(lx + 28, ly, name))
        if narrow:
            ly += 22
        else:
            lx += 44 + int(SIZE * 0.6 * len(name))
    _no_data_note(body, gaps, left=left, top=top, plot_w=plot_w, plot_h=plot_h, height=height)
    return _svg(width, height, title, body, narrow=narrow)


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Any]]],
    unit: str = "",
    no_data: list[bool] | None = None,
) -> Chart:
    """One line per series over ``labels`` (periods, oldest first); ``no_data[i]`` marks a period
    without data (a gap with "∅", never a point at zero)."""
    gaps = _gaps(len(labels), no_data)
    headers = ["Kỳ", *(name for name, _v in series)]
    rows = [
        [label, *(_cell(values[i], gaps[i]) if i < len(values) else "—" for _n, values in series)]
        for i, label in enumerate(labels)
    ]
    return Chart.drawn(
        title, headers, rows, kind="line", draw=lambda width: _line_svg(title, labels, series, unit, gaps, width)
    )


def _bar_svg(title, labels, values, unit, gaps, width) -> SafeString:
    narrow = width < 500
    height, left, right, top, bottom = (236, 44, 12, 36, 54) if narrow else (256, 56, 16, 36, 54)
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    shown = [v for i, v in enumerate(values) if not (i < len(gaps) and gaps[i])]
    vmax = _nice_max(max((_num(v) for v in shown), default=0), _integral(shown))
    body = _axes(left, top, plot_w, plot_h, vmax, unit)
    slot = plot_w / n
    bar = max(slot * 0.6, 2)
    step = _label_step(labels, slot)
    value_fits = max((len(fmt(v)) for v in shown), default=1) * SIZE * 0.62 <= slot
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        cx = left + slot * i + slot / 2
        if (len(labels) - 1 - i) % step == 0:
            body.append(_text(cx, top + plot_h + 20, label, anchor="middle", color=MUTED))
        if i < len(gaps) and gaps[i]:
            if not all(gaps):
                body.append(_text(cx, top + plot_h - 6, "∅", anchor="middle", color=MUTED))
            continue
        h = plot_h * _num(v) / vmax
        bx, by = cx - bar / 2, top + plot_h - h
        body.append(
            f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[0]}" '
            f'data-value="{escape(fmt(v))}"><title>{escape(f"{label}: {fmt(v)}")}</title></rect>'
        )
        if value_fits or i == len(values) - 1:
            body.append(_text(cx, by - 5, fmt(v), anchor="middle"))
    _no_data_note(body, gaps, left=left, top=top, plot_w=plot_w, plot_h=plot_h, height=height)
    return _svg(width, height, title, body, narrow=narrow)


def bar_chart(
    *,
    title: str,
    labels: list[str],
    values: list[Any],
    unit: str = "",
    name: str = "",
    no_data: list[bool] | None = None,
) -> Chart:
    """One series of vertical bars over ``labels``; ``no_data[i]``: no bar, "∅" (not a zero bar)."""
    gaps = _gaps(len(labels), no_data)
    headers = ["Kỳ", name or title]
    rows = [[label, _cell(v, gaps[i])] for i, (label, v) in enumerate(zip(labels, values, strict=False))]
    return Chart.drawn(
        title, headers, rows, kind="bar", draw=lambda width: _bar_svg(title, labels, values, unit, gaps, width)
    )


def _share(v: Any, denominator: float) -> str:
    return fmt(Decimal(str(_num(v) * 100 / denominator)).quantize(Decimal("0.1"))) if denominator else ""


def _hbar_svg(title, items, denominator, width) -> SafeString:
    """Wide: the label (wrapped on words) left of its bar. Narrow: the label above its bar."""
    narrow = width < 500
    line_h = SIZE * 1.2
    bar_h, gap, top = 18, 10, 8
    label_w = 0 if narrow else 220
    value_w = 110
    plot_w = width - label_w - value_w - (8 if narrow else 0)
    vmax = max((_num(v) for _l, v in items), default=0) or 1
    # about 0.6 em a character (Vietnamese diacritics, capitals): a wrapped line never overflows
    chars = int((width - 8) / (SIZE * 0.6)) if narrow else int((label_w - 12) / (SIZE * 0.65))
    body = []
    y = top
    for i, (label, v) in enumerate(items):
        lines = wrap(label, chars)
        extra = f' data-label="{escape(label)}"'
        if narrow:
            body.append(_lines(0, y + SIZE, lines, extra=extra))
            y += len(lines) * line_h + 4
            by = y
        else:
            block = max(bar_h, len(lines) * line_h)
            by = y + (block - bar_h) / 2
            first = by + bar_h / 2 + SIZE * 0.35 - (len(lines) - 1) * line_h / 2
            body.append(_lines(label_w - 10, first, lines, anchor="end", extra=extra))
        w = plot_w * _num(v) / vmax
        bx = label_w
        color = PALETTE[5 if i % 2 else 0]
        body.append(
            f'<rect x="{bx}" y="{by:.1f}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="{color}">'
            f"<title>{escape(f'{label}: {fmt(v)}')}</title></rect>"
        )
        share = _share(v, denominator)
        body.append(_text(bx + w + 6, by + bar_h / 2 + SIZE * 0.35, f"{fmt(v)}{f' ({share}%)' if share else ''}"))
        y = by + bar_h + gap if narrow else y + max(bar_h, len(lines) * line_h) + gap
    height = max(y + top, 40)
    return _svg(width, height, title, body, narrow=narrow)


def hbar_chart(*, title: str, items: list[tuple[str, Any]], unit: str = "", total: Any = None) -> Chart:
    """Horizontal bars, one per item (label, value), with the value and its share of ``total``.
    Labels wrap on whole words (never cut with "…")."""
    denominator = _num(total) if total else sum(_num(v) for _l, v in items)
    headers = ["Nhóm", f"Số lượng{f' ({unit})' if unit else ''}", "Tỷ lệ (%)"]
    rows = [[label, fmt(v), _share(v, denominator) or "—"] for label, v in items]
    return Chart.drawn(
        title, headers, rows, kind="hbar", draw=lambda width: _hbar_svg(title, items, denominator, width), width=580
    )


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


def _tiles_html(groups, by_code, fallback, per_row: int) -> SafeString:
    """One layout for every width, arranged by CSS (reporting.css ``.tile-grid``): on a wide screen
    the former district left of its rows of ``per_row`` tiles, on a phone the district above and
    bigger tiles (>= 24 CSS px to tap). Drawn twice as SVG (wide and narrow), the 124 tiles of a
    province were 120 KB of a 330 KB page and two thirds of the time spent drawing its charts."""
    parts = [f'<div class="tile-grid" style="--tiles-per-row:{int(per_row)}">']
    styles = {}
    for group_label, tiles in groups:
        parts.append(
            f'<div class="tile-group"><span class="tile-group-name">{escape(group_label)}</span><div class="tiles">'
        )
        for tile in tiles:
            item = by_code.get(tile.level, fallback)
            style = styles.get(item.code)
            if style is None:
                style = styles[item.code] = f"background:{escape(item.color)};color:{'#ffffff' if item.dark else TEXT}"
            label = escape(f"{tile.name} – {tile.level_label or item.label}")
            attrs = (
                f'class="tile" data-commune="{int(tile.commune_id)}" data-level="{escape(tile.level)}" '
                f'style="{style}" title="{label}" aria-label="{label}"'
            )
            if tile.href:
                parts.append(f'<a href="{escape(tile.href)}" {attrs}>{escape(item.letter)}</a>')
            else:
                parts.append(f'<span role="img" {attrs}>{escape(item.letter)}</span>')
        parts.append("</div></div>")
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def tile_grid(
    *, title: str, groups: list[tuple[str, list[Tile]]], legend: list[LegendItem], per_row: int = 16
) -> Chart:
    """Tiles grouped in rows (former districts), coloured and lettered by level, each a link."""
    by_code = {item.code: item for item in legend}
    fallback = legend[-1] if legend else LegendItem("", "", "#dee2e6", "", dark=False)
    headers = ["Nhóm (huyện cũ)", "Xã, phường", "Loại"]
    rows = [
        [group_label, t.name, t.level_label or by_code.get(t.level, fallback).label]
        for group_label, tiles in groups
        for t in tiles
    ]
    return Chart(
        title,
        mark_safe(""),  # noqa: S308 - empty
        title,
        headers,
        rows,
        kind="tiles",
        extra={"legend": legend},
        html=_tiles_html(groups, by_code, fallback, per_row),
    )
