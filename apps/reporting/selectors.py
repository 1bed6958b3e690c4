"""Reads of reporting: the submission status board and the dashboards (province and commune).

The figures come from ``figures`` (each commune's indicators stored per window, recomputed only
when that commune's data changed). With ``PCMT_DASHBOARD_CACHE_SECONDS`` > 0 the assembled
aggregates of a dashboard are also cached under the digest of its communes' stamps
(``figures.scope_stamp``, two small queries), so a write in one commune invalidates only the
dashboards that include it. Locked snapshots, names, levels and submissions are always read live.

A dashboard is built in three steps (issue 13 item 4): ``gather`` reads (stored or cached figures,
approved submissions, live breakdowns, names, submissions, the map of a past period), ``overlay``
puts the locked snapshots over the live figures, ``present`` lays them out (key figures, charts,
table, tiles) without a query.

Every read starts from the user's scope (``services.scoped_commune_ids``: 404 outside it, 403
without ``reporting.view_dashboard``) and costs a constant number of queries whatever the number of
communes: one multi-window ``indicators.compute_many`` for the period, the previous one, the same
one last year and the trend (12 periods), one query for the locked snapshots of those periods, two
for the breakdowns, and a handful for names, submissions and the tile layout.

Dashboards never carry personal data: counts, commune names and levels only.
"""

from __future__ import annotations

import datetime as dt
import functools
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

from . import charts, coverage, figures, indicators, maps, services
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

    @functools.cached_property
    def cells(self) -> list[tuple[str, str]]:
        """(code, formatted value) of the table's columns, formatted here rather than by two
        template filters per cell (a province table has 1,500 cells); computed once by
        ``present``, so a cached dashboard carries them already formatted."""
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
    #: the map a past period is shown on (``maps``; None: a period of today's map)
    map: maps.PeriodMap | None = None

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


@dataclass
class Gathered:
    """Step 1 of a dashboard: everything it reads, nothing derived. The stored (or cached)
    indicator tables of every window, the approved submissions of those windows, the live
    breakdowns of the communes not locked, names, this period's submissions, the map."""

    ids: list[int]
    period: ReportingPeriod
    previous: ReportingPeriod
    last_year: ReportingPeriod
    trend_periods: list[ReportingPeriod]
    periods: list[ReportingPeriod]
    #: period id → its position in ``tables``
    index: dict[int, int]
    #: a country: {province: its communes}; None: the rows are the communes themselves
    by_child: dict[int, list[int]] | None
    stamp: str | None
    tables: list[indicators.IndicatorTable]
    #: period id → {commune id: approved submission} (communes only, never a country)
    locked: dict[int, dict[int, Submission]]
    #: the live part of the breakdowns (the communes without a locked snapshot), or None
    live_breakdowns: dict[str, Any] | None
    names: dict[int, AdministrativeUnit]
    submissions: dict[int, Submission]
    period_map: maps.PeriodMap | None = None
    #: the tile grid's groups of today's communes (former districts), when a grid is shown
    tile_groups: list[tuple[str, list[int]]] | None = None

    @property
    def locked_now(self) -> dict[int, Submission]:
        return self.locked.get(self.period.pk, {})

    @property
    def table_now(self) -> indicators.IndicatorTable:
        return self.tables[self.index[self.period.pk]]


@dataclass
class Overlaid:
    """Step 2: the gathered figures with the locked snapshots in place of the live ones."""

    #: period id → (values by commune, total)
    results: dict[int, tuple[dict, dict]]
    breakdowns: dict[str, Any]
    #: per trend period: no commune of the scope has data (a gap, not a zero)
    gaps: list[bool]
    #: communes with data for the period (``coverage``)
    with_data: set[int]


@dataclass
class Scope:
    """What every step needs first: the communes, the periods compared and the data stamp."""

    ids: list[int]
    previous: ReportingPeriod
    last_year: ReportingPeriod
    trend_periods: list[ReportingPeriod]
    periods: list[ReportingPeriod]
    by_child: dict[int, list[int]] | None
    current: dict[int, str] | None
    stamp: str | None


def scope_of(*, user, unit: AdministrativeUnit | None, period: ReportingPeriod) -> Scope:
    """The user's communes (404 outside the scope, 403 without the permission), the periods of the
    comparisons and the trend, and the communes' data stamps (read once: cache key and figures)."""
    ids = services.scoped_commune_ids(user, unit)
    previous, last_year = period_previous(period), period_same_last_year(period)
    trend_periods = recent_periods(period, TREND_LENGTH)
    periods = list({p.pk: p for p in [*trend_periods, previous, last_year]}.values())
    by_child = child_groups(unit if unit is not None else getattr(user, "area", None), ids)
    current = figures.stamps(ids) if cache_seconds() or (by_child is None and figures.enabled()) else None
    stamp = figures.scope_stamp(ids, current) if cache_seconds() else None
    return Scope(ids, previous, last_year, trend_periods, periods, by_child, current, stamp)


