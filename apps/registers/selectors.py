"""Reads on the registers.

Lists and pages start from ``scoping.visible_to`` and fetch their relations up front, so a list
costs the same number of queries for 3 rows or 300. The period aggregates at the bottom are the
building blocks of the commune classification: each is ONE query grouped by commune and is not
user-scoped (the caller decides which communes it asks about, after its own scope check).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.areas.models import AdministrativeUnit
from apps.cases.models import CaseFile
from apps.core import filtering, scoping
from apps.core.collation import vi_collate

from .choices import HotspotStatus
from .models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange, Offender

HOTSPOT_SORTS = {
    "-updated": ("-updated_at", "-pk"),
    # Vietnamese alphabetical order (apps/core/collation.py), not the unaccented key.
    "name": (vi_collate("name").asc(), "pk"),
    "-name": (vi_collate("name").desc(), "-pk"),
    "discovered": ("discovered_on", "pk"),
    "-discovered": ("-discovered_on", "-pk"),
    "status": ("status", vi_collate("name").asc(), "pk"),
}
CRIMECASE_SORTS = {
    "-occurred": ("-occurred_on", "-pk"),
    "occurred": ("occurred_on", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "number": ("number",),
    "-number": ("-number",),
    "-offenders": ("-offenders_count", "-occurred_on", "-pk"),
}
CULTIVATION_SORTS = {
    "-found": ("-found_on", "-pk"),
    "found": ("found_on", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "-plants": ("-plants", "-pk"),
    "-area": ("-area_m2", "-pk"),
}


# --- hotspots ------------------------------------------------------------------------------------


@dataclass
class HotspotFilters(filtering.ListFilters):
    kind: str = ""
    status: str = ""
    #: only hotspots not eliminated (active, under surveillance, re-emerged)
    open_only: bool = False
    sort: str = "-updated"


def hotspot_list(*, user, filters: HotspotFilters | None = None, action: str = "view") -> QuerySet[Hotspot]:
    filters = filters or HotspotFilters()
    qs = scoping.visible_to(Hotspot.objects.all(), user, action).select_related("commune", "recorded_unit")
    qs = filtering.filter_rows(qs, filters, exact=("kind", "status"))
    if not filters.status and filters.open_only:
        qs = qs.exclude(status=HotspotStatus.ELIMINATED)
    return qs.order_by(*HOTSPOT_SORTS.get(filters.sort, HOTSPOT_SORTS["-updated"]))


def hotspot_get(*, user, pk: int, action: str = "view") -> Hotspot:
    """One hotspot in the user's scope with its history (404 otherwise)."""
    qs = Hotspot.objects.select_related("commune", "recorded_unit", "recorded_unit__parent", "created_by")
    qs = qs.prefetch_related(
        Prefetch(
            "status_changes",
            queryset=HotspotStatusChange.objects.select_related("changed_by").order_by("-changed_on", "-pk"),
        )
    )
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


def hotspot_linked_cases(*, user, hotspot: Hotspot) -> list:
    """The linked case files the user may open (none without the case-file role)."""
    return list(scoping.visible_to(hotspot.linked_cases.all(), user).select_related("person").order_by("file_number"))


# --- crime cases -------------------------------------------------------------------------------


@dataclass
class CrimeCaseFilters(filtering.ListFilters, filtering.PeriodFilters):
    article: str = ""
    stage: str = ""
    sort: str = "-occurred"


def crime_case_list(*, user, filters: CrimeCaseFilters | None = None, action: str = "view") -> QuerySet[CrimeCase]:
    filters = filters or CrimeCaseFilters()
    qs = scoping.visible_to(CrimeCase.objects.all(), user, action).select_related("commune", "recorded_unit")
    qs = filtering.filter_rows(qs, filters, exact=("article", "stage"), period="occurred_on")
    return qs.order_by(*CRIMECASE_SORTS.get(filters.sort, CRIMECASE_SORTS["-occurred"]))


def crime_case_get(*, user, pk: int, action: str = "view") -> CrimeCase:
    qs = CrimeCase.objects.select_related("commune", "recorded_unit", "recorded_unit__parent", "created_by")
    qs = qs.prefetch_related(Prefetch("offenders", queryset=Offender.objects.select_related("person").order_by("pk")))
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


def offender_case_files(*, user, crime_case: CrimeCase) -> dict[int, int]:
    """person id → a case file of that person the user may open (for links on the case page)."""
    people = [o.person_id for o in crime_case.offenders.all() if o.person_id]
    if not people:
        return {}
    rows = scoping.visible_to(CaseFile.objects.filter(person_id__in=people), user).values_list("person_id", "pk")
    return {person: pk for person, pk in rows.order_by("-pk")}


