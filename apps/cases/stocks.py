"""Who is a person with a management record (người sử dụng trái phép, người nghiện có hồ sơ quản
lý) on a date: THE definition, used by classification, dashboards, stored figures, reports and
targets alike (issue 10 §1). Nothing else counts people.

Definition, per case file, from its dated events (never from today's fields alone):

* A file counts in the STOCK while its status is a management status: from the management
  decision / determination / rehab on, until it is closed, transferred away or its legal term ends.
* "Có dấu hiệu" and "dương tính, chưa có quyết định" are not the stock: they are VERIFYING
  ("đang xác minh"), a separate figure.
* A legal term that has ended (1-year management of a user, 1-year post-rehab management) ends the
  counting on its end date, closed or not; from then on the file is EXPIRED ("hết thời hạn, chưa có
  quyết định kết thúc"), a data-quality figure, never the stock.
* An episode closed because the test was negative (or the file closed as "âm tính") was never
  under management: it has no stock span at all (its days before the test were verification).
* ``case_type`` and ``whereabouts`` on a past day are the ones in force then: a user becomes an
  addict on the date of the addiction determination; whereabouts change on the dated events that
  set them. Today's values of the file only correct the latest stretch (an undated edit).

``compute_spans`` turns one file's events into ``Span`` rows (a pure function); ``rebuild`` writes
them to ``StockSpan`` and is called by the case services inside the transaction of every change
(create, edit, transition, event, transfer: right after the file is saved), by the bulk import
(``CaseBatch.commit``), the benchmark seeder, the backfill migration and ``manage.py
rebuild_stocks``. Counting on day D is then ``valid_from <= D < valid_to`` over an
index, in one grouped query whatever the number of communes or days:

* ``files_on_sql(commune_ids, day, category)`` — SELECT of the ids of the files counting on ``day``;
* ``counts_on(commune_ids, days)`` — {day: {commune_id: {measure: n}}} for ``MEASURES``;
* ``counts_in_window(commune_ids, start, end)`` — {commune_id: (people, addicts)} counting at any
  day of [start, end] (classification's yearly window; a person moving inside the window counts in
  both communes, each kept a file under management then).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from . import workflow
from .choices import CaseType, CloseReason, DurationKey, EventKind, Status, Whereabouts

STOCK, VERIFYING, EXPIRED = "stock", "verifying", "expired"
VERIFYING_STATUSES = frozenset({Status.SIGNS, Status.POSITIVE})
#: statuses whose legal term ends the counting: status → duration key of the term
TERM_KEYS = {Status.MANAGED: DurationKey.MANAGEMENT_PERIOD, Status.POST_REHAB: DurationKey.POST_REHAB_PERIOD}
#: (event kind, target status) → whereabouts set by that transition, for events recorded before
#: events carried their whereabouts
_TRANSITION_WHEREABOUTS = {(t.event, t.target): t.whereabouts for t in workflow.TRANSITIONS if t.whereabouts}


#: what the spans need of an event (given in timeline order: date, then id)
EventRow = workflow.EventFact


@dataclass(frozen=True)
class Span:
    """One stretch of a file's counting; its fields are the ``StockSpan`` columns of the same names."""

    category: str
    status: str
    case_type: str
    whereabouts: str
    valid_from: dt.date
    valid_to: dt.date | None


def _is_addiction(e: EventRow) -> bool:
    return e.kind == EventKind.DETERMINATION and e.to_status == Status.AWAITING_REGISTRATION


def _sets_whereabouts(e: EventRow) -> bool:
    return bool(e.whereabouts) or e.kind == EventKind.WHEREABOUTS or (e.kind, e.to_status) in _TRANSITION_WHEREABOUTS


def _timeline(changes: list[tuple[dt.date, str | None]], initial: str, current: str) -> list[tuple[dt.date, str]]:
    """Dated values [(from, value)] from the change points; an unknown value (None: an old event
    that did not record it) keeps the previous one, and today's value corrects the latest stretch."""
    values: list[tuple[dt.date, str]] = [(dt.date.min, initial)]
    for day, value in changes:
        values.append((day, values[-1][1] if value is None else value))
    values[-1] = (values[-1][0], current)
    return values