def gather(
    *,
    user,
    unit: AdministrativeUnit | None,
    period: ReportingPeriod,
    map_choice: str = "",
    with_table: bool = True,
    scope: Scope | None = None,
) -> Gathered:
    """Read what a dashboard of ``unit`` (None: the user's whole scope) for ``period`` shows: a
    constant number of queries whatever the number of communes (see the module docstring)."""
    sc = scope or scope_of(user=user, unit=unit, period=period)
    ids, previous, last_year, trend_periods, periods = sc.ids, sc.previous, sc.last_year, sc.trend_periods, sc.periods
    by_child, current, stamp = sc.by_child, sc.current, sc.stamp
    index = {p.pk: i for i, p in enumerate(periods)}
    windows = [(p.start, p.end) for p in periods]
    locked: dict[int, dict[int, Submission]] = {}
    root = unit if unit is not None else getattr(user, "area", None)
    if by_child is None:
        for submission in services.approved_submissions(period_ids=index, commune_ids=ids):
            locked.setdefault(submission.period_id, {})[submission.commune_id] = submission
        tables = cached(
            "windows",
            [ids, windows],
            lambda: _window_tables(ids, periods, period, current, root, locked),
            stamp,
        )
    else:
        # A country: one row per province, summed from stored per-province figures. Submissions
        # lock communes' own figures; the national picture is the live one.
        tables = cached(
            "groups", [by_child, windows], lambda: figures.group_many(groups=by_child, windows=windows), stamp
        )
    locked_now = locked.get(period.pk, {})
    live_ids = [i for i in ids if i not in locked_now]
    live_breakdowns = None
    if by_child is not None:
        live_breakdowns = cached(
            "group-breakdowns",
            [by_child, period.end],
            lambda: figures.group_breakdowns(groups=by_child, end=period.end),
            stamp,
        )
    elif live_ids:
        live_breakdowns = cached(
            "breakdowns",
            [live_ids, period.end],
            lambda: _live_breakdowns(live_ids, period.end, current, root),
            stamp,
        )
    row_ids = ids if by_child is None else list(by_child)
    names = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(pk__in_ids=row_ids).only("pk", "code", "full_name", "search_name")
    }
    submissions = (
        {s.commune_id: s for s in Submission.objects.filter(period=period, commune_id__in_ids=ids)}
        if by_child is None
        else {}
    )
    period_map = None
    if by_child is None:
        period_map = maps.period_map(
            user=user, period=period, commune_ids=ids, choice=map_choice, whole_map=unit is None or len(ids) > 1
        )
    tile_groups = None
    if with_table and len(ids) > 1 and by_child is None and not (period_map and period_map.on_time_map):
        tile_groups = _tile_groups(ids, names)
    return Gathered(
        ids=ids,
        period=period,
        previous=previous,
        last_year=last_year,
        trend_periods=trend_periods,
        periods=periods,
        index=index,
        by_child=by_child,
        stamp=stamp,
        tables=tables,
        locked=locked,
        live_breakdowns=live_breakdowns,
        names=names,
        submissions=submissions,
        period_map=period_map,
        tile_groups=tile_groups,
    )


def _scope_group(ids: list[int], root: AdministrativeUnit | None) -> int | None:
    """The unit whose stored group rows may hold the totals of ``ids`` (several communes under a
    unit of the scope), else None: those communes are read one by one."""
    if len(ids) < 2 or root is None or root.level == Level.COMMUNE or not figures.enabled():
        return None
    return root.pk


def _window_tables(
    ids: list[int],
    periods: list[ReportingPeriod],
    period: ReportingPeriod,
    current: dict[int, str] | None,
    root: AdministrativeUnit | None,
    locked: dict[int, dict[int, Submission]],
) -> list[indicators.IndicatorTable]:
    """The indicator table of each period: per commune for ``period`` (the communes table, the
    levels, who has data), and for the other periods (the trend, the comparisons) only what they
    show: the scope's total, read from ONE stored group row per window (``figures.group_many``), plus
    the live values of the communes whose approved snapshot replaces them there (``overlay``).

    Reading the 124 communes of a province for 16 windows was 2,000 stored rows to decode and sum on
    every dashboard; the totals are the same sums, stored once per scope and data stamp."""
    windows = [(p.start, p.end) for p in periods]
    group = _scope_group(ids, root)
    if group is None:
        return figures.compute_many(commune_ids=ids, windows=windows, current=current)
    now = (period.start, period.end)
    others = [w for w in windows if w != now]
    tables = {now: figures.compute_many(commune_ids=ids, windows=[now], current=current)[0]}
    if others:
        totals = figures.group_many(groups={group: ids}, windows=others, current=current)
        locked_ids = sorted({cid for p in periods if (p.start, p.end) != now for cid in locked.get(p.pk, {})})
        live = (
            dict(
                zip(others, figures.compute_many(commune_ids=locked_ids, windows=others, current=current), strict=True)
            )
            if locked_ids
            else {}
        )
        for w, table in zip(others, totals, strict=True):
            tables[w] = indicators.IndicatorTable(
                start=w[0],
                end=w[1],
                commune_ids=ids,
                by_commune=live[w].by_commune if w in live else {},
                total=table.total,
                level_labels=table.level_labels,
                assessment=table.assessment,
                missing=table.missing,
                totals_only=True,
            )
    return [tables[w] for w in windows]


