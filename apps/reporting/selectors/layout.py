"""Step 3 of a dashboard, ``present``: the figures laid out for the page (key figures, charts, the
communes table, tiles), with the page's vocabulary (columns, levels). No query."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.core import formatting
from apps.core.collation import vi_key

from .. import charts, coverage, demographics, indicators, maps
from ..indicators import INDICATORS, Value
from ..models import ReportingPeriod, Submission
from .board import BOARD_STATES, board_state

if TYPE_CHECKING:
    from .gathering import Gathered, Overlaid


# --- dashboards -----------------------------------------------------------------------------------

#: the key figures, a steering member's most important first: the first six are shown at once on a
#: phone, the others on demand
KEY_CODES = [
    "people_total",
    "people_new",
    "relapses",
    "hotspots_active",
    "crime_cases",
    "highrisk_coverage_pct",
    "people_addicts",
    "rehab_voluntary",
    "rehab_compulsory",
    "methadone",
    "post_rehab",
    "crime_offenders",
    "plants_destroyed",
    "activities",
]
#: columns of the communes table, with short headers (the full label is the header's title)
TABLE_COLUMNS = {
    "people_total": "Có hồ sơ quản lý",
    "people_new": "Phát hiện mới",
    "relapses": "Tái sử dụng",
    "hotspots_active": "Điểm, tụ điểm",
    "crime_cases": "Vụ án",
    "crime_offenders": "Đối tượng bị bắt",
    "plants_destroyed": "Cây bị triệt phá",
    "activities": "Hoạt động tuyên truyền",
    "highrisk_coverage_pct": "Tiếp cận nhóm nguy cơ (%)",
}
TABLE_CODES = list(TABLE_COLUMNS)
LEVELS = [
    # code, label, colour, letter, white text
    ("type_1", "Loại I", "#7f1d1d", "I", True),
    ("type_2", "Loại II", "#c2410c", "II", True),
    ("type_3", "Loại III", "#f59e0b", "III", False),
    ("has_problems", "Có tệ nạn, không trọng điểm", "#fde68a", "C", False),
    ("drug_free", "Không ma túy", "#15803d", "K", True),
    ("undetermined", "Chưa đủ số liệu để phân loại", "#64748b", "?", True),
    (coverage.NO_DATA, coverage.NO_DATA_LABEL, "#f1f5f9", "∅", False),
    ("", "Chưa có kết quả phân loại được phê duyệt", "#e2e8f0", "–", False),
]


def short_label(period: ReportingPeriod) -> str:
    if period.kind == "month":
        return f"T{period.number}/{period.year % 100:02d}"
    if period.kind == "quarter":
        return f"Q{period.number}/{period.year % 100:02d}"
    return str(period.year)


@dataclass
class KeyFigure:
    code: str
    label: str
    unit: str
    value: Value
    previous: Value
    last_year: Value

    @staticmethod
    def _delta(now: Value, before: Value) -> Value:
        if now is None or before is None:
            return None
        return now - before

    @property
    def delta_previous(self) -> Value:
        return self._delta(self.value, self.previous)

    @property
    def delta_last_year(self) -> Value:
        return self._delta(self.value, self.last_year)

    def _tone(self, delta: Value) -> str:
        """ "good" / "bad" by the indicator's declared direction, "neutral" when it has none,
        "same" when nothing changed or there is nothing to compare with."""
        if delta is None or delta == 0:
            return "same"
        direction = INDICATORS[self.code].direction
        if direction == indicators.UP_GOOD:
            return "good" if delta > 0 else "bad"
        if direction == indicators.UP_BAD:
            return "bad" if delta > 0 else "good"
        return "neutral"

    @property
    def tone_previous(self) -> str:
        return self._tone(self.delta_previous)

    @property
    def tone_last_year(self) -> str:
        return self._tone(self.delta_last_year)

    @property
    def change_previous(self) -> str:
        """The change written as the unit asks: percentage points for a percentage."""
        return formatting.change(self.delta_previous, self.unit)

    @property
    def change_last_year(self) -> str:
        return formatting.change(self.delta_last_year, self.unit)

    @property
    def group(self) -> str:
        return INDICATORS[self.code].group


@dataclass
class TableRow:
    commune_id: int
    name: str
    values: dict[str, Value]
    level: str
    level_label: str
    locked: bool
    state: str
    url: str = ""
    #: a row summing a unit's communes (a province of a national dashboard) shows this instead
    note: str = ""
    #: the commune has data for the period (``coverage``): its zeros are figures, not gaps
    has_data: bool = True

    @functools.cached_property
    def cells(self) -> list[tuple[str, str]]:
        """(code, formatted value) of the table's columns, formatted here rather than by two
        template filters per cell (a province table has 1,500 cells); computed once by
        ``present``, so a cached dashboard carries them already formatted."""
        values, number = self.values, formatting.number
        return [(code, number(values.get(code))) for code in TABLE_CODES]

    @property
    def state_label(self) -> str:
        return BOARD_STATES[self.state][0] if self.state in BOARD_STATES else self.note

    @property
    def badge(self) -> str:
        return BOARD_STATES[self.state][1] if self.state in BOARD_STATES else "badge-muted"


@dataclass
class Dashboard:
    period: ReportingPeriod
    previous: ReportingPeriod
    last_year: ReportingPeriod
    unit: AdministrativeUnit | None
    commune_ids: list[int]
    key_figures: list[KeyFigure]
    detail: list[tuple[str, list[KeyFigure]]]
    trends: list[charts.Chart]
    breakdown_charts: list[charts.Chart]
    breakdown_total: int
    source: str
    locked_count: int
    level_counts: list[charts.LegendItem] = field(default_factory=list)
    table: list[TableRow] = field(default_factory=list)
    sort: str = ""
    tiles: charts.Chart | None = None
    missing: dict[str, str] = field(default_factory=dict)
    assessment: dict[str, Any] | None = None
    level: str = ""
    level_label: str = ""
    submission: Submission | None = None
    #: the table lists units summing their communes (the provinces of a country)
    grouped: bool = False
    #: the data stamp the aggregates were cached under (None: cache off)
    stamp: str | None = None
    #: communes with data for the period (``coverage``), of ``commune_ids``
    covered: int = 0
    #: the map a past period is shown on (``maps``; None: a period of today's map)
    map: maps.PeriodMap | None = None
    #: the communes' data stamps read for this page (None: not read), for the parts shown beside
    #: it (the plan targets) so they do not read them again
    stamps: dict[int, str] | None = None

    @property
    def coverage_text(self) -> str:
        return coverage.coverage_text(self.covered, len(self.commune_ids))

    @property
    def partial(self) -> bool:
        return not self.grouped and self.covered < len(self.commune_ids)

    @property
    def no_data(self) -> bool:
        """No commune of the scope has data for the period: its zeros are gaps, not figures."""
        return not self.grouped and self.covered == 0


def _commune_url():
    """cid → the commune dashboard's URL, reversed once (every commune's URL differs only by its id)."""
    sentinel = 987654321
    head, tail = reverse("reporting:commune_dashboard", kwargs={"pk": sentinel}).split(str(sentinel))
    return lambda cid: f"{head}{int(cid)}{tail}"


def _figures(
    values: dict[str, Value], previous: dict[str, Value], last_year: dict[str, Value], codes
) -> list[KeyFigure]:
    return [
        KeyFigure(
            code,
            INDICATORS[code].label_vi,
            INDICATORS[code].unit,
            values.get(code),
            previous.get(code),
            last_year.get(code),
        )
        for code in codes
    ]


def _sort_key(sort: str):
    field_name = sort.lstrip("-")

    def key(row: TableRow):
        if field_name == "name":
            return (0, row.name)
        if field_name == "level":
            order = [code for code, *_rest in LEVELS]
            return (0, order.index(row.level) if row.level in order else len(order))
        value = row.values.get(field_name)
        return (1, Decimal(0)) if value is None else (0, Decimal(value))

    return key


def present(g: Gathered, o: Overlaid, *, unit: AdministrativeUnit | None, sort: str, with_table: bool) -> Dashboard:
    """Step 3: the figures laid out for the page (formatting only, no query)."""
    ids, period, by_child, names = g.ids, g.period, g.by_child, g.names
    current_table, locked_now, with_data = g.table_now, g.locked_now, o.with_data
    by_commune, total = o.results[period.pk]
    prev_total, ly_total = o.results[g.previous.pk][1], o.results[g.last_year.pk][1]
    bd = o.breakdowns
    labels = [short_label(p) for p in g.trend_periods]
    gaps = o.gaps

    def series(code: str) -> list[Value]:
        return [o.results[p.pk][1].get(code) for p in g.trend_periods]

    trends = [
        charts.line_chart(
            title="Người có hồ sơ quản lý (cuối kỳ) và phát hiện mới",
            labels=labels,
            series=[("Có hồ sơ quản lý", series("people_total")), ("Phát hiện mới", series("people_new"))],
            unit="người",
            no_data=gaps,
        ),
        charts.bar_chart(
            title="Vụ phạm tội về ma túy phát hiện, bắt giữ",
            labels=labels,
            values=series("crime_cases"),
            unit="vụ",
            no_data=gaps,
        ),
        charts.line_chart(
            title="Điểm, tụ điểm tồn tại và lượt tái sử dụng",
            labels=labels,
            series=[("Điểm, tụ điểm", series("hotspots_active")), ("Tái sử dụng", series("relapses"))],
            no_data=gaps,
        ),
    ]
    breakdown_charts = []
    if bd.get("total"):
        breakdown_charts = [
            charts.hbar_chart(
                title="Theo giới tính", items=[(i["label"], i["count"]) for i in bd["sex"]], total=bd["total"]
            ),
            charts.hbar_chart(
                title="Theo độ tuổi", items=[(i["label"], i["count"]) for i in bd["age_band"]], total=bd["total"]
            ),
            charts.hbar_chart(
                title="Theo dân tộc",
                items=[(i["label"], i["count"]) for i in bd["ethnicity_group"]]
                + [(f"– {i['label']}", i["count"]) for i in demographics.top_groups(bd["ethnicity"], 5)],
                total=bd["total"],
            ),
            charts.hbar_chart(
                title="Theo loại ma túy sử dụng",
                items=[(i["label"], i["count"]) for i in bd["substance"]],
                total=bd["total"],
            ),
        ]

    key = _figures(total, prev_total, ly_total, KEY_CODES)
    detail = [
        (title, _figures(total, prev_total, ly_total, [c for c, d in INDICATORS.items() if d.group == group]))
        for group, title in indicators.GROUPS.items()
    ]
    row_ids = ids if by_child is None else list(by_child)
    submissions = g.submissions
    on = timezone.localdate()

    def level_of(cid: int) -> tuple[str, str]:
        if cid in locked_now:
            snap = (locked_now[cid].snapshot or {}).get("level") or {}
            return snap.get("code", ""), snap.get("label", "")
        code = current_table.levels.get(cid, "")
        return code, current_table.level_labels.get(code, "")

    legend = [charts.LegendItem(code, label, color, letter, dark) for code, label, color, letter, dark in LEVELS]
    legend_by_code = {item.code: item for item in legend}
    rows = []
    # one reverse() per page, not per row (124 of them were a third of the cached page's Python)
    query, dashboard_url, commune_url = period_query(period), reverse("reporting:dashboard"), _commune_url()
    if by_child is not None:
        for item in legend:  # communes per level, from the figures (no commune is listed)
            if item.code == coverage.NO_DATA:
                continue
            code = indicators.LEVEL_INDICATORS.get(item.code, "class_none")
            item.count = int(total.get(code) or 0)
    for cid in row_ids if by_child is not None else []:
        rows.append(
            TableRow(
                commune_id=cid,
                name=names[cid].full_name,
                values=by_commune.get(cid, {}),
                level="",
                level_label="",
                locked=False,
                state="",
                note=f"{formatting.grouped(len(by_child[cid]))} xã, phường",
                url=f"{dashboard_url}?unit={cid}&{query}",
            )
        )
    for cid in ids if by_child is None else []:
        level, level_label = level_of(cid)
        if cid not in with_data:
            # Zeros from empty tables: neither figures nor a level ("không ma túy") to show.
            level, level_label = coverage.NO_DATA, coverage.NO_DATA_LABEL
        (legend_by_code.get(level) or legend_by_code["undetermined"]).count += 1
        submission = submissions.get(cid)
        if submission is not None:
            submission.period = period
        rows.append(
            TableRow(
                commune_id=cid,
                name=names[cid].full_name,
                values=by_commune.get(cid, {}),
                level=level,
                level_label=level_label or (legend_by_code[level].label if level in legend_by_code and level else ""),
                locked=cid in locked_now,
                has_data=cid in with_data,
                state=board_state(submission, period, on),
                url=f"{commune_url(cid)}?{query}",
            )
        )
    if with_table:
        for row in rows:
            row.cells  # noqa: B018 - formatted once, before the dashboard is cached
    if sort:
        rows.sort(key=lambda r: vi_key(r.name))
        rows.sort(key=_sort_key(sort), reverse=sort.startswith("-"))
    tiles = None
    if with_table and len(ids) > 1 and by_child is None:
        if g.period_map is not None and g.period_map.on_time_map:
            tiles = map_tiles(g.period_map)
        elif g.tile_groups is not None:
            by_id = {r.commune_id: r for r in rows}
            groups = [
                (
                    label,
                    [
                        charts.Tile(
                            c, names[c].code, names[c].full_name, by_id[c].level, by_id[c].level_label, by_id[c].url
                        )
                        for c in members
                    ],
                )
                for label, members in g.tile_groups
            ]
            tiles = charts.tile_grid(title="Phân loại địa bàn các xã, phường", groups=groups, legend=legend)
    source = "live" if not locked_now else ("locked" if len(locked_now) == len(ids) else "mixed")
    dash = Dashboard(
        period=period,
        previous=g.previous,
        last_year=g.last_year,
        unit=unit,
        commune_ids=ids,
        key_figures=key,
        detail=detail,
        trends=trends,
        breakdown_charts=breakdown_charts,
        breakdown_total=bd.get("total", 0),
        source=source,
        locked_count=len(locked_now),
        level_counts=[item for item in legend if item.count],
        table=rows if with_table else [],
        sort=sort,
        tiles=tiles,
        missing=current_table.missing,
        assessment=current_table.assessment,
        grouped=by_child is not None,
        stamp=g.stamp,
        covered=len(with_data) if by_child is None else len(ids),
        map=g.period_map,
    )
    if unit is not None and len(ids) == 1:
        no_data = (coverage.NO_DATA, coverage.NO_DATA_LABEL)
        dash.level, dash.level_label = level_of(ids[0]) if ids[0] in with_data else no_data
        dash.submission = submissions.get(ids[0])
    return dash


def map_tiles(period_map: maps.PeriodMap) -> charts.Chart:
    """The tile grid of a map of the time: its units by their district of that time, coloured by
    the approved assessment of the year on that map (none: "chưa có kết quả")."""
    legend = [charts.LegendItem(code, label, color, letter, dark) for code, label, color, letter, dark in LEVELS]
    by_code = {item.code: item for item in legend}
    groups: dict[str, list[charts.Tile]] = {}
    for row in period_map.rows:
        item = by_code.get(row.level) or by_code["undetermined"]
        item.count += 1
        groups.setdefault(row.district, []).append(
            charts.Tile(row.unit_id, row.code, row.name, item.code, row.level_label)
        )
    return charts.tile_grid(
        title="Phân loại địa bàn các xã, phường (bản đồ thời điểm đó)",
        groups=list(groups.items()),
        legend=[item for item in legend if item.code != coverage.NO_DATA],
    )


def period_query(period: ReportingPeriod) -> str:
    return f"kind={period.kind}&year={period.year}&number={period.number}"
