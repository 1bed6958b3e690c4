"""The registry of scoped URLs for the permission-matrix test (tests/test_permission_matrix.py).

Each app's tests export ``SCOPED_URLS`` from ``tests/<app>/permission_matrix.py``; the loop at the
bottom of this module collects every such module, so adding an app's URLs is one file and no edit
here. Every URL of a scoped app must be registered (``test_every_scoped_url_is_registered`` fails
otherwise). For each entry the matrix checks:

* anonymous → redirect to the login page;
* an account with an area but no role → 403;
* ``role`` assigned to commune A, object in commune A → 200;
* same account, object in commune B → 404 (existence does not leak).

Every state-changing URL (its view answers POST) is also POSTed: anonymous → login, no role → 403,
the role-holder on an object of commune B → 404, a role-holder refused in scope (``expect_ok=403``)
→ 403; and in each case nothing is written (every table compared before and after).

Entries with ``scope="province"`` put the role-holder at the province: for named records of a
commune (``extra={"break_glass": …}``) the in-scope answer is 200 with the break-glass prompt
(issue 11 §5) and the record's name absent; there is no out-of-scope variant (the province sees
every commune), so they are registered with ``object_scoped=False``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
    #: False when kwargs name no object (e.g. an export format): no out-of-scope variant
    object_scoped: bool = True
    extra: dict = field(default_factory=dict)


def matrix_root():
    """The superuser who enters the matrix's objects through the services, like real data."""
    from apps.accounts.models import User

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("matrix_root")


def _collect() -> list[ScopedURL]:
    # One module per app, found by its conventional name.
    entries: list[ScopedURL] = []
    for path in sorted(Path(__file__).resolve().parent.glob("*/permission_matrix.py")):
        entries += importlib.import_module(f"tests.{path.parent.name}.permission_matrix").SCOPED_URLS
    return entries


def __getattr__(name: str):
    # SCOPED_URLS is collected on first use, not at import: the app modules import ScopedURL from
    # here, and an app's tests may import its own module first (tests/registers/test_views.py).
    if name == "SCOPED_URLS":
        globals()["SCOPED_URLS"] = entries = _collect()
        return entries
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
