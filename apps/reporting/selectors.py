"""Reads of reporting: the submission status board and the dashboards (province and commune).

The figures come from ``figures`` (each commune's indicators stored per window, recomputed only
when that commune's data changed). With ``PCMT_DASHBOARD_CACHE_SECONDS`` > 0 the assembled
aggregates of a dashboard are also cached under the digest of its communes' stamps
(``figures.scope_stamp``, two small queries), so a write in one commune invalidates only the
dashboards that include it. Locked snapshots, names, levels and submissions are always read live.

Every read starts from the user's scope (``services.scoped_commune_ids``: 404 outside it, 403
without ``reporting.view_dashboard``) and costs a constant number of queries whatever the number of
communes: one multi-window ``indicators.compute_many`` for the period, the previous one, the same
one last year and the trend (12 periods), one query for the locked snapshots of those periods, two
for the breakdowns, and a handful for names, submissions and the tile layout.

Dashboards never carry personal data: counts, commune names and levels only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit, UnitSuccession
from apps.core import formatting
from apps.core.collation import vi_key, vi_order

from . import charts, coverage, figures, indicators, services
from .indicators import INDICATORS, Value
from .models import ReportingPeriod, Submission, SubmissionStatus
from .periods import period_previous, period_same_last_year, recent_periods

TREND_LENGTH = 12

# --- status board ---------------------------------------------------------------------------------

#: board state → (label, badge class)
BOARD_STATES = {
    "approved": ("Đã phê duyệt", "badge-ok"),
    "submitted": ("Đã nộp, chờ duyệt", "badge-info"),
    "returned": ("Bị trả lại", "badge-warn"),
    "late": ("Quá hạn, chưa nộp", "badge-danger"),
    "pending": ("Chưa nộp (chưa đến hạn)", "badge-muted"),
}


def board_state(submission: Submission | None, period: ReportingPeriod, on: dt.date) -> str:
    status = submission.status if submission else SubmissionStatus.DRAFT
    if status == SubmissionStatus.DRAFT:
        return "late" if on > period.deadline else "pending"
    return str(status)


@dataclass
class BoardRow:
    commune: AdministrativeUnit
    submission: Submission | None
    state: str

    @property
    def state_label(self) -> str:
        return BOARD_STATES[self.state][0]

    @property
    def badge(self) -> str:
        return BOARD_STATES[self.state][1]

    @property
    def submitted_late(self) -> bool:
        return bool(self.submission and self.submission.submitted_late)


@dataclass
class StatusBoard:
    period: ReportingPeriod
    rows: list[BoardRow]
    counts: dict[str, int]
    total: int
    state: str = ""
    on: dt.date = field(default_factory=timezone.localdate)


def status_board(*, user, period: ReportingPeriod, state: str = "", on: dt.date | None = None) -> StatusBoard:
    """Every current commune of the user's scope with its submission state for the period: approved,
    submitted, returned, late (deadline passed, nothing submitted) or pending. Three queries."""
    on = on or timezone.localdate()
    ids = services.scoped_commune_ids(user)
    communes = list(vi_order(AdministrativeUnit.objects.filter(pk__in=ids), "name"))
    submissions = {
        s.commune_id: s
        for s in Submission.objects.filter(period=period, commune_id__in=ids).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    rows = []
    counts = dict.fromkeys(BOARD_STATES, 0)
    for commune in communes:
        submission = submissions.get(commune.pk)
        if submission is not None:
            submission.period = period
        row_state = board_state(submission, period, on)
        counts[row_state] += 1
        if not state or state == row_state:
            rows.append(BoardRow(commune, submission, row_state))
    return StatusBoard(period=period, rows=rows, counts=counts, total=len(communes), state=state, on=on)


def submission_for(*, user, commune: AdministrativeUnit, period: ReportingPeriod) -> Submission | None:
    services.scoped_commune_ids(user, commune)
    return (
        Submission.objects.filter(period=period, commune=commune).select_related("submitted_by", "reviewed_by").first()
    )


# --- cache of the dashboards' aggregates -------------------------------------------------------------


def cache_seconds() -> int:
    """``PCMT_DASHBOARD_CACHE_SECONDS`` (0 disables the cache; base.py sets 300)."""
    return int(getattr(settings, "PCMT_DASHBOARD_CACHE_SECONDS", 0) or 0)


def cached(kind: str, key_data: Any, build, stamp: str | None):
    """``build()`` through the cache, keyed by the data stamp (no cache when disabled)."""
    seconds = cache_seconds()
    if not seconds or stamp is None:
        return build()
    digest = hashlib.sha256(json.dumps([kind, key_data, stamp], default=str).encode()).hexdigest()
    key = f"pcmt:reporting:{kind}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


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

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(code, formatted value) of the table's columns, formatted here rather than by two
        template filters per cell (a province table has 1,500 cells)."""
        return [(code, charts.fmt(self.values.get(code))) for code in TABLE_CODES]

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