# --- cultivation ---------------------------------------------------------------------------------


@dataclass
class CultivationFilters(filtering.ListFilters, filtering.PeriodFilters):
    species: str = ""
    #: "" any, "1" destroyed, "0" not destroyed (yet)
    destroyed: str = ""
    sort: str = "-found"


def cultivation_list(
    *, user, filters: CultivationFilters | None = None, action: str = "view"
) -> QuerySet[Cultivation]:
    filters = filters or CultivationFilters()
    qs = scoping.visible_to(Cultivation.objects.all(), user, action).select_related("commune", "recorded_unit")
    qs = filtering.filter_rows(qs, filters, exact=("species",), period="found_on")
    if filters.destroyed in ("0", "1"):
        qs = qs.filter(destroyed=filters.destroyed == "1")
    return qs.order_by(*CULTIVATION_SORTS.get(filters.sort, CULTIVATION_SORTS["-found"]))


def cultivation_get(*, user, pk: int, action: str = "view") -> Cultivation:
    qs = Cultivation.objects.select_related("commune", "recorded_unit", "recorded_unit__parent", "created_by")
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


# --- period aggregates (classification) -------------------------------------------------------


def _communes_q(communes: QuerySet | Iterable[Any]) -> Q:
    """``commune_id IN (…)`` from a queryset of units (a subquery, no extra query), a queryset of
    ids, or an iterable of units or ids."""
    if isinstance(communes, QuerySet):
        if communes.model is AdministrativeUnit and not communes._fields:
            return Q(commune_id__in=communes.values("pk"))
        return Q(commune_id__in=communes)
    return Q(commune_id__in_ids=[c.pk if isinstance(c, models.Model) else int(c) for c in communes])


def hotspots_active_between(
    communes: QuerySet | Iterable[Any],
    start: dt.date,
    end: dt.date,
    kinds: Iterable[str] | None = None,
    by_recorded_unit: bool = False,
) -> dict[int, int]:
    """{commune id: number of hotspots active at any time in [start, end]} — one query.
    ``by_recorded_unit``: keyed by the unit as recorded (a former commune) when there is one, else
    the commune, so a figure on the map of the time puts each record in its old unit.

    Active means discovered on or before ``end`` and not eliminated before ``start``
    (``eliminated_on`` null or ≥ ``start``). A hotspot that was eliminated before ``start`` and
    re-emerged later has no ``eliminated_on`` any more; its status history is read too, so it is
    not counted for a period it spent entirely eliminated (last status before ``start`` is
    "eliminated" and no status change inside the period). ``kinds`` restricts to
    ``HotspotKind`` values (criterion b of QĐ 28/2025 counts ``harbouring`` places).
    Communes without hotspots are absent from the database answer; the result reads them as 0.
    """
    changes = HotspotStatusChange.objects.filter(hotspot=OuterRef("pk"))
    qs = (
        Hotspot.objects.filter(_communes_q(communes), discovered_on__lte=end)
        .filter(Q(eliminated_on__isnull=True) | Q(eliminated_on__gte=start))
        .alias(
            # "" when there is no history before the period (never NULL, so the negation is safe)
            status_before=Coalesce(
                Subquery(changes.filter(changed_on__lt=start).order_by("-changed_on", "-pk").values("to_status")[:1]),
                Value(""),
            ),
            changed_within=Exists(changes.filter(changed_on__gte=start, changed_on__lte=end)),
        )
        .filter(~Q(status_before=HotspotStatus.ELIMINATED) | Q(changed_within=True))
    )
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    result: dict[int, int] = defaultdict(int)
    key = _unit_key(by_recorded_unit)
    for commune_id, n in qs.order_by().annotate(k=key).values("k").annotate(n=Count("pk")).values_list("k", "n"):
        result[commune_id] = n
    return result


def _unit_key(by_recorded_unit: bool):
    return Coalesce(F("recorded_unit_id"), F("commune_id")) if by_recorded_unit else F("commune_id")


