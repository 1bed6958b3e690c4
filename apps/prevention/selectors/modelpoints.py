"""Reads of model points."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from apps.core import filtering, scoping
from apps.core.collation import vi_order
from apps.core.dates import today

from ..models import ModelPoint, ModelPointEvaluation


@dataclass
class ModelPointFilters(filtering.ListFilters):
    active_only: bool = False


def modelpoint_list(*, user, filters: ModelPointFilters | None = None, action: str = "view") -> QuerySet[ModelPoint]:
    filters = filters or ModelPointFilters()
    qs = scoping.visible_to(ModelPoint.objects.all(), user, action)
    qs = filtering.filter_rows(qs, filters)
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
