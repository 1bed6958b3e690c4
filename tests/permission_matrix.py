"""The registry of scoped URLs for the permission-matrix test.

Every URL of a scoped app must be registered here (``test_every_scoped_url_is_registered`` fails
otherwise). Later apps add their entries to ``SCOPED_URLS``. For each entry the matrix checks:

* anonymous → redirect to the login page;
* an account with an area but no role → 403;
* ``role`` assigned to commune A, object in commune A → 200;
* same account, object in commune B → 404 (existence does not leak).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Namespaces whose URLs are not area-scoped, with the reason.
UNSCOPED_NAMESPACES = {
    "core": "trang chủ: chỉ cần đăng nhập",
    "accounts": "đăng nhập / đăng xuất / đổi mật khẩu của chính mình",
    "admin": "Django admin: mỗi ModelAdmin kế thừa ScopedAdminMixin, kiểm thử riêng",
}


@dataclass(frozen=True)
class ScopedURL:
    name: str
    role: str
    #: builds URL kwargs for an object in the given commune; None for URLs without an object
    kwargs: Callable | None = None
    #: area the role-holder is assigned to: "commune" (commune A) or "province"
    scope: str = "commune"
    expect_ok: int = 200
    extra: dict = field(default_factory=dict)


def _unit(world, commune):
    return {"pk": commune.pk}


SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("areas:unit_list", "commune_officer"),
    ScopedURL("areas:unit_detail", "commune_officer", kwargs=_unit),
    ScopedURL("areas:population_edit", "province_staff", kwargs=_unit),
    ScopedURL("areas:population_import", "province_staff"),
    ScopedURL("areas:population_template", "province_staff"),
    ScopedURL("audit:entry_list", "province_staff"),
]
