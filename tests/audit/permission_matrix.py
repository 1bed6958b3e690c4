"""Permission-matrix entries of the audit URLs (collected by tests/permission_matrix.py)."""

from __future__ import annotations

from tests.permission_matrix import ScopedURL

SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("audit:entry_list", "province_staff"),
    ScopedURL("audit:access_digest", "province_staff"),
]
