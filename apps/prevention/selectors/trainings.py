"""Reads of trainings."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from apps.core import filtering, scoping

from ..models import Training, TrainingParticipation


@dataclass
class TrainingFilters(filtering.PeriodFilters):
    q: str = ""
    unit: int | None = None


def training_list(*, user, filters: TrainingFilters | None = None, action: str = "view") -> QuerySet[Training]:
    filters = filters or TrainingFilters()
    qs = scoping.visible_to(Training.objects.all(), user, action)
    qs = filtering.filter_rows(qs, filters, period="held_on")
    if filters.unit:
        qs = qs.filter(pk__in=TrainingParticipation.objects.filter(unit_id=filters.unit).values("training_id"))
    return qs.prefetch_related(
        Prefetch("participations", queryset=TrainingParticipation.objects.select_related("unit"))
    ).order_by("-held_on", "-pk")


def training_get(*, user, pk: int, action: str = "view") -> Training:
    qs = Training.objects.select_related("created_by").prefetch_related(
        Prefetch("participations", queryset=TrainingParticipation.objects.select_related("unit"))
    )
    return scoping.get_visible_or_404(qs, user, action, pk=pk)