def _value_on(timeline: list[tuple[dt.date, str]], day: dt.date) -> str:
    value = timeline[0][1]
    for since, v in timeline:
        if since <= day:
            value = v
        else:
            break
    return value


def compute_spans(
    *,
    status: str,
    case_type: str,
    whereabouts: str,
    close_reason: str,
    detected_on: dt.date,
    events: Sequence[EventRow],
    earlier_events: Sequence[EventRow] = (),
    clock: workflow.Clock,
) -> list[Span]:
    """The spans of one file (see the module docstring). ``events``: the file's own events in
    timeline order; ``earlier_events``: those of the files it was transferred from (a transfer
    continues the legal term of the decision taken there)."""
    changes = [e for e in events if e.to_status]
    if not changes:
        changes = [EventRow(EventKind.OPENED, detected_on, status)]
    # status intervals [start, end)
    intervals: list[tuple[dt.date, dt.date | None, EventRow]] = []
    for i, e in enumerate(changes):
        start = detected_on if i == 0 and e.kind == EventKind.OPENED else e.event_date
        end = changes[i + 1].event_date if i + 1 < len(changes) else None
        if end is None or start < end:
            intervals.append((start, end, e))
    # Episodes end at a closing; one closed by a negative test never was under management.
    closing_dates = [e.event_date for e in changes if e.to_status == Status.CLOSED]
    negative_until: set[dt.date] = {
        e.event_date for e in changes if e.to_status == Status.CLOSED and e.kind == EventKind.TEST
    }
    if status == Status.CLOSED and close_reason == CloseReason.NEGATIVE_TEST and closing_dates:
        negative_until.add(closing_dates[-1])

    def negative_episode(day: dt.date) -> bool:
        ending = next((c for c in closing_dates if c >= day), None)
        return ending is not None and ending in negative_until

    addicted = [e.event_date for e in events if _is_addiction(e)]
    types = _timeline(
        [(d, CaseType.ADDICT) for d in addicted[:1]],
        CaseType.USER if addicted else case_type,
        case_type,
    )
    if case_type == CaseType.USER:  # corrected by hand to "user": a user all along
        types = [(dt.date.min, CaseType.USER)]
    places = [e for e in events if _sets_whereabouts(e)]
    first = events[0] if events else None
    initial_where = (
        first.whereabouts
        if first is not None and first.whereabouts
        else (Whereabouts.COMMUNITY if places else whereabouts)
    )
    wheres = _timeline(
        [
            (e.event_date, e.whereabouts or _TRANSITION_WHEREABOUTS.get((e.kind, e.to_status)))
            for e in places
            if e is not first
        ],
        initial_where,
        whereabouts,
    )
    timeline = [*earlier_events, *events]
    pieces: list[tuple[str, str, dt.date, dt.date | None]] = []  # (category, status, from, to)
    for start, end, e in intervals:
        if e.to_status == Status.CLOSED:
            continue
        if negative_episode(start):
            if e.to_status in VERIFYING_STATUSES:
                pieces.append((VERIFYING, e.to_status, start, end))
            continue
        if e.to_status in VERIFYING_STATUSES:
            pieces.append((VERIFYING, e.to_status, start, end))
            continue
        term_end = None
        if e.to_status in TERM_KEYS:
            entering = [
                x
                for x in timeline
                if x.to_status == e.to_status and x.kind != EventKind.TRANSFER and x.event_date <= start
            ]
            decided = entering[-1] if entering else e
            term_end, _row = clock.add(decided.decision_date or decided.event_date, TERM_KEYS[e.to_status])
        if term_end is not None and (end is None or term_end < end):
            if start < term_end:
                pieces.append((STOCK, e.to_status, start, term_end))
            pieces.append((EXPIRED, e.to_status, max(start, term_end), end))
        else:
            pieces.append((STOCK, e.to_status, start, end))
    # split at the type and whereabouts changes, merge neighbours that are alike
    cuts = sorted({d for d, _v in types[1:]} | {d for d, _v in wheres[1:]})
    spans: list[Span] = []
    for category, piece_status, start, end in pieces:
        bounds = [start, *(c for c in cuts if start < c and (end is None or c < end)), end]
        for a, b in zip(bounds, bounds[1:], strict=False):
            span = Span(category, piece_status, _value_on(types, a), _value_on(wheres, a), a, b)
            last = spans[-1] if spans else None
            if (
                last is not None
                and last.valid_to == a
                and (last.category, last.status, last.case_type, last.whereabouts)
                == (span.category, span.status, span.case_type, span.whereabouts)
            ):
                spans[-1] = Span(last.category, last.status, last.case_type, last.whereabouts, last.valid_from, b)
            else:
                spans.append(span)
    return spans