def _overlay(table: indicators.IndicatorTable, locked: dict[int, dict[str, Value]]) -> tuple[dict, dict]:
    """(by_commune, total) with the locked communes' snapshot values in place of the live ones.
    Totals move by the difference, so shared activities stay counted once among the live ones."""
    if not locked:
        return table.by_commune, table.total
    by_commune = dict(table.by_commune)
    total = dict(table.total)
    for cid, values in locked.items():
        live = by_commune.get(cid)
        if live is None:
            continue
        for code, definition in INDICATORS.items():
            new, old = values.get(code), live.get(code)
            if total.get(code) is None or code == "highrisk_coverage_pct":
                continue
            total[code] = definition.quantize(total[code] - (old or 0) + (new or 0))
        by_commune[cid] = {**live, **{k: v for k, v in values.items() if v is not None}}
    total["highrisk_coverage_pct"] = (
        indicators.coverage_pct(total) if total.get("highrisk_registered") is not None else None
    )
    return by_commune, total


def _tile_groups(ids: list[int], names: dict[int, AdministrativeUnit]) -> list[tuple[str, list[int]]]:
    """Current communes grouped by the former district of their predecessors (official conversion,
    one query), districts in code order, communes by code; communes without history last."""
    rows = UnitSuccession.objects.filter(
        new_id__in=ids, old__level="commune", old__parent__level="district"
    ).values_list("new_id", "old__parent__parent__code", "old__parent__code", "old__parent__full_name")
    best: dict[int, tuple] = {}
    for new_id, province_code, district_code, district_name in rows:
        key = (_int(province_code), _int(district_code), district_name)
        if new_id not in best or key < best[new_id]:
            best[new_id] = key
    groups: dict[tuple, list[int]] = {}
    for cid in ids:
        groups.setdefault(best.get(cid, (10**9, 10**9, "Khác")), []).append(cid)
    return [
        (key[2], sorted(members, key=lambda c: (_int(names[c].code), names[c].code)))
        for key, members in sorted(groups.items())
    ]


def _commune_url():
    """cid → the commune dashboard's URL, reversed once (every commune's URL differs only by its id)."""
    sentinel = 987654321
    head, tail = reverse("reporting:commune_dashboard", kwargs={"pk": sentinel}).split(str(sentinel))
    return lambda cid: f"{head}{int(cid)}{tail}"


def _int(code: Any) -> int:
    try:
        return int(code)
    except (TypeError, ValueError):
        return 10**9


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