def hotspots_active_many(
    communes: QuerySet | Iterable[Any], windows: Sequence[tuple[dt.date, dt.date]]
) -> list[dict[int, int]]:
    """``hotspots_active_between`` for several windows at once, from two queries (the hotspots and
    their status history, read once, the rule applied per window in Python): what a dashboard
    needs for its trend without compiling one query per window."""
    if not windows:
        return []
    hi = max(e for _s, e in windows)
    found = Hotspot.objects.filter(_communes_q(communes), discovered_on__lte=hi)
    hotspots = list(found.values_list("pk", "commune_id", "discovered_on", "eliminated_on"))
    history: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    if hotspots:
        for hotspot_id, changed_on, to_status in (
            HotspotStatusChange.objects.filter(hotspot__in=found.values("pk"), changed_on__lte=hi)
            .order_by("changed_on", "pk")
            .values_list("hotspot_id", "changed_on", "to_status")
        ):
            history[hotspot_id].append((changed_on, to_status))
    results: list[dict[int, int]] = []
    for start, end in windows:
        counts: dict[int, int] = defaultdict(int)
        for pk, commune_id, discovered_on, eliminated_on in hotspots:
            if discovered_on > end or (eliminated_on is not None and eliminated_on < start):
                continue
            changes = history.get(pk, ())
            before = [status for day, status in changes if day < start]
            within = any(start <= day <= end for day, _status in changes)
            if before and before[-1] == HotspotStatus.ELIMINATED and not within:
                continue
            counts[commune_id] += 1
        results.append(counts)
    return results


_CRIME_SUMS = ("heroin_g", "synthetic_g", "cannabis_g", "other_g", "synthetic_tablets")


def _zero_crime() -> dict[str, Any]:
    return {
        "cases": 0,
        "offenders": 0,
        "heroin_g": Decimal("0.000"),
        "synthetic_g": Decimal("0.000"),
        "cannabis_g": Decimal("0.000"),
        "other_g": Decimal("0.000"),
        "synthetic_tablets": 0,
    }


def crime_totals_between(
    communes: QuerySet | Iterable[Any],
    start: dt.date,
    end: dt.date,
    articles: Iterable[str] | None = None,
    by_recorded_unit: bool = False,
) -> dict[int, dict[str, Any]]:
    """{commune id: {"cases", "offenders" (arrested: Σ offenders_count), "heroin_g", "synthetic_g",
    "cannabis_g", "other_g" (Decimal grams), "synthetic_tablets"}} for the cases that occurred in
    [start, end] — one query. Missing communes read as all zeros."""
    qs = CrimeCase.objects.filter(_communes_q(communes), occurred_on__gte=start, occurred_on__lte=end)
    if articles:
        qs = qs.filter(article__in=list(articles))
    sums = {f"total_{name}": Sum(name) for name in _CRIME_SUMS}
    rows = (
        qs.order_by()
        .annotate(k=_unit_key(by_recorded_unit))
        .values("k")
        .annotate(n_cases=Count("pk"), n_offenders=Sum("offenders_count"), **sums)
    )
    result: dict[int, dict[str, Any]] = defaultdict(_zero_crime)
    for row in rows:
        totals = _zero_crime()
        totals["cases"], totals["offenders"] = row["n_cases"], row["n_offenders"] or 0
        for name in _CRIME_SUMS:
            value = row[f"total_{name}"]
            if value is not None:
                totals[name] = int(value) if name == "synthetic_tablets" else Decimal(value).quantize(Decimal("0.001"))
        result[row["k"]] = totals
    return result


def _zero_cultivation() -> dict[str, Any]:
    return {"finds": 0, "plants": 0, "area_m2": Decimal("0.00")}


def cultivation_totals_between(
    communes: QuerySet | Iterable[Any],
    start: dt.date,
    end: dt.date,
    species: Iterable[str] | None = None,
    destroyed_only: bool = False,
    by_recorded_unit: bool = False,
) -> dict[int, dict[str, Any]]:
    """{commune id: {"finds", "plants", "area_m2" (Decimal)}} for finds in [start, end] — one query.
    Criterion d of QĐ 28/2025 counts plants found and destroyed: pass ``destroyed_only=True``."""
    qs = Cultivation.objects.filter(_communes_q(communes), found_on__gte=start, found_on__lte=end)
    if species:
        qs = qs.filter(species__in=list(species))
    if destroyed_only:
        qs = qs.filter(destroyed=True)
    rows = (
        qs.order_by()
        .annotate(k=_unit_key(by_recorded_unit))
        .values("k")
        .annotate(
            n_finds=Count("pk"),
            total_plants=Coalesce(Sum("plants"), 0),
            total_area=Sum("area_m2"),
        )
    )
    result: dict[int, dict[str, Any]] = defaultdict(_zero_cultivation)
    for row in rows:
        area = row["total_area"]
        result[row["k"]] = {
            "finds": row["n_finds"],
            "plants": int(row["total_plants"]),
            "area_m2": Decimal("0.00") if area is None else Decimal(area).quantize(Decimal("0.01")),
        }
    return result
