"""Permission-matrix entries of the areas URLs (collected by tests/permission_matrix.py)."""

from __future__ import annotations

from tests.permission_matrix import ScopedURL


def _unit(world, commune):
    return {"pk": commune.pk}


SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("areas:unit_list", "commune_officer"),
    ScopedURL("areas:unit_detail", "commune_officer", kwargs=_unit),
    ScopedURL("areas:population_edit", "province_staff", kwargs=_unit),
    ScopedURL("areas:population_import", "province_staff"),
    ScopedURL("areas:population_template", "province_staff"),
]
