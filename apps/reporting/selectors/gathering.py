"""Steps 1 and 2 of a dashboard: ``gather`` (every read: stored or cached figures, approved
submissions, live breakdowns, names, the map of a past period) and ``overlay`` (the locked
snapshots over the live figures, no query)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit, UnitSuccession
from apps.core.collation import vi_order
from apps.core.lookups import Ids
from apps.core.prepared import prepared

from .. import coverage, demographics, figures, indicators, maps, services
from ..indicators import INDICATORS, Value
from ..models import ReportingPeriod, Submission
from ..periods import period_previous, period_same_last_year, recent_periods
from .cache import cache_seconds, cached

TREND_LENGTH = 12


def _int(code: Any) -> int:
    try:
        return int(code)
    except (TypeError, ValueError):
        return 10**9


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


@prepared
def _former_districts(*, ids: Ids):
    return UnitSuccession.objects.filter(
        new_id__in_ids=ids, old__level="commune", old__parent__level="district"
    ).values_list("new_id", "old__parent__parent__code", "old__parent__code", "old__parent__full_name")


class UnitName(NamedTuple):
    """What a dashboard shows of a unit: its code (order, tiles) and its full name (rows)."""

    pk: int
    code: str
    full_name: str


@prepared
def _unit_names(*, ids: Ids):
    return AdministrativeUnit.objects.filter(pk__in_ids=ids).values_list("pk", "code", "full_name")


@prepared
def _period_submissions(*, period_id: int, ids: Ids):
    return Submission.objects.filter(period_id=period_id, commune_id__in_ids=ids)


def _tile_groups(ids: list[int], names: dict[int, UnitName]) -> list[tuple[str, list[int]]]:
    """Current communes grouped by the former district of their predecessors (official conversion,
    one query), districts in code order, communes by code; communes without history last."""
    rows = _former_districts(ids=Ids(ids))
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
    names: dict[int, UnitName]
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
    trend_periods = recent_periods(period, TREND_LENGTH)
    previous, last_year = period_previous(period, trend_periods), period_same_last_year(period, trend_periods)
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
            # An approval moves no data stamp, and the trend's tables carry the live values of the
            # communes locked then (what their snapshot replaces): the locked ones are in the key.
            [ids, windows, sorted((pid, sorted(subs)) for pid, subs in locked.items())],
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
    names = {row[0]: UnitName(*row) for row in _unit_names(ids=Ids(row_ids))}
    submissions = (
        {s.commune_id: s for s in _period_submissions(period_id=period.pk, ids=Ids(ids))} if by_child is None else {}
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
    breakdowns = demographics.merge_breakdowns(parts, g.period.end)
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


@prepared
def _child_units(*, parent_id: int, level: str):
    units = AdministrativeUnit.objects.current().filter(parent_id=parent_id).exclude(level=level)
    return vi_order(units, "name").values_list("pk", "path")


def child_groups(root: AdministrativeUnit | None, ids: list[int]) -> dict[int, list[int]] | None:
    """{child unit id: its communes among ``ids``} when ``root``'s children are not communes (a
    country and its provinces), else None: the dashboard then lists the communes themselves."""
    if root is None or root.level == Level.COMMUNE:
        return None
    children = _child_units(parent_id=root.pk, level=Level.COMMUNE)
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
