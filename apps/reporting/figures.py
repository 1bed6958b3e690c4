"""Precomputed figures: the dashboards read each commune's indicators from ``StoredFigures`` and
recompute only the communes whose data changed since.

Why: computing every indicator of a province for the 14 windows a dashboard shows (the period, the
previous one, last year's and the 12-period trend) takes about a second of SQL at 70,000 people,
and a data-stamped cache of the whole result is invalidated by any write anywhere. Here the unit
of reuse is one commune and one window, so a write in one commune costs the next reader that
commune's recomputation (a few milliseconds), not the province's.

Freshness: every change of data goes through a service that writes an audit entry with the area it
concerns, and ``audit_record`` moves that area's ``AreaChange`` in the same transaction. A commune's
stamp is "its own latest change : the latest change filed under any other area" (province-wide
records — classification, settings, activities shared by several communes — and former units), so
a stored row is valid exactly as long as neither moved. The stamp is read BEFORE the figures are
computed: a change committed in between leaves a row with the older stamp, recomputed next time;
the reverse (new stamp, old figures) cannot happen. Bulk loaders that bypass the services must
call ``clear()`` (the benchmark seeders do). Known gap: a person's sex or birth year edited in one
commune also changes the breakdowns of another commune holding an older file of that person; only
the editing commune's stamp moves, so the other commune's stored breakdowns follow at its next change.

Refresh: after a transaction with changes commits, a background job (``tasks.refresh_figures``)
recomputes the rows of the "hot" windows (read in the last ``PCMT_FIGURES_HOT_DAYS`` days) of the
communes that changed, so the next reader usually finds them fresh; a reader who comes first
recomputes them itself. ``PCMT_FIGURES_PRECOMPUTED = False`` computes everything live.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import operator
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Case, FloatField, JSONField, Q, When
from django.db.models import Value as SqlValue
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import Exact

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit
from apps.audit.models import AreaChange
from apps.core.lookups import Dates, Ids
from apps.core.prepared import prepared

from . import catalogue, demographics, indicators
from .indicators import INDICATORS, IndicatorTable, Value
from .models import StoredFigures

Window = tuple[dt.date, dt.date]

#: the audited actions whose records the indicators count (submissions, reports, accounts do not)
SOURCE_ACTIONS = ("cases.", "registers.", "prevention.", "classification.")

_DECIMAL_CODES = frozenset(code for code, d in INDICATORS.items() if d.is_decimal)


def enabled() -> bool:
    return bool(getattr(settings, "PCMT_FIGURES_PRECOMPUTED", True))


def clear() -> int:
    """Forget every stored figure (after a bulk load that bypassed the services)."""
    deleted, _detail = StoredFigures.objects.all().delete()
    return deleted


# --- background refresh ---------------------------------------------------------------------------


def refresh(area_ids: Iterable[int]) -> int:
    """Recompute the stale rows of the hot windows for the communes these areas concern (every
    commune when one of them is not a current commune: a province-wide change). Returns the
    number of communes looked at."""
    from django.utils import timezone

    area_ids = list(area_ids)
    communes = set(
        AdministrativeUnit.objects.current().filter(level=Level.COMMUNE, pk__in=area_ids).values_list("pk", flat=True)
    )
    rows = StoredFigures.objects.filter(
        computed_at__gte=timezone.now() - dt.timedelta(days=settings.PCMT_FIGURES_HOT_DAYS)
    )
    if len(communes) == len(set(area_ids)):
        rows = rows.filter(unit_id__in=communes)
    else:  # a change filed under the province (or a former unit): every commune's rows
        rows = rows.filter(unit__level=Level.COMMUNE)
        communes = set(rows.values_list("unit_id", flat=True).distinct())
    hot = set(rows.values_list("kind", "start", "end").distinct())
    ids = sorted(communes)
    windows = sorted((s, e) for kind, s, e in hot if kind == StoredFigures.WINDOW)
    if ids and windows:
        compute_many(commune_ids=ids, windows=windows)
    for end in sorted({e for kind, _s, e in hot if kind == StoredFigures.BREAKDOWN}):
        breakdowns(commune_ids=ids, end=end)
    return len(ids)


# --- stamps ---------------------------------------------------------------------------------------


def stamps(commune_ids: Sequence[int]) -> dict[int, str]:
    """The current stamp of each commune (two small queries).

    The shared part is a digest of every non-commune area's latest change, not their maximum:
    two changes committed out of id order (the later id first) must still move it."""
    wanted = set(commune_ids)
    if len(wanted) > 500:  # a country: the whole (small) table beats an IN list of thousands of ids
        own = {a: last for a, last in AreaChange.objects.values_list("area_id", "last_entry") if a in wanted}
    else:
        own = dict(_own_changes(ids=Ids(list(wanted))))
    shared = hashlib.blake2b(digest_size=8)
    for area_id, last in _shared_changes(level=Level.COMMUNE):
        shared.update(f"{area_id}={last};".encode())
    tail = shared.hexdigest()
    return {cid: f"{FORMAT}:{own.get(cid, 0)}:{tail}" for cid in commune_ids}


@prepared
def _own_changes(*, ids: Ids):
    return AreaChange.objects.filter(area_id__in_ids=ids).values_list("area_id", "last_entry")


@prepared
def _shared_changes(*, level: str):
    return (
        AreaChange.objects.exclude(area__level=level, area__valid_to__isnull=True)
        .order_by("area_id")
        .values_list("area_id", "last_entry")
    )


def scope_stamp(commune_ids: Sequence[int], current: dict[int, str] | None = None) -> str:
    """One digest of the stamps of these communes: changes whenever any of their figures may.
    ``current``: their ``stamps`` already read in this request."""
    digest = hashlib.blake2b(digest_size=16)
    own = stamps(commune_ids) if current is None else {cid: current[cid] for cid in commune_ids}
    for cid, stamp in sorted(own.items()):
        digest.update(f"{cid}={stamp};".encode())
    return digest.hexdigest()


# --- (de)serialisation ----------------------------------------------------------------------------


_CODES = tuple(INDICATORS)
_DECIMAL_AT = tuple(i for i, code in enumerate(_CODES) if code in _DECIMAL_CODES)
#: part of every stored stamp: rows written for another list of indicators are stale
FORMAT = hashlib.blake2b(",".join(_CODES).encode(), digest_size=4).hexdigest()


def _dump(values: dict[str, Value]) -> list[Any]:
    """Values as a list in registry order (a third of the size of a dict, faster to read back)."""
    return [str(v) if isinstance(v, Decimal) else v for v in (values.get(code) for code in _CODES)]


def _load(data: list[Any]) -> dict[str, Value]:
    values = list(data)
    for i in _DECIMAL_AT:
        if values[i] is not None:
            values[i] = Decimal(values[i])
    return dict(zip(_CODES, values, strict=True))


# --- windows --------------------------------------------------------------------------------------


def _read_windows(
    unit_ids: Sequence[int], windows: Sequence[Window], current: dict[int, str]
) -> dict[tuple[int, Window], dict[str, Any]]:
    """The stored window rows of these units whose stamp is still the current one.

    Only the values and the level are read from each row; the labels and the assessment, the same
    in every row of a window, from the first unit's rows (``_tables`` reads them there). Decoding
    the whole document of 1,700 rows per province dashboard was a quarter of its time; the
    values are decoded in one ``json.loads``."""
    stored: dict[tuple[int, Window], dict[str, Any]] = {}
    if not unit_ids:
        return stored
    wanted = set(windows)
    first = unit_ids[0]
    rows = [
        row
        for row in _window_rows(
            ids=Ids(list(unit_ids)),
            starts=Dates(s for s, _e in windows),
            ends=Dates(e for _s, e in windows),
            first=first,
        )
        if (row[1], row[2]) in wanted and row[3] == current.get(row[0])
    ]
    decoded = json.loads("[" + ",".join(row[4] for row in rows) + "]")
    for (unit_id, start, end, _stamp, _v, level, meta), values in zip(rows, decoded, strict=True):
        stored[(unit_id, (start, end))] = meta if meta is not None else {"v": values, "level": level or ""}
    return stored


@prepared
def _window_rows(*, ids: Ids, starts: Dates, ends: Dates, first: int):
    return (
        StoredFigures.objects.filter(
            unit_id__in_ids=ids, kind=StoredFigures.WINDOW, start__in_dates=starts, end__in_dates=ends
        )
        .annotate(
            values=KT("data__v"),
            level=KT("data__level"),
            meta=Case(When(unit_id=first, then="data"), default=SqlValue(None), output_field=JSONField()),
        )
        .values_list("unit_id", "start", "end", "stamp", "values", "level", "meta")
    )


def _tables(
    row_ids: list[int], commune_ids: list[int], windows: Sequence[Window], stored: dict[tuple[int, Window], Any]
) -> list[IndicatorTable]:
    """IndicatorTables of the stored rows of ``row_ids`` (communes, or groups of them), with the
    totals of ``commune_ids`` (activities shared by several of them counted once)."""
    missing: dict[str, str] = {}
    overrides = indicators.shared_totals(commune_ids=commune_ids, windows=windows)
    tables = []
    for i, w in enumerate(windows):
        by_row = {rid: _load(stored[(rid, w)]["v"]) for rid in row_ids}
        any_row = stored[(row_ids[0], w)] if row_ids else {"labels": {}, "assessment": None}
        tables.append(
            IndicatorTable(
                start=w[0],
                end=w[1],
                commune_ids=commune_ids,
                by_commune=by_row,
                total=indicators.totals_of(by_row.values(), overrides=overrides[i], missing=missing),
                levels={rid: stored[(rid, w)]["level"] for rid in row_ids},
                level_labels=any_row["labels"],
                assessment=any_row["assessment"],
                missing=dict(missing),
            )
        )
    return tables


def compute_many(
    *, commune_ids: Iterable[Any], windows: Sequence[Window], current: dict[int, str] | None = None
) -> list[IndicatorTable]:
    """``indicators.compute_many`` from the stored figures, recomputing the stale communes only.
    Same result, in a constant number of queries when nothing changed (stamps, rows, totals).
    ``current``: the communes' ``stamps`` when the caller has just read them (read BEFORE computing)."""
    ids = indicators.id_list(commune_ids)
    windows = [(s, e) for s, e in windows]
    if not enabled() or not ids or not windows:
        return indicators.compute_many(commune_ids=ids, windows=windows)
    return _tables(ids, ids, windows, _stored_rows(ids, windows, stamps(ids) if current is None else current))


