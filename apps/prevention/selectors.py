"""Reads of the prevention app. Every selector starts from the scoped queryset.

Activities and trainings belong to several units (many-to-many); ``scoping.visible_to`` filters
such models through a ``pk__in`` subquery, so each record comes back once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.collation import vi_key, vi_order
from apps.core.dates import today
from apps.core.text import normalize

from .choices import HighRiskStatus, TipOffStatus
from .models import (
    Activity,
    ActivityAttachment,
    ActivityReach,
    ActivityTopic,
    AudienceGroup,
    HighRiskPerson,
    ModelPoint,
    ModelPointEvaluation,
    Target,
    TipOff,
    Training,
    TrainingParticipation,
)


def search_q(text: str, field_name: str = "search_text") -> Q:
    """Every word must appear (any order), diacritics and case ignored."""
    q = Q()
    for token in normalize(text).split():
        q &= Q(**{f"{field_name}__contains": token})
    return q


def current_commune_ids(user) -> list[int]:
    return list(scoping.current_communes(user).values_list("pk", flat=True))


def is_province_wide(user) -> bool:
    area = getattr(user, "area", None)
    return bool(user.is_superuser or (area is not None and area.level == "province" and area.valid_to is None))


def audience_groups() -> list[AudienceGroup]:
    return list(AudienceGroup.objects.all())


# --- activities --------------------------------------------------------------------------------------


@dataclass
class ActivityFilters:
    q: str = ""
    commune: int | None = None
    kind: str = ""
    topic: str = ""
    group: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def activity_list(*, user, filters: ActivityFilters | None = None, action: str = "view") -> QuerySet[Activity]:
    filters = filters or ActivityFilters()
    qs = scoping.visible_to(Activity.objects.all(), user, action)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.commune:
        links = Activity.communes.through.objects.filter(administrativeunit_id=filters.commune)
        qs = qs.filter(pk__in=links.values("activity_id"))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.topic:
        qs = qs.filter(pk__in=ActivityTopic.objects.filter(topic=filters.topic).values("activity_id"))
    if filters.group:
        qs = qs.filter(participations__group_id=filters.group)
    if filters.date_from:
        qs = qs.filter(date_to__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date_from__lte=filters.date_to)
    return (
        qs.select_related("reporting_officer")
        .prefetch_related(
            Prefetch("communes", queryset=vi_order(AdministrativeUnit.objects.all(), "name")),
            "topics",
            Prefetch("participations", queryset=_participations()),
        )
        .annotate(reach_count=Count("reaches", distinct=True))
        .order_by("-date_from", "-pk")
    )


def _participations():
    from .models import ActivityParticipation

    return ActivityParticipation.objects.select_related("group").order_by("group__order")


def activity_get(*, user, pk: int, action: str = "view") -> Activity:
    qs = Activity.objects.select_related("reporting_officer", "created_by").prefetch_related(
        Prefetch("communes", queryset=vi_order(AdministrativeUnit.objects.all(), "name")),
        "topics",
        Prefetch("participations", queryset=_participations()),
        Prefetch("attachments", queryset=ActivityAttachment.objects.select_related("uploaded_by")),
    )
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


def activity_fully_in_scope(user, activity: Activity) -> bool:
    """May the user edit the shared data of this activity? Only when every commune it covers is
    theirs: an officer of one commune must not rewrite a record another commune also reports."""
    return not scoping.units_outside_scope(user, [c.pk for c in activity.communes.all()])


@dataclass
class ActivityReaches:
    visible: list[ActivityReach]
    total: int


def activity_reaches(*, user, activity: Activity) -> ActivityReaches:
    """The registered people this activity reached that the user may see, and the total count
    (people of other communes are counted, never named)."""
    base = ActivityReach.objects.filter(activity=activity)
    visible = list(
        vi_order(
            base.filter(person__in=scoping.visible_to(HighRiskPerson.objects.all(), user)).select_related(
                "person", "person__commune", "person__category"
            ),
            "person__commune__name",
            "person__full_name",
        )
    )
    return ActivityReaches(visible=visible, total=base.count())


def reach_candidates(*, user, commune_ids, include_ids=()) -> QuerySet[HighRiskPerson]:
    """People an activity of these communes may record as reached: active people of the register
    of those communes that the user may see (plus those already recorded, whatever their status)."""
    qs = scoping.visible_to(HighRiskPerson.objects.all(), user).filter(commune_id__in=list(commune_ids))
    return vi_order(
        qs.filter(Q(status=HighRiskStatus.ACTIVE) | Q(pk__in=list(include_ids))).select_related("commune", "category"),
        "commune__name",
        "full_name",
        "=pk",
    )


def attachment_get(*, user, pk: int) -> ActivityAttachment:
    """An attachment of an activity the user may see (the activity's permission and scope decide)."""
    try:
        return ActivityAttachment.objects.select_related("activity").get(
            pk=pk, activity__in=scoping.visible_to(Activity.objects.all(), user)
        )
    except ActivityAttachment.DoesNotExist as exc:
        raise Http404 from exc


# --- high-risk register --------------------------------------------------------------------------


@dataclass
class HighRiskFilters:
    q: str = ""
    commune: int | None = None
    category: int | None = None
    status: str = HighRiskStatus.ACTIVE
    source: str = ""


def highrisk_list(*, user, filters: HighRiskFilters | None = None, action: str = "view") -> QuerySet[HighRiskPerson]:
    filters = filters or HighRiskFilters()
    qs = scoping.visible_to(HighRiskPerson.objects.all(), user, action)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.commune:
        qs = qs.filter(commune_id=filters.commune)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(source=filters.source)
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


# --- coverage ----------------------------------------------------------------------------------------


def _reached_in(start: dt.date, end: dt.date, prefix: str = "reaches__") -> Q:
    """A reach counts for a period when its activity overlaps the period."""
    return Q(**{f"{prefix}activity__date_from__lte": end, f"{prefix}activity__date_to__gte": start})


def coverage_counts(*, commune_ids, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(active people, of whom reached in [start, end]) over these communes. The caller scopes
    ``commune_ids``. One query."""
    row = HighRiskPerson.objects.filter(commune_id__in=list(commune_ids), status=HighRiskStatus.ACTIVE).aggregate(
        total=Count("pk", distinct=True),
        reached=Count("pk", filter=_reached_in(start, end), distinct=True),
    )
    return row["total"], row["reached"]


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


# --- trainings, model points, tip-offs ----------------------------------------------------------------


@dataclass
class TrainingFilters:
    q: str = ""
    unit: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def training_list(*, user, filters: TrainingFilters | None = None, action: str = "view") -> QuerySet[Training]:
    filters = filters or TrainingFilters()
    qs = scoping.visible_to(Training.objects.all(), user, action)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.unit:
        qs = qs.filter(pk__in=TrainingParticipation.objects.filter(unit_id=filters.unit).values("training_id"))
    if filters.date_from:
        qs = qs.filter(held_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(held_on__lte=filters.date_to)
    return qs.prefetch_related(
        Prefetch("participations", queryset=TrainingParticipation.objects.select_related("unit"))
    ).order_by("-held_on", "-pk")


def training_get(*, user, pk: int, action: str = "view") -> Training:
    qs = Training.objects.select_related("created_by").prefetch_related(
        Prefetch("participations", queryset=TrainingParticipation.objects.select_related("unit"))
    )
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


@dataclass
class ModelPointFilters:
    q: str = ""
    commune: int | None = None
    active_only: bool = False


def modelpoint_list(*, user, filters: ModelPointFilters | None = None, action: str = "view") -> QuerySet[ModelPoint]:
    filters = filters or ModelPointFilters()
    qs = scoping.visible_to(ModelPoint.objects.all(), user, action)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.commune:
        qs = qs.filter(commune_id=filters.commune)
    if filters.active_only:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today()))
    return vi_order(
        qs.select_related("commune").prefetch_related(
            Prefetch("evaluations", queryset=ModelPointEvaluation.objects.order_by("-year"))
        ),
        "commune__name",
        "name",
        "=pk",
    )


def modelpoint_get(*, user, pk: int, action: str = "view") -> ModelPoint:
    qs = ModelPoint.objects.select_related("commune").prefetch_related(
        Prefetch("evaluations", queryset=ModelPointEvaluation.objects.select_related("evaluated_by"))
    )
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


@dataclass
class TipOffFilters:
    q: str = ""
    commune: int | None = None
    channel: str = ""
    status: str = ""
    open_only: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def tipoff_list(*, user, filters: TipOffFilters | None = None, action: str = "view") -> QuerySet[TipOff]:
    """Tip-offs WITHOUT their informant (never joined, never prefetched here)."""
    filters = filters or TipOffFilters()
    qs = scoping.visible_to(TipOff.objects.all(), user, action)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.commune:
        qs = qs.filter(commune_id=filters.commune)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.status:
        qs = qs.filter(status=filters.status)
    elif filters.open_only:
        qs = qs.filter(status__in=[TipOffStatus.RECEIVED, TipOffStatus.VERIFYING])
    if filters.date_from:
        qs = qs.filter(received_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(received_on__lte=filters.date_to)
    return qs.select_related("commune", "received_by").order_by("-received_on", "-pk")


def tipoff_get(*, user, pk: int, action: str = "view") -> TipOff:
    qs = TipOff.objects.select_related("commune", "received_by", "created_by")
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


def tipoff_has_informant(*, user, tip_off: TipOff) -> bool:
    """Whether an informant is recorded — asked only for users allowed to read it."""
    if not user.has_perm("prevention.view_informant"):
        return False
    from .models import Informant

    return Informant.objects.filter(tip_off=tip_off).exists()


def register_links(*, user, tip_off: TipOff) -> dict[str, dict]:
    """The registers records a tip-off names, when the user may see them:
    {"crime_case": {"id", "label", "url"}, "hotspot": {...}}."""
    from django.apps import apps as django_apps
    from django.urls import reverse

    links: dict[str, dict] = {}
    for key, model_name, url_name, pk in (
        ("crime_case", "CrimeCase", "registers:crimecase_detail", tip_off.crime_case_id),
        ("hotspot", "Hotspot", "registers:hotspot_detail", tip_off.hotspot_id),
    ):
        if not pk:
            continue
        model = django_apps.get_model("registers", model_name)
        obj = scoping.visible_to(model.objects.all(), user).filter(pk=pk).first()
        if obj is None:
            links[key] = {"id": pk, "label": "", "url": ""}
            continue
        links[key] = {"id": pk, "label": str(obj), "url": reverse(url_name, args=[pk])}
    return links


# --- targets -----------------------------------------------------------------------------------------


@dataclass
class TargetBoard:
    rows: list
    on: dt.date
    scope_label: str
    commune_count: int


def target_board(*, user, on: dt.date | None = None) -> TargetBoard:
    """Every active target, its current value over the user's scope and its status on ``on``."""
    from . import targets

    on = on or today()
    commune_ids = current_commune_ids(user)
    province_wide = is_province_wide(user)
    rows = [
        targets.evaluate_target(target, commune_ids=commune_ids, on=on, province_wide=province_wide)
        for target in Target.objects.filter(active=True).order_by("order", "code")
    ]
    area = getattr(user, "area", None)
    label = area.full_name if area is not None else "Toàn hệ thống"
    return TargetBoard(rows=rows, on=on, scope_label=label, commune_count=len(commune_ids))


# --- hub ---------------------------------------------------------------------------------------------


def prevention_summary(*, user, year: int | None = None) -> dict[str, int | Decimal | None]:
    """Key figures of the year for the hub page (each a single aggregate query)."""
    year = year or today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    activities = scoping.visible_to(Activity.objects.all(), user).filter(date_from__lte=end, date_to__gte=start)
    row = activities.aggregate(count=Count("pk"), sessions=Sum("sessions"), participants=Sum("participants_total"))
    summary: dict[str, int | Decimal | None] = {
        "year": year,
        "activities": row["count"],
        "sessions": row["sessions"] or 0,
        "participants": row["participants"] or 0,
    }
    if scoping.has_action(user, HighRiskPerson, "view"):
        total, reached = coverage_counts(commune_ids=current_commune_ids(user), start=start, end=end)
        summary.update(high_risk=total, reached=reached)
        summary["coverage"] = (Decimal(reached) * 100 / Decimal(total)).quantize(Decimal("0.1")) if total else None
    if scoping.has_action(user, TipOff, "view"):
        summary["open_tipoffs"] = (
            scoping.visible_to(TipOff.objects.all(), user)
            .filter(status__in=[TipOffStatus.RECEIVED, TipOffStatus.VERIFYING])
            .count()
        )
    return summary