# --- writing ----------------------------------------------------------------------------------------


def _event_row(e: Any) -> EventRow:
    return EventRow(e.kind, e.event_date, e.to_status, e.decision_date, whereabouts=e.whereabouts)


def rebuild(case_ids: Iterable[int], *, clock: workflow.Clock | None = None, models: Any = None) -> int:
    """Recompute and store the spans of these files (their events and fields as saved; the caller
    saves the file first). A few queries per call whatever the number of files. ``models``: the
    historical models of a migration (default: today's). Returns the number of spans written."""
    if models is None:
        from . import models  # noqa: PLW0642 - today's models unless a migration passes its own
    CaseFile, CaseEvent, StockSpan = models.CaseFile, models.CaseEvent, models.StockSpan
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    if clock is None:
        clock = workflow.Clock(
            durations=list(models.LegalDuration.objects.all()),
            holidays=frozenset(models.Holiday.objects.values_list("date", flat=True)),
        )
    fields = (
        "pk",
        "commune_id",
        "status",
        "case_type",
        "whereabouts",
        "close_reason",
        "detected_on",
        "transferred_from_id",
    )
    files = {row[0]: row for row in CaseFile.objects.filter(pk__in=ids).values_list(*fields)}
    # the files they came from (transfers), transitively: their decisions set the legal terms
    parent_of: dict[int, int] = {pk: row[7] for pk, row in files.items() if row[7]}
    todo = set(parent_of.values())
    while todo:
        found = dict(CaseFile.objects.filter(pk__in=todo).values_list("pk", "transferred_from_id"))
        new = {k: v for k, v in found.items() if v and k not in parent_of}
        parent_of.update(new)
        todo = {v for v in new.values() if v not in parent_of}
    wanted = set(ids) | set(parent_of.values())
    events: dict[int, list[EventRow]] = defaultdict(list)
    live = CaseEvent.objects.filter(case_file_id__in=wanted)
    if any(f.name == "voided_at" for f in CaseEvent._meta.get_fields()):  # older migrations' models lack it
        live = live.filter(voided_at__isnull=True)  # an entry voided as a mistake never counts
    for e in live.order_by("event_date", "pk").only(
        "case_file_id", "kind", "event_date", "to_status", "decision_date", "whereabouts"
    ):
        events[e.case_file_id].append(_event_row(e))
    rows = []
    for pk in ids:
        if pk not in files:
            continue
        _pk, commune_id, status, case_type, whereabouts, close_reason, detected_on, _parent = files[pk]
        earlier: list[EventRow] = []
        parent, seen = parent_of.get(pk), {pk}
        while parent and parent not in seen:
            seen.add(parent)
            earlier = events.get(parent, []) + earlier
            parent = parent_of.get(parent)
        for span in compute_spans(
            status=status,
            case_type=case_type,
            whereabouts=whereabouts,
            close_reason=close_reason,
            detected_on=detected_on,
            events=events.get(pk, []),
            earlier_events=earlier,
            clock=clock,
        ):
            rows.append(StockSpan(case_file_id=pk, commune_id=commune_id, **vars(span)))
    StockSpan.objects.filter(case_file_id__in=ids).delete()
    StockSpan.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# --- reading ----------------------------------------------------------------------------------------