def _stored_rows(
    ids: list[int], windows: list[Window], current: dict[int, str]
) -> dict[tuple[int, Window], dict[str, Any]]:
    """The stored rows of these communes and windows, the stale ones recomputed and stored."""
    stored = _read_windows(ids, windows, current)
    stale = [cid for cid in ids if any((cid, w) not in stored for w in windows)]
    if stale:
        fresh = indicators.compute_many(commune_ids=stale, windows=windows)
        rows = []
        for w, table in zip(windows, fresh, strict=True):
            meta = {"labels": table.level_labels, "assessment": table.assessment}  # the same for every commune
            for cid in stale:
                data = {"v": _dump(table.by_commune[cid]), "level": table.levels.get(cid, ""), **meta}
                stored[(cid, w)] = data
                rows.append(
                    StoredFigures(
                        unit_id=cid, kind=StoredFigures.WINDOW, start=w[0], end=w[1], stamp=current[cid], data=data
                    )
                )
        _save(rows)
    return stored


def _has_records_case() -> Case:
    """``catalogue.has_records`` of a stored window row, evaluated by the database: some record
    figure of ``data.v`` is neither null nor zero ("0" and "0.000" both cast to 0)."""
    nonzero = (
        ~Q(Exact(Cast(KT(f"data__v__{_CODES.index(code)}"), FloatField()), 0)) for code in catalogue.RECORD_CODES
    )
    return Case(
        When(functools.reduce(operator.or_, nonzero), then=SqlValue(True)),
        default=SqlValue(False),
        output_field=BooleanField(),
    )


