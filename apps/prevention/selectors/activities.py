"""Reads of propaganda/education activities, the people they reached and their attachments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from apps.areas.models import AdministrativeUnit
from apps.core import filtering, scoping
from apps.core.collation import vi_order

from ..choices import HighRiskStatus
from ..models import Activity, ActivityAttachment, ActivityParticipation, ActivityReach, ActivityTopic, HighRiskPerson


@dataclass
class ActivityFilters(filtering.ListFilters, filtering.PeriodFilters):
    kind: str = ""
    topic: str = ""
    group: int | None = None


def activity_list(*, user, filters: ActivityFilters | None = None, action: str = "view") -> QuerySet[Activity]:
    filters = filters or ActivityFilters()
    qs = scoping.visible_to(Activity.objects.all(), user, action)
    # an activity spans days and communes: the rows overlapping the period, through the link table
    qs = filtering.filter_rows(
        qs,
        filters,
        exact={"kind": "kind", "group": "participations__group_id"},
        period=("date_to", "date_from"),
        commune=None,
    )
    if filters.commune:
        links = Activity.communes.through.objects.filter(administrativeunit_id=filters.commune)
        qs = qs.filter(pk__in=links.values("activity_id"))
    if filters.topic:
        qs = qs.filter(pk__in=ActivityTopic.objects.filter(topic=filters.topic).values("activity_id"))
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