def _ids(commune_ids: Iterable[Any]) -> list[int]:
    return sorted({int(getattr(c, "pk", c)) for c in commune_ids})


def _on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def spans(commune_ids: Iterable[Any]):
    from .models import StockSpan

    return StockSpan.objects.filter(commune_id__in=_ids(commune_ids) or [0])


def files_on_sql(commune_ids: Iterable[Any], day: dt.date, category: str = STOCK) -> tuple[str, list[Any]]:
    """(sql, params) of SELECT the ids of the files counting in ``category`` on ``day`` in these
    communes (one row per file: a file's spans never overlap); for ``pk__in=RawSQL(sql, params)``."""
    sql, params = (
        spans(commune_ids)
        .filter(_on(day), category=category)
        .values("case_file_id")
        .order_by()
        .query.sql_with_params()
    )
    return sql, list(params)


#: measure → (condition on the span row ``t``, params); all but the last two count the stock
MEASURES: dict[str, tuple[str, list[Any]]] = {
    "people_total": ("t.category = %s", [STOCK]),
    "people_users": ("t.category = %s AND t.case_type = %s", [STOCK, CaseType.USER]),
    "people_addicts": ("t.category = %s AND t.case_type = %s", [STOCK, CaseType.ADDICT]),
    "where_community": ("t.category = %s AND t.whereabouts = %s", [STOCK, Whereabouts.COMMUNITY]),
    "where_rehab_facility": ("t.category = %s AND t.whereabouts = %s", [STOCK, Whereabouts.REHAB_FACILITY]),
    "where_prison": ("t.category = %s AND t.whereabouts = %s", [STOCK, Whereabouts.PRISON]),
    "where_unknown": ("t.category = %s AND t.whereabouts = %s", [STOCK, Whereabouts.UNKNOWN]),
    "rehab_voluntary": (
        "t.category = %s AND t.status IN (%s, %s)",
        [STOCK, Status.VOLUNTARY_COMMUNITY, Status.VOLUNTARY_FACILITY],
    ),
    "rehab_voluntary_community": ("t.category = %s AND t.status = %s", [STOCK, Status.VOLUNTARY_COMMUNITY]),
    "rehab_voluntary_facility": ("t.category = %s AND t.status = %s", [STOCK, Status.VOLUNTARY_FACILITY]),
    "rehab_compulsory": ("t.category = %s AND t.status = %s", [STOCK, Status.COMPULSORY]),
    "methadone": ("t.category = %s AND t.status = %s", [STOCK, Status.METHADONE]),
    "post_rehab": ("t.category = %s AND t.status = %s", [STOCK, Status.POST_REHAB]),
    "people_verifying": ("t.category = %s", [VERIFYING]),
    "people_expired": ("t.category = %s", [EXPIRED]),
}