@functools.cache
def _has_records_sql(vendor: str) -> RawSQL:
    """``_has_records_case`` compiled once per process and database vendor (``vendor`` is the
    cache key; the replica, when there is one, is the same vendor). Resolving and compiling its 35
    JSON lookups (each copied on ``annotate``) was a third of the plan targets' Python on every
    dashboard; the SQL text never changes, and the query that uses it reads ``StoredFigures``
    alone, so the column it names is always that table's."""
    query = StoredFigures.objects.annotate(has=_has_records_case()).query
    sql, params = query.get_compiler(connection=connection).compile(query.annotations["has"])
    # the ORM's own SQL of constant expressions (JSON keys, 0): no outside input reaches it
    return RawSQL(sql, tuple(params), output_field=BooleanField())  # noqa: S611


def communes_with_records(
    *, commune_ids: Iterable[Any], window: Window, current: dict[int, str] | None = None
) -> set[int]:
    """The communes whose figures of ``window`` hold a record (``catalogue.has_records``), from the
    stored rows without decoding them: the database reads one flag per commune, and only the
    stale communes are recomputed (and stored). A year-to-date target over 10,000 communes decoded
    10,000 rows in Python (~250 ms) just to learn which of them had data."""
    ids = indicators.id_list(commune_ids)
    if not enabled() or not ids:
        table = indicators.compute_many(commune_ids=ids, windows=[window])[0]
        return {cid for cid, values in table.by_commune.items() if catalogue.has_records(values)}
    current = stamps(ids) if current is None else current
    flags = {
        unit_id: has
        for unit_id, stamp, has in _record_flags(ids=Ids(ids), start=window[0], end=window[1])
        if stamp == current.get(unit_id)
    }
    stale = [cid for cid in ids if cid not in flags]
    if stale:
        table = compute_many(commune_ids=stale, windows=[window], current=current)[0]
        flags.update({cid: catalogue.has_records(table.by_commune[cid]) for cid in stale})
    return {cid for cid, has in flags.items() if has}