def _live_breakdowns(
    live_ids: list[int], end: dt.date, current: dict[int, str] | None, root: AdministrativeUnit | None
) -> dict[str, Any]:
    """The breakdowns of the communes without a locked snapshot: one stored group breakdown of the
    scope when it holds several communes, else the communes' own."""
    group = _scope_group(live_ids, root)
    if group is None:
        return figures.breakdowns(commune_ids=live_ids, end=end, current=current)
    return figures.group_breakdowns(groups={group: live_ids}, end=end, current=current)


def overlay(g: Gathered) -> Overlaid:
    """Put the locked snapshots over the live figures: values of every window, the breakdowns of
    the period, the trend's gaps and the communes with data. No query."""
    results = {}
    for p in g.periods:
        subs = g.locked.get(p.pk, {})
        values = {cid: services.parse_values((s.snapshot or {}).get("indicators")) for cid, s in subs.items()}
        results[p.pk] = _overlay(g.tables[g.index[p.pk]], values)
    parts = [(s.snapshot or {}).get("breakdowns") or {} for s in g.locked_now.values()]
    if g.live_breakdowns is not None:
        parts.append(g.live_breakdowns)
    breakdowns = indicators.merge_breakdowns(parts, g.period.end)
    # a trend period in which no commune of the scope has data is a gap, not a zero
    gaps = [False] * len(g.trend_periods) if g.by_child is not None else [_gap(g, p) for p in g.trend_periods]
    by_commune = results[g.period.pk][0]
    with_data = coverage.communes_with_data({cid: by_commune.get(cid, {}) for cid in g.ids}, g.locked_now)
    return Overlaid(results=results, breakdowns=breakdowns, gaps=gaps, with_data=with_data)


def _gap(g: Gathered, p: ReportingPeriod) -> bool:
    """No commune of the scope has data for ``p``: no approved report, and no record in the live
    figures. Counts are never negative, so the total has a record exactly when a commune has."""
    if g.locked.get(p.pk):
        return False
    table = g.tables[g.index[p.pk]]
    if table.totals_only:
        return not coverage.has_records(table.total)
    return not coverage.communes_with_data({cid: table.by_commune.get(cid) or {} for cid in g.ids})


def dashboard(
    *,
    user,
    unit: AdministrativeUnit | None,
    period: ReportingPeriod,
    sort: str = "",
    with_table: bool = True,
    map_choice: str = "",
) -> Dashboard:
    """Everything a dashboard shows for ``unit`` (None: the user's whole scope) and ``period``:
    ``gather`` (the reads) → ``overlay`` (locked snapshots over the live figures) → ``present``
    (key figures, charts, table, tiles). ``map_choice`` (a period before 2025): ``maps.TIME``
    (default) or ``maps.CONVERTED``."""
    scope = scope_of(user=user, unit=unit, period=period)

    def build() -> Dashboard:
        g = gather(user=user, unit=unit, period=period, map_choice=map_choice, with_table=with_table, scope=scope)
        return present(g, overlay(g), unit=unit, sort=sort, with_table=with_table)

    if scope.stamp is None:
        return build()
    # The whole page's figures under the data stamp and the state of the submissions of its
    # periods (an approval, a return or a reopening changes them without moving the stamp): a
    # cached dashboard decodes one object instead of sixteen windows of 124 communes and lays
    # nothing out again. The user is in the key: the map of a past period depends on the scope.
    key = [
        user.pk,
        unit.pk if unit is not None else None,
        period.pk,
        sort,
        with_table,
        maps.parse_choice(map_choice),
        str(timezone.localdate()),
        _submissions_state(scope),
    ]
    return cached("dashboard", key, build, scope.stamp)


def _submissions_state(scope: Scope) -> str:
    """A digest of the submissions of the dashboard's periods and communes (one small query)."""
    if scope.by_child is not None:
        return ""
    rows = (
        Submission.objects.filter(period_id__in=[p.pk for p in scope.periods], commune_id__in_ids=scope.ids)
        .order_by("pk")
        .values_list("pk", "status", "version")
    )
    return hashlib.sha256(json.dumps(list(rows)).encode()).hexdigest()


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