def counts_on(commune_ids: Iterable[Any], days: Sequence[dt.date]) -> dict[dt.date, dict[int, dict[str, int]]]:
    """{day: {commune_id: {measure: n}}} of ``MEASURES`` on each day, in ONE grouped query: each
    span is bucketed by the sorted days it covers (first covered, first not covered) and summed per
    bucket; the few bucket rows are spread over the days here (difference arrays)."""
    ends = sorted(set(days))
    result: dict[dt.date, dict[int, dict[str, int]]] = {d: {} for d in ends}
    ids = _ids(commune_ids)
    if not ids or not ends:
        return result
    base_sql, base_params = (
        spans(ids)
        .filter(valid_from__lte=ends[-1])
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=ends[0]))
        .values("commune_id", "category", "status", "case_type", "whereabouts", "valid_from", "valid_to")
        .order_by()
        .query.sql_with_params()
    )
    adapt = connection.ops.adapt_datefield_value
    n = len(ends)
    b_from = "CASE " + " ".join(f"WHEN t0.valid_from <= %s THEN {k}" for k in range(n)) + f" ELSE {n} END"
    b_end = (
        f"CASE WHEN t0.valid_to IS NULL THEN {n} "
        + " ".join(f"WHEN t0.valid_to <= %s THEN {k}" for k in range(n))
        + f" ELSE {n} END"
    )
    codes = list(MEASURES)
    select, select_params = [], []
    for k, code in enumerate(codes):
        condition, params = MEASURES[code]
        select.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS c{k}")
        select_params += params
    sql = (
        f"SELECT t.commune_id, t.b_from, t.b_end, {', '.join(select)} FROM ("  # noqa: S608 - ORM SQL, params
        f"SELECT t0.*, {b_from} AS b_from, {b_end} AS b_end FROM ({base_sql}) t0"
        ") t WHERE t.b_from < t.b_end GROUP BY t.commune_id, t.b_from, t.b_end"
    )
    params = [*select_params, *[adapt(d) for d in ends], *[adapt(d) for d in ends], *base_params]
    width = len(codes)
    deltas: dict[int, list[list[int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            cid, first, stop = int(row[0]), int(row[1]), int(row[2])
            diff = deltas.get(cid)
            if diff is None:
                diff = deltas[cid] = [[0] * width for _ in range(n + 1)]
            for c in range(width):
                value = int(row[3 + c] or 0)
                diff[first][c] += value
                diff[stop][c] -= value
    for cid, diff in deltas.items():
        running = [0] * width
        for k, day in enumerate(ends):
            running = [a + b for a, b in zip(running, diff[k], strict=True)]
            result[day][cid] = dict(zip(codes, running, strict=True))
    return result


def counts_in_window(commune_ids: Iterable[Any], start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """{commune_id: (people, addicts)} counting in the stock on some day of [start, end]; an addict
    is a person who was one on some day of the window under management (ONE grouped query)."""
    rows = (
        spans(commune_ids)
        .filter(category=STOCK, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .values("commune_id")
        .annotate(
            total=Count("case_file_id", distinct=True),
            addicts=Count("case_file_id", distinct=True, filter=Q(case_type=CaseType.ADDICT)),
        )
        .order_by()
    )
    return {row["commune_id"]: (row["total"], row["addicts"]) for row in rows}


# --- on the map of the time (issue 10 §4) -------------------------------------------------------------

#: the row of a figure on a map of the time for the files whose old unit cannot be told
UNKNOWN_UNIT = None
UNKNOWN_UNIT_LABEL = "Không xác định được đơn vị cũ"


def counts_in_window_on_map(
    commune_ids: Iterable[Any], start: dt.date, end: dt.date, projection: Any
) -> dict[int | None, tuple[int, int]]:
    """``counts_in_window`` regrouped on the units of a map of the time: {unit of that map:
    (people, addicts)}, and ``UNKNOWN_UNIT`` (None) for the files whose old unit cannot be told.

    A file lies in the unit it was recorded under (``CaseFile.recorded_unit``, a commune of the
    map of its time) followed along the conversion to the asked map; without one, in the unit its
    current commune comes from when that is a single one (``areas.selectors.map_projection``).
    A current commune formed from several old ones cannot say which: those files are counted in
    the explicit unknown row, never in one of the old communes. ONE grouped query; a file has one
    commune and one recorded unit, so the distinct counts of the groups add up exactly."""
    rows = (
        spans(commune_ids)
        .filter(category=STOCK, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .values("commune_id", "case_file__recorded_unit_id")
        .annotate(
            total=Count("case_file_id", distinct=True),
            addicts=Count("case_file_id", distinct=True, filter=Q(case_type=CaseType.ADDICT)),
        )
        .order_by()
    )
    result: dict[int | None, tuple[int, int]] = {}
    for row in rows:
        recorded = row["case_file__recorded_unit_id"]
        unit = projection.of(recorded) if recorded else projection.of(row["commune_id"])
        people, addicts = result.get(unit, (0, 0))
        result[unit] = (people + row["total"], addicts + row["addicts"])
    return result