@prepared
def _record_flags(*, ids: Ids, start: dt.date, end: dt.date):
    return (
        StoredFigures.objects.filter(unit_id__in_ids=ids, kind=StoredFigures.WINDOW, start=start, end=end)
        .annotate(has=_has_records_sql(connection.vendor))
        .values_list("unit_id", "stamp", "has")
    )


def _save(rows: list[StoredFigures]) -> None:
    # Two readers (or a reader and the refresh job) may recompute the same commune at once: the
    # later write wins, both are right. Rows go in key order so concurrent upserts lock in the same
    # order and cannot deadlock; one key once per statement (PostgreSQL refuses a row twice).
    unique = {(r.unit_id, r.kind, r.start, r.end): r for r in rows}
    StoredFigures.objects.bulk_create(
        [unique[key] for key in sorted(unique)],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["unit", "kind", "start", "end"],
        update_fields=["stamp", "data", "computed_at"],
    )


# --- breakdowns -----------------------------------------------------------------------------------


def breakdowns(*, commune_ids: Iterable[Any], end: dt.date, current: dict[int, str] | None = None) -> dict[str, Any]:
    """``demographics.breakdowns`` from the stored per-commune breakdowns (stale communes recomputed);
    ``current`` as in ``compute_many``."""
    ids = indicators.id_list(commune_ids)
    if not enabled() or not ids:
        return demographics.breakdowns(commune_ids=ids, end=end)
    current = stamps(ids) if current is None else current
    stored = {
        unit_id: data
        for unit_id, stamp, data in _stored_breakdowns(ids=Ids(ids), end=end)
        if stamp == current[unit_id]
    }
    stale = [cid for cid in ids if cid not in stored]
    if stale:
        fresh = demographics.breakdowns_by_commune(commune_ids=stale, end=end)
        stored.update(fresh)
        _save(
            [
                StoredFigures(
                    unit_id=cid, kind=StoredFigures.BREAKDOWN, start=end, end=end, stamp=current[cid], data=fresh[cid]
                )
                for cid in stale
            ]
        )
    return demographics.merge_breakdowns((stored[cid] for cid in ids), end)


# --- groups of communes (the provinces of a national dashboard) ---------------------------------------


def _group_stamps(groups: dict[int, list[int]], current: dict[int, str] | None = None) -> dict[int, str]:
    """A stamp per group: the digest of its communes' stamps (any change in any of them moves it).
    ``current``: the communes' ``stamps`` already read in this request."""
    if current is None:
        current = stamps(sorted({c for members in groups.values() for c in members}))
    result = {}
    for group_id, members in groups.items():
        digest = hashlib.blake2b(digest_size=16)
        for cid in sorted(members):
            digest.update(f"{cid}={current[cid]};".encode())
        result[group_id] = f"{FORMAT}:g:{digest.hexdigest()}"
    return result


