"""Reads of the high-risk register and of its coverage (who was reached in a period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from apps.areas.models import AdministrativeUnit
from apps.core import filtering, scoping
from apps.core.collation import vi_key, vi_order

from ..choices import HighRiskStatus
from ..coverage import _reached_in, coverage_counts  # noqa: F401 - coverage_counts re-exported
from ..models import Activity, ActivityReach, HighRiskPerson


@dataclass
class HighRiskFilters(filtering.ListFilters):
    category: int | None = None
    status: str = HighRiskStatus.ACTIVE
    source: str = ""


def highrisk_list(*, user, filters: HighRiskFilters | None = None, action: str = "view") -> QuerySet[HighRiskPerson]:
    filters = filters or HighRiskFilters()
    qs = scoping.visible_to(HighRiskPerson.objects.all(), user, action)
    qs = filtering.filter_rows(qs, filters, exact={"category": "category_id", "status": "status", "source": "source"})
    return vi_order(
        qs.select_related("commune", "category").annotate(
            reach_count=Count("reaches"), last_reached=Max("reaches__activity__date_from")
        ),
        "commune__name",
        "full_name",
        "=pk",
    )


def highrisk_get(*, user, pk: int, action: str = "view") -> HighRiskPerson:
    qs = HighRiskPerson.objects.select_related("commune", "category", "person", "created_by")
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


def highrisk_history(*, user, person: HighRiskPerson) -> list[ActivityReach]:
    """The activities that reached this person (only activities the user may see)."""
    return list(
        ActivityReach.objects.filter(person=person, activity__in=scoping.visible_to(Activity.objects.all(), user))
        .select_related("activity")
        .order_by("-activity__date_from", "-pk")
    )


@dataclass
class Coverage:
    """Coverage of one commune's high-risk register over a period (Plan 63: 100% reached)."""

    commune: AdministrativeUnit
    start: dt.date
    end: dt.date
    reached: list[HighRiskPerson] = field(default_factory=list)
    not_reached: list[HighRiskPerson] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.reached) + len(self.not_reached)

    @property
    def reached_count(self) -> int:
        return len(self.reached)

    @property
    def ratio(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.reached_count) * 100 / Decimal(self.total)).quantize(Decimal("0.1"))


def coverage(*, user, commune: AdministrativeUnit | int, start: dt.date, end: dt.date) -> Coverage:
    """People of ``commune``'s register reached at least once in [start, end] (an activity
    overlapping the period recorded them) ÷ the people active in the register, with the list of
    those not reached yet — whom to visit next. 404 when the commune is not in the user's scope.
    Two queries whatever the size of the register."""
    commune_id = commune.pk if isinstance(commune, AdministrativeUnit) else commune
    try:
        unit = scoping.current_communes(user).get(pk=commune_id)
    except AdministrativeUnit.DoesNotExist as exc:
        raise Http404 from exc
    people = (
        scoping.visible_to(HighRiskPerson.objects.all(), user)
        .filter(commune=unit, status=HighRiskStatus.ACTIVE)
        .select_related("category")
        .annotate(
            reach_count=Count("reaches", filter=_reached_in(start, end)),
            last_reached=Max("reaches__activity__date_from", filter=_reached_in(start, end)),
            ever_reached=Max("reaches__activity__date_from"),
        )
        .order_by("village", "search_text", "pk")
    )
    result = Coverage(commune=unit, start=start, end=end)
    for person in people:
        (result.reached if person.reach_count else result.not_reached).append(person)
    return result


@dataclass
class CoverageRow:
    commune_id: int
    name: str
    total: int
    reached: int

    @property
    def ratio(self) -> Decimal | None:
        return (Decimal(self.reached) * 100 / Decimal(self.total)).quantize(Decimal("0.1")) if self.total else None


def coverage_by_commune(*, user, start: dt.date, end: dt.date) -> list[CoverageRow]:
    """The coverage of every commune in the user's scope (one query), lowest first."""
    rows = (
        scoping.visible_to(HighRiskPerson.objects.all(), user)
        .filter(status=HighRiskStatus.ACTIVE, commune__valid_to__isnull=True)
        .values("commune_id", "commune__full_name")
        .annotate(
            total=Count("pk", distinct=True),
            reached=Count("pk", filter=_reached_in(start, end), distinct=True),
        )
        .order_by("commune__full_name")
    )
    result = [CoverageRow(r["commune_id"], r["commune__full_name"], r["total"], r["reached"]) for r in rows]
    return sorted(result, key=lambda r: (r.ratio if r.ratio is not None else Decimal(101), vi_key(r.name)))
