"""Reads of tip-offs, their informant and the register records they link to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from apps.core import filtering, scoping

from ..choices import TipOffStatus
from ..models import Informant, TipOff


@dataclass
class TipOffFilters(filtering.ListFilters, filtering.PeriodFilters):
    channel: str = ""
    status: str = ""
    open_only: bool = False


def tipoff_list(*, user, filters: TipOffFilters | None = None, action: str = "view") -> QuerySet[TipOff]:
    """Tip-offs WITHOUT their informant (never joined, never prefetched here)."""
    filters = filters or TipOffFilters()
    qs = scoping.visible_to(TipOff.objects.all(), user, action)
    qs = filtering.filter_rows(qs, filters, exact=("channel", "status"), period="received_on")
    if not filters.status and filters.open_only:
        qs = qs.filter(status__in=[TipOffStatus.RECEIVED, TipOffStatus.VERIFYING])
    return qs.select_related("commune", "received_by").order_by("-received_on", "-pk")


def tipoff_get(*, user, pk: int, action: str = "view") -> TipOff:
    qs = TipOff.objects.select_related("commune", "received_by", "created_by")
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


def tipoff_has_informant(*, user, tip_off: TipOff) -> bool:
    """Whether an informant is recorded — asked only for users allowed to read it."""
    if not user.has_perm("prevention.view_informant"):
        return False
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
