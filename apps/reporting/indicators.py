"""The indicator catalogue of domain.md §5 and its computation from the records, per commune.

Used by ``apps.reports`` and the dashboards:

* ``IndicatorDef(code, label_vi, group, unit, places=0, additive=True, direction="neutral")`` (what
  a rise means: ``DIRECTIONS``, the colour of changes on the dashboards) and the registry
  ``INDICATORS`` (ordered dict code → def) with ``GROUPS`` (group code → Vietnamese title).
* ``compute(*, commune_ids, start, end) -> IndicatorTable`` — every indicator of every commune for
  the data window [start, end] (both inclusive). ``IndicatorTable.by_commune[commune_id][code]`` and
  ``IndicatorTable.total[code]`` hold ``int`` (counts), ``Decimal`` (grams: 3 places, m²: 2, %: 1)
  or ``None`` (cannot be computed: a ratio without a denominator; the reason is in
  ``IndicatorTable.missing``). ``levels[commune_id]`` is the commune's classification outcome
  code and ``level_labels`` their Vietnamese labels.
* ``compute_many(*, commune_ids, windows) -> list[IndicatorTable]`` — the same for several windows
  at once (trends), sharing every scan.
* The breakdowns of the people counted (sex, age band, ethnicity, substance) are in
  ``apps.reporting.demographics``.
* Who is counted comes from ONE place, ``apps.cases.stocks`` (``files_on_sql`` gives the ids of
  the files counting on a day, for ``pk__in=RawSQL(sql, params)``).

NO personal data in any of these structures: counts only.

Queries. The number of queries depends neither on the number of communes (``commune_id IN (…)``
and ``GROUP BY commune``) nor on the number of windows: the per-window counts are conditional sums
in one grouped statement per source (``readers``), and active hotspots come from
``registers.selectors.hotspots_active_many`` (the hotspots and their history, two queries).

Definitions (what is counted, and when):

* Stocks are taken ON THE LAST DAY of the window, by the one definition of ``apps.cases.stocks``:
  a file counts from its management decision (or determination, rehab…) until it is closed,
  moved away or its legal term ends; "có dấu hiệu" and "dương tính, chưa có quyết định" are
  ``people_verifying``; a term ended without a closing decision is ``people_expired`` (data
  quality), never the stock; a negative-test episode never counts. ``case_type`` and
  ``whereabouts`` are the ones in force on that day (dated history), not today's.
* ``people_new``: files detected (``detected_on``) in the window, not counting files opened by a
  transfer from another commune (the person was already counted there).
* ``relapses``: "tái sử dụng" and "phát hiện sử dụng trở lại" events dated in the window.
* Hotspots: ``hotspots_active`` = active at any time in the window (the registers' own definition,
  as classification uses it); ``hotspots_new`` = discovered in the window; ``hotspots_eliminated``
  = hotspots with an "eliminated" status change dated in the window.
* Crime: cases that occurred in the window; offenders = Σ arrested per case; seizures in grams and
  tablets. Cultivation: finds destroyed in the window (count, plants, m²).
* Prevention: activities overlapping the window held in the
  commune; per commune an activity covering several communes counts for each of them, while the
  TOTAL counts it once (``additive=False``). High-risk coverage: people active in the register now,
  and how many of them an activity overlapping the window reached.
* Classification: the final level of each commune in the latest APPROVED assessment whose year is
  ≤ the window's end year (the period's year): one ``class_*`` indicator is 1 for the commune, so
  totals count communes per level.

Units and history. Every record counted here already carries today's commune: records entered
under a pre-2025 unit are converted when recorded (``cases`` and ``registers`` derive ``commune``
through the official conversion). Grouping by commune therefore IS the old→new conversion.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from . import readers
from .catalogue import (
    CLASSIFICATION_CODES,
    DIRECTIONS,
    GROUPS,
    INDICATORS,
    LEVEL_INDICATORS,
    LEVEL_ORDER,
    PREVENTION_CODES,
    UP_BAD,
    UP_GOOD,
    IndicatorDef,
    IndicatorTable,
    Value,
)
from .readers import KINH_CODE, RELAPSE_KINDS, id_list, shared_totals

__all__ = [
    "CLASSIFICATION_CODES",
    "DIRECTIONS",
    "GROUPS",
    "INDICATORS",
    "KINH_CODE",
    "LEVEL_INDICATORS",
    "LEVEL_ORDER",
    "PREVENTION_CODES",
    "RELAPSE_KINDS",
    "UP_BAD",
    "UP_GOOD",
    "IndicatorDef",
    "IndicatorTable",
    "Value",
    "compute",
    "compute_many",
    "coverage_pct",
    "shared_totals",
    "totals_of",
]

# --- entry points ---------------------------------------------------------------------------------


def compute_many(*, commune_ids: Iterable[Any], windows: Sequence[tuple[dt.date, dt.date]]) -> list[IndicatorTable]:
    """Every indicator for several windows at once (see the module docstring)."""
    ids = id_list(commune_ids)
    windows = [(s, e) for s, e in windows]
    for s, e in windows:
        if s > e:
            raise ValueError(f"Kỳ số liệu không hợp lệ: {s} > {e}")
    missing: dict[str, str] = {}  # every source app is installed: nothing is missing by design
    acc = readers.Accumulator(ids, len(windows), missing)
    if ids and windows:
        readers.people_stock(acc, ids, windows)
        readers.people_new(acc, ids, windows)
        readers.relapses(acc, ids, windows)
        readers.hotspots(acc, ids, windows)
        readers.crime(acc, ids, windows)
        readers.cultivation(acc, ids, windows)
        readers.prevention(acc, ids, windows)
        readers.classification(acc, ids, windows)
    tables = []
    for i, (s, e) in enumerate(windows):
        by_commune = acc.data[i]
        for values in by_commune.values():
            values["highrisk_coverage_pct"] = coverage_pct(values)
        total = totals_of(by_commune.values(), overrides=acc.totals[i], missing=missing)
        tables.append(
            IndicatorTable(
                start=s,
                end=e,
                commune_ids=ids,
                by_commune=by_commune,
                total=total,
                levels=acc.levels[i],
                level_labels=acc.level_labels[i],
                assessment=acc.assessments[i],
                missing=dict(missing),
            )
        )
    return tables


def compute(*, commune_ids: Iterable[Any], start: dt.date, end: dt.date) -> IndicatorTable:
    """Every indicator of every commune for the window [start, end] (see the module docstring)."""
    return compute_many(commune_ids=commune_ids, windows=[(start, end)])[0]


def coverage_pct(values: dict[str, Value]) -> Value:
    registered, reached = values.get("highrisk_registered"), values.get("highrisk_reached")
    if not registered or reached is None:
        return None
    return INDICATORS["highrisk_coverage_pct"].quantize(Decimal(reached) * 100 / Decimal(registered))


_NOT_NONE = functools.partial(operator.is_not, None)


def totals_of(
    rows: Iterable[dict[str, Value]],
    *,
    overrides: dict[str, Value] | None = None,
    missing: dict[str, str] | None = None,
) -> dict[str, Value]:
    """Sum of per-commune values (None stays None); ``overrides`` replaces the non-additive ones
    (shared activities counted once); the coverage ratio is recomputed from the summed counts."""
    missing = missing or {}
    rows = list(rows)
    total: dict[str, Value] = {}
    for code, d in INDICATORS.items():
        if code in missing:
            total[code] = None
            continue
        # C-level iteration: a province's 14 windows × 124 communes × 43 indicators were 30 ms of
        # generator steps per dashboard
        total[code] = sum(filter(_NOT_NONE, map(operator.methodcaller("get", code), rows)), d.zero())
    for code, value in (overrides or {}).items():
        if code not in missing:
            total[code] = INDICATORS[code].quantize(value)
    total["highrisk_coverage_pct"] = None if "highrisk_coverage_pct" in missing else coverage_pct(total)
    return total