def group_many(
    *, groups: dict[int, list[int]], windows: Sequence[Window], current: dict[int, str] | None = None
) -> list[IndicatorTable]:
    """Indicators of each group of communes (unit id → its communes), as ``compute_many`` gives them
    per commune: ``by_commune`` is keyed by the group's unit. A group's totals are stored as a row of
    its unit, valid while none of its communes changed; a stale group is summed again from its
    communes' stored rows (recomputing only the stale communes, all groups in one computation)."""
    windows = [(s, e) for s, e in windows]
    groups = {g: sorted(members) for g, members in groups.items()}
    all_ids = sorted({c for members in groups.values() for c in members})
    commune_stamps = current
    current = _group_stamps(groups, commune_stamps) if enabled() else {}
    stored = _read_windows(list(groups), windows, current) if enabled() else {}
    stale = [g for g in groups if any((g, w) not in stored for w in windows)]
    if stale:
        members = sorted({c for g in stale for c in groups[g]})
        if enabled():
            # the members' stored values only: their own tables (totals, shared activities of all
            # the members) were built and thrown away, a query and a sum per window
            commune_stamps = stamps(members) if commune_stamps is None else commune_stamps
            rows_of = _stored_rows(members, windows, commune_stamps)
            per_commune = [{c: _load(rows_of[(c, w)]["v"]) for c in members} for w in windows]
            meta = [rows_of[(members[0], w)] for w in windows]
            missing: dict[str, str] = {}
        else:
            live = indicators.compute_many(commune_ids=members, windows=windows)
            per_commune = [t.by_commune for t in live]
            meta = [{"labels": t.level_labels, "assessment": t.assessment} for t in live]
            missing = live[0].missing if live else {}
        rows = []
        for g in stale:
            overrides = indicators.shared_totals(commune_ids=groups[g], windows=windows)
            for i, w in enumerate(windows):
                total = indicators.totals_of(
                    (per_commune[i][c] for c in groups[g]), overrides=overrides[i], missing=missing
                )
                data = {
                    "v": _dump(total),
                    "level": "",
                    "labels": meta[i]["labels"],
                    "assessment": meta[i]["assessment"],
                }
                stored[(g, w)] = data
                rows.append(
                    StoredFigures(
                        unit_id=g, kind=StoredFigures.WINDOW, start=w[0], end=w[1], stamp=current.get(g, ""), data=data
                    )
                )
        if enabled():
            _save(rows)
    return _tables(list(groups), all_ids, windows, stored)


def group_breakdowns(
    *, groups: dict[int, list[int]], end: dt.date, current: dict[int, str] | None = None
) -> dict[str, Any]:
    """``breakdowns`` of all the groups' communes, from a stored breakdown per group (``current``:
    the communes' ``stamps`` already read in this request)."""
    groups = {g: sorted(members) for g, members in groups.items()}
    if not enabled():
        return demographics.breakdowns(commune_ids=[c for members in groups.values() for c in members], end=end)
    commune_stamps = current
    current = _group_stamps(groups, commune_stamps)
    stored = {
        unit_id: data
        for unit_id, stamp, data in _stored_breakdowns(ids=Ids(list(groups)), end=end)
        if stamp == current[unit_id]
    }
    stale = [g for g in groups if g not in stored]
    if stale:
        rows = []
        for g in stale:
            stored[g] = breakdowns(commune_ids=groups[g], end=end, current=commune_stamps)
            rows.append(
                StoredFigures(
                    unit_id=g, kind=StoredFigures.BREAKDOWN, start=end, end=end, stamp=current[g], data=stored[g]
                )
            )
        _save(rows)
    return demographics.merge_breakdowns((stored[g] for g in groups), end)


@prepared
def _stored_breakdowns(*, ids: Ids, end: dt.date):
    return StoredFigures.objects.filter(
        unit_id__in_ids=ids, kind=StoredFigures.BREAKDOWN, start=end, end=end
    ).values_list("unit_id", "stamp", "data")