def dashboard(
    *, user, unit: AdministrativeUnit | None, period: ReportingPeriod, sort: str = "", with_table: bool = True
) -> Dashboard:
    """Everything a dashboard shows for ``unit`` (None: the user's whole scope) and ``period``."""
    ids = services.scoped_commune_ids(user, unit)
    previous, last_year = period_previous(period), period_same_last_year(period)
    trend_periods = recent_periods(period, TREND_LENGTH)
    periods = list({p.pk: p for p in [*trend_periods, previous, last_year]}.values())
    index = {p.pk: i for i, p in enumerate(periods)}
    windows = [(p.start, p.end) for p in periods]
    by_child = child_groups(unit if unit is not None else getattr(user, "area", None), ids)
    # the communes' stamps, read once for the cache key and the stored figures (before computing)
    current = figures.stamps(ids) if cache_seconds() or (by_child is None and figures.enabled()) else None
    stamp = figures.scope_stamp(ids, current) if cache_seconds() else None
    locked: dict[int, dict[int, Submission]] = {}
    if by_child is None:
        tables = cached(
            "windows",
            [ids, windows],
            lambda: figures.compute_many(commune_ids=ids, windows=windows, current=current),
            stamp,
        )
        for submission in services.approved_submissions(period_ids=index, commune_ids=ids):
            locked.setdefault(submission.period_id, {})[submission.commune_id] = submission
    else:
        # A country: one row per province, summed from stored per-province figures. Submissions
        # lock communes' own figures; the national picture is the live one.
        tables = cached(
            "groups", [by_child, windows], lambda: figures.group_many(groups=by_child, windows=windows), stamp
        )
    results = {}
    for p in periods:
        subs = locked.get(p.pk, {})
        values = {cid: services.parse_values((s.snapshot or {}).get("indicators")) for cid, s in subs.items()}
        results[p.pk] = _overlay(tables[index[p.pk]], values)
    current_table = tables[index[period.pk]]
    by_commune, total = results[period.pk]
    prev_total, ly_total = results[previous.pk][1], results[last_year.pk][1]
    locked_now = locked.get(period.pk, {})

    # breakdowns: locked snapshots + live for the rest
    live_ids = [i for i in ids if i not in locked_now]
    parts = [(s.snapshot or {}).get("breakdowns") or {} for s in locked_now.values()]
    if by_child is not None:
        parts.append(
            cached(
                "group-breakdowns",
                [by_child, period.end],
                lambda: figures.group_breakdowns(groups=by_child, end=period.end),
                stamp,
            )
        )
    elif live_ids:
        parts.append(
            cached(
                "breakdowns",
                [live_ids, period.end],
                lambda: figures.breakdowns(commune_ids=live_ids, end=period.end, current=current),
                stamp,
            )
        )
    bd = indicators.merge_breakdowns(parts, period.end)

    labels = [short_label(p) for p in trend_periods]
    # a trend period in which no commune of the scope has data is a gap, not a zero
    gaps = (
        [False] * len(trend_periods)
        if by_child is not None
        else [
            not coverage.communes_with_data(
                {cid: results[p.pk][0].get(cid) or {} for cid in ids}, locked.get(p.pk, {})
            )
            for p in trend_periods
        ]
    )

    def series(code: str) -> list[Value]:
        return [results[p.pk][1].get(code) for p in trend_periods]

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
                + [(f"– {i['label']}", i["count"]) for i in indicators.top_groups(bd["ethnicity"], 5)],
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
    names = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(pk__in=row_ids).only("pk", "code", "full_name", "search_name")
    }
    submissions = (
        {s.commune_id: s for s in Submission.objects.filter(period=period, commune_id__in=ids)}
        if by_child is None
        else {}
    )
    on = timezone.localdate()

    def level_of(cid: int) -> tuple[str, str]:
        if cid in locked_now:
            snap = (locked_now[cid].snapshot or {}).get("level") or {}
            return snap.get("code", ""), snap.get("label", "")
        code = current_table.levels.get(cid, "")
        return code, current_table.level_labels.get(code, "")

    with_data = coverage.communes_with_data({cid: by_commune.get(cid, {}) for cid in ids}, locked_now)
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
    if sort:
        rows.sort(key=lambda r: vi_key(r.name))
        rows.sort(key=_sort_key(sort), reverse=sort.startswith("-"))
    tiles = None
    if with_table and len(ids) > 1 and by_child is None:
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
            for label, members in _tile_groups(ids, names)
        ]
        tiles = charts.tile_grid(title="Phân loại địa bàn các xã, phường", groups=groups, legend=legend)
    source = "live" if not locked_now else ("locked" if len(locked_now) == len(ids) else "mixed")
    dash = Dashboard(
        period=period,
        previous=previous,
        last_year=last_year,
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
        stamp=stamp,
        covered=len(with_data) if by_child is None else len(ids),
    )
    if unit is not None and len(ids) == 1:
        no_data = (coverage.NO_DATA, coverage.NO_DATA_LABEL)
        dash.level, dash.level_label = level_of(ids[0]) if ids[0] in with_data else no_data
        dash.submission = submissions.get(ids[0])
    return dash


def child_groups(root: AdministrativeUnit | None, ids: list[int]) -> dict[int, list[int]] | None:
    """{child unit id: its communes among ``ids``} when ``root``'s children are not communes (a
    country and its provinces), else None: the dashboard then lists the communes themselves."""
    if root is None or root.level == Level.COMMUNE:
        return None
    children = list(
        vi_order(
            AdministrativeUnit.objects.current().filter(parent=root).exclude(level=Level.COMMUNE), "name"
        ).values_list("pk", "path")
    )
    if not children:
        return None
    groups: dict[int, list[int]] = {pk: [] for pk, _path in children}
    by_prefix = {path: pk for pk, path in children}
    depth = len(root.path)
    wanted = set(ids)
    communes = AdministrativeUnit.objects.current().filter(level=Level.COMMUNE, path__startswith=root.path)
    for cid, path in communes.values_list("pk", "path"):
        if cid not in wanted:
            continue
        # the child's path is the commune's path up to the next "/" after the root's
        cut = path.find("/", depth)
        child = by_prefix.get(path[: cut + 1]) if cut >= 0 else None
        if child is not None:
            groups[child].append(cid)
    return {pk: members for pk, members in groups.items() if members} or None


def period_query(period: ReportingPeriod) -> str:
    return f"kind={period.kind}&year={period.year}&number={period.number}"
