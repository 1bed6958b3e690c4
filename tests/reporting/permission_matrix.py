"""Permission-matrix entries of the reporting URLs (collected by tests/permission_matrix.py)."""

from __future__ import annotations

from tests.permission_matrix import ScopedURL

SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("reporting:dashboard", "commune_officer"),
    ScopedURL("reporting:commune_dashboard", "steering_member", kwargs=lambda w, c: {"pk": c.pk}),
    ScopedURL("reporting:status_board", "commune_officer"),
    ScopedURL("reporting:submission", "commune_officer", kwargs=lambda w, c: {"pk": c.pk}),
    ScopedURL("reporting:submission_approve", "province_staff", kwargs=lambda w, c: {"pk": c.pk}),
    ScopedURL("reporting:submission_return", "province_staff", kwargs=lambda w, c: {"pk": c.pk}),
]
