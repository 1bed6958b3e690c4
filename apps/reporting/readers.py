"""The readers behind ``indicators.compute_many``: one grouped statement (or two) per register —
case files, hotspots, crime, cultivation, prevention, classification — filling the per-commune,
per-window counts of an ``Accumulator``. What each indicator counts is said in the docstring of
``apps.reporting.indicators``; who is counted comes from ``apps.cases.stocks``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q
from django.db.models import Value as SqlValue

from apps.cases import stocks
from apps.cases.choices import EventKind
from apps.cases.models import CaseEvent, CaseFile
from apps.classification import rules
from apps.classification.choices import AssessmentStatus
from apps.classification.models import Assessment, AssessmentResult
from apps.core.lookups import Ids
from apps.core.prepared import prepared
from apps.prevention.choices import HighRiskStatus
from apps.prevention.models import Activity, HighRiskPerson
from apps.registers import selectors as register_selectors
from apps.registers.choices import HotspotStatus
from apps.registers.models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange

from .catalogue import (
    INDICATORS,
    LEVEL_INDICATORS,
    Value,
)

RELAPSE_KINDS = (EventKind.RELAPSE, EventKind.REOPENED)
KINH_CODE = "01"


# --- helpers --------------------------------------------------------------------------------------


def id_list(commune_ids: Iterable[Any]) -> list[int]:
    return sorted({int(getattr(c, "pk", c)) for c in commune_ids})


def _date_param(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


class Accumulator:
    """Values per window per commune, started at zero for every computable indicator."""

    def __init__(self, ids: list[int], n: int, missing: dict[str, str]):
        self.ids = ids
        self.missing = missing
        self.data: list[dict[int, dict[str, Value]]] = [
            {cid: {code: (None if code in missing else d.zero()) for code, d in INDICATORS.items()} for cid in ids}
            for _ in range(n)
        ]
        #: totals of the non-additive indicators, per window
        self.totals: list[dict[str, Value]] = [{} for _ in range(n)]
        self.levels: list[dict[int, str]] = [dict.fromkeys(ids, "") for _ in range(n)]
        self.level_labels: list[dict[str, str]] = [{} for _ in range(n)]
        self.assessments: list[dict[str, Any] | None] = [None] * n

    def set(self, i: int, cid: int, code: str, value: Any) -> None:
        row = self.data[i].get(cid)
        if row is not None and value is not None:
            row[code] = INDICATORS[code].quantize(value)


def _span(windows: Sequence[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date]:
    return min(s for s, _e in windows), max(e for _s, e in windows)


def _in(field_name: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})


# --- the sources ----------------------------------------------------------------------------------


def people_stock(acc: Accumulator, ids: list[int], windows) -> None:
    """Stocks (and the verifying and expired figures) on each window's last day, as the one
    definition in ``apps.cases.stocks`` counts them: ONE grouped query for all windows."""
    per_day = stocks.counts_on(ids, [e for _s, e in windows])
    for i, (_s, e) in enumerate(windows):
        for cid, values in per_day[e].items():
            for code, n in values.items():
                acc.set(i, cid, code, n)


def window_source(qs, *, group: str | None, day: str, until: str | None = None, measures: Sequence[str | None]):
    """The rows ``_window_sums`` sums: ``qs`` with its group, day(s) and measures as columns."""
    aliases: dict[str, Any] = {"w_g": F(group) if group else SqlValue(1), "w_d0": F(day)}
    if until:
        aliases["w_d1"] = F(until)
    for k, column in enumerate(measures):
        if column:
            aliases[f"w_m{k}"] = F(column)
    return qs.annotate(**aliases).values(*aliases).order_by()


def _window_sums(
    qs,
    windows: Sequence[tuple[dt.date, dt.date]],
    *,
    group: str | None,
    day: str,
    until: str | None = None,
    measures: Sequence[str | None],
) -> dict[Any, list[list[Any]]]:
    """{group value: [[measure values] per window]} from ONE grouped query over ``qs``: each
    measure is COUNT of the rows (None) or SUM of a column, for the rows whose ``day`` lies in the
    window — or, with ``until``, whose [day, until] overlaps it. The conditional sums are written as
    SQL: as ORM expressions (measures × windows of them) they cost more to compile than to run."""
    try:
        if isinstance(qs, tuple):  # (sql, params) of ``window_source``, compiled already (``@prepared``)
            base_sql, base_params = qs
        else:
            base_sql, base_params = window_source(
                qs, group=group, day=day, until=until, measures=measures
            ).query.sql_with_params()
    except EmptyResultSet:  # an empty id list: nothing to count
        return {}
    select: list[str] = []
    params: list[Any] = []
    for start, end in windows:
        if until:
            condition, bounds = "t.w_d0 <= %s AND t.w_d1 >= %s", [_date_param(end), _date_param(start)]
        else:
            condition, bounds = "t.w_d0 >= %s AND t.w_d0 <= %s", [_date_param(start), _date_param(end)]
        for k, column in enumerate(measures):
            value = f"t.w_m{k}" if column else "1"
            select.append(f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)")
            params += bounds
    sql = f"SELECT t.w_g, {', '.join(select)} FROM ({base_sql}) t GROUP BY t.w_g"  # noqa: S608 - params
    width = len(measures)
    result: dict[Any, list[list[Any]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *base_params])
        for row in cursor.fetchall():
            values = row[1:]
            result[row[0]] = [list(values[i * width : (i + 1) * width]) for i in range(len(windows))]
    return result


def _sums_into(acc: Accumulator, qs, windows, measures: dict[str, str | None], **where) -> None:
    """``_window_sums`` of ``qs`` into the accumulator: ``measures`` maps each indicator code to
    what it sums (None: counts the rows); ``where`` is the grouping and the days (``_window_sums``).
    A window without rows of a commune counts 0."""
    codes = list(measures)
    for cid, per_window in _window_sums(qs, windows, measures=list(measures.values()), **where).items():
        for i, values in enumerate(per_window):
            for code, value in zip(codes, values, strict=True):
                acc.set(i, cid, code, value or 0)


def _counts_into(acc: Accumulator, qs, windows, code: str, *, group: str, count) -> None:
    """``count(start, end)`` (a filtered ``Count``) per window and ``group`` into ``code``: for the
    counts ``_window_sums`` cannot write (distinct ones)."""
    aggs = {f"n{i}": count(s, e) for i, (s, e) in enumerate(windows)}
    for row in qs.values(group).annotate(**aggs).order_by():
        for i in range(len(windows)):
            acc.set(i, row[group], code, row[f"n{i}"])


def people_new(acc: Accumulator, ids, windows) -> None:
    lo, hi = _span(windows)
    files = CaseFile.objects.filter(
        commune_id__in_ids=Ids(ids), transferred_from__isnull=True, detected_on__gte=lo, detected_on__lte=hi
    )
    _sums_into(acc, files, windows, {"people_new": None}, group="commune_id", day="detected_on")


def relapses(acc: Accumulator, ids, windows) -> None:
    lo, hi = _span(windows)
    events = CaseEvent.objects.filter(
        case_file__commune_id__in_ids=Ids(ids),
        kind__in=RELAPSE_KINDS,
        event_date__gte=lo,
        event_date__lte=hi,
        voided_at__isnull=True,  # a relapse recorded by mistake and voided is not a relapse
    )
    _sums_into(acc, events, windows, {"relapses": None}, group="case_file__commune_id", day="event_date")


def hotspots(acc: Accumulator, ids, windows) -> None:
    for i, counts in enumerate(register_selectors.hotspots_active_many(ids, windows)):
        for cid, n in counts.items():
            acc.set(i, cid, "hotspots_active", n)
    lo, hi = _span(windows)
    _counts_into(
        acc,
        Hotspot.objects.filter(commune_id__in_ids=Ids(ids), discovered_on__gte=lo, discovered_on__lte=hi),
        windows,
        "hotspots_new",
        group="commune_id",
        count=lambda s, e: Count("pk", filter=_in("discovered_on", s, e)),
    )
    _counts_into(
        acc,
        HotspotStatusChange.objects.filter(
            hotspot__commune_id__in_ids=Ids(ids),
            to_status=HotspotStatus.ELIMINATED,
            changed_on__gte=lo,
            changed_on__lte=hi,
        ),
        windows,
        "hotspots_eliminated",
        group="hotspot__commune_id",
        # a point eliminated, reopened and eliminated again in one window counts once
        count=lambda s, e: Count("hotspot_id", distinct=True, filter=_in("changed_on", s, e)),
    )


_CRIME_SUMS = {
    "crime_offenders": "offenders_count",
    "seized_heroin_g": "heroin_g",
    "seized_synthetic_g": "synthetic_g",
    "seized_synthetic_tablets": "synthetic_tablets",
    "seized_cannabis_g": "cannabis_g",
    "seized_other_g": "other_g",
}


def crime(acc: Accumulator, ids, windows) -> None:
    lo, hi = _span(windows)
    cases = CrimeCase.objects.filter(commune_id__in_ids=Ids(ids), occurred_on__gte=lo, occurred_on__lte=hi)
    _sums_into(acc, cases, windows, {"crime_cases": None, **_CRIME_SUMS}, group="commune_id", day="occurred_on")


def cultivation(acc: Accumulator, ids, windows) -> None:
    lo, hi = _span(windows)
    finds = Cultivation.objects.filter(commune_id__in_ids=Ids(ids), destroyed=True, found_on__gte=lo, found_on__lte=hi)
    measures = {"cultivation_finds": None, "plants_destroyed": "plants", "plant_area_m2": "area_m2"}
    _sums_into(acc, finds, windows, measures, group="commune_id", day="found_on")


def _overlaps(prefix: str, start: dt.date, end: dt.date) -> Q:
    """An activity counts for a window when its dates overlap it (as prevention's coverage)."""
    return Q(**{f"{prefix}date_from__lte": end, f"{prefix}date_to__gte": start})


def _activity_communes() -> tuple[type, str]:
    """The activity ↔ commune link table and the name of its commune column."""
    through = Activity.communes.through
    unit_field = next(
        f.name
        for f in through._meta.get_fields()
        if getattr(f, "related_model", None) is not Activity and f.is_relation
    )
    return through, unit_field


def prevention(acc: Accumulator, ids, windows) -> None:
    lo, hi = _span(windows)
    through, unit_field = _activity_communes()
    links = through.objects.filter(
        **{f"{unit_field}_id__in_ids": Ids(ids)}, activity__date_from__lte=hi, activity__date_to__gte=lo
    )
    measures = {
        "activities": None,
        "activity_sessions": "activity__sessions",
        "activity_participants": "activity__participants_total",
    }
    _sums_into(
        acc, links, windows, measures, group=f"{unit_field}_id", day="activity__date_from", until="activity__date_to"
    )
    for i, totals in enumerate(shared_totals(commune_ids=ids, windows=windows)):
        acc.totals[i].update(totals)
    # Coverage of the high-risk register.
    aggs = {"registered": Count("pk", distinct=True)}
    for i, (s, e) in enumerate(windows):
        aggs[f"reached__{i}"] = Count("pk", distinct=True, filter=_overlaps("reaches__activity__", s, e))
    rows = (
        HighRiskPerson.objects.filter(commune_id__in_ids=Ids(ids), status=HighRiskStatus.ACTIVE)
        .values("commune_id")
        .annotate(**aggs)
        .order_by()
    )
    for row in rows:
        for i in range(len(windows)):
            acc.set(i, row["commune_id"], "highrisk_registered", row["registered"])
            acc.set(i, row["commune_id"], "highrisk_reached", row[f"reached__{i}"])


_SHARED_MEASURES = (None, "sessions", "participants_total")


@prepared
def _shared_activities(*, ids: Ids, lo: dt.date, hi: dt.date):
    through, unit_field = _activity_communes()
    activities = Activity.objects.filter(
        pk__in=through.objects.filter(**{f"{unit_field}_id__in_ids": ids}).values("activity_id"),
        date_from__lte=hi,
        date_to__gte=lo,
    )
    return window_source(activities, group=None, day="date_from", until="date_to", measures=_SHARED_MEASURES)


def shared_totals(*, commune_ids: Iterable[Any], windows: Sequence[tuple[dt.date, dt.date]]) -> list[dict[str, Value]]:
    """Totals of the non-additive indicators over these communes, per window: each activity once,
    however many of the communes it covered (ONE query)."""

    lo, hi = _span(windows)
    codes = ["activities", "activity_sessions", "activity_participants"]
    result: list[dict[str, Value]] = [dict.fromkeys(codes, 0) for _w in windows]
    try:
        source = _shared_activities.sql(ids=Ids(id_list(commune_ids)), lo=lo, hi=hi)
    except EmptyResultSet:  # no commune (off PostgreSQL): nothing to count
        return result
    sums = _window_sums(source, windows, group=None, day="date_from", until="date_to", measures=_SHARED_MEASURES)
    for per_window in sums.values():
        for i, values in enumerate(per_window):
            result[i] = {code: int(value or 0) for code, value in zip(codes, values, strict=True)}
    return result


def classification(acc: Accumulator, ids, windows) -> None:
    years = [e.year for _s, e in windows]
    approved = list(
        Assessment.objects.filter(status=AssessmentStatus.APPROVED, year__lte=max(years))
        .order_by("-year", "-approved_at", "-pk")
        .values("pk", "year", "ruleset_snapshot", "rule_set__code")
    )
    chosen: list[dict[str, Any] | None] = [next((a for a in approved if a["year"] <= y), None) for y in years]
    wanted = {a["pk"] for a in chosen if a}
    results: dict[int, dict[int, str]] = defaultdict(dict)
    if wanted:
        rows = AssessmentResult.objects.filter(assessment_id__in=wanted, commune_id__in_ids=Ids(ids)).values_list(
            "assessment_id", "commune_id", "final_level"
        )
        for assessment_id, cid, level in rows:
            results[assessment_id][cid] = level
    specs: dict[int, Any] = {}
    for i, assessment in enumerate(chosen):
        labels = {"": INDICATORS["class_none"].label_vi}
        if assessment is not None:
            spec = specs.get(assessment["pk"])
            if spec is None:
                spec = specs[assessment["pk"]] = rules.spec_from_dict(assessment["ruleset_snapshot"])
            acc.assessments[i] = {
                "id": assessment["pk"],
                "year": assessment["year"],
                "rule_set": assessment["rule_set__code"],
            }
            by_commune = results.get(assessment["pk"], {})
        else:
            spec, by_commune = None, {}
        for cid in ids:
            level = by_commune.get(cid, "")
            acc.levels[i][cid] = level
            if level and level not in labels:
                labels[level] = spec.label_for(level) if spec else level
            code = LEVEL_INDICATORS.get(level, "class_undetermined") if level else "class_none"
            acc.set(i, cid, code, 1)
        acc.level_labels[i] = labels
