"""Permission-matrix entries of the reporting app (see tests/permission_matrix.py).

After wiring, ``tests/permission_matrix.py`` adds ``*REPORTING_URLS`` to ``SCOPED_URLS``; until then
``test_permission_matrix.py`` in this folder runs the same four checks over them. The role groups
must hold the reporting permissions (``apps.reporting.permissions``; wired into accounts.roles).
"""

from __future__ import annotations

from tests.permission_matrix import ScopedURL

REPORTING_URLS: list[ScopedURL] = [
    ScopedURL("reporting:dashboard", "commune_officer"),
    ScopedURL("reporting:commune_dashboard", "steering_member", kwargs=lambda w, c: {"pk": c.pk}),
    ScopedURL("reporting:status_board", "commune_officer"),
    ScopedURL("reporting:submission", "commune_officer", kwargs=lambda w, c: {"pk": c.pk}),
    ScopedURL("reporting:submission_approve", "province_staff", kwargs=lambda w, c: {"pk": c.pk}),
    ScopedURL("reporting:submission_return", "province_staff", kwargs=lambda w, c: {"pk": c.pk}),
]
