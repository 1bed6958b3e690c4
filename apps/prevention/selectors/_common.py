"""Helpers every prevention read shares: the word search, the reader's current communes."""

from __future__ import annotations

from django.db.models import Q

from apps.core import scoping
from apps.core.text import normalize

from ..models import AudienceGroup


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
