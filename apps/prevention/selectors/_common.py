"""Helpers every prevention read shares: the word search, the reader's current communes."""

from __future__ import annotations

from apps.core import scoping

from ..models import AudienceGroup


def current_commune_ids(user) -> list[int]:
    return list(scoping.current_communes(user).values_list("pk", flat=True))


def is_province_wide(user) -> bool:
    area = getattr(user, "area", None)
    return bool(user.is_superuser or (area is not None and area.level == "province" and area.valid_to is None))


def audience_groups() -> list[AudienceGroup]:
    return list(AudienceGroup.objects.all())
