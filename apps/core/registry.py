"""What the apps above the foundation contribute to it, registered from their ``AppConfig.ready()``.

The foundation (``core``, ``audit``, ``accounts``, ``areas``) never imports a domain app: the
navigation bar, the home page and the period-lock check ask this registry instead, and each app
fills it next to its own code (the way Wagtail's hooks and NetBox's ``registry`` work, and the way
``audit.services.track_area_changes`` is already registered by reporting). Audit labels and role
permissions have their own registries beside the data they extend (``audit.actions.register_labels``,
``accounts.roles.register_role_permissions``).

Registration is idempotent by key, so a ``ready()`` that runs twice (tests, autoreload) does not
duplicate an entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from apps.accounts.roles import register_role_permissions
from apps.audit.actions import register_labels

# --- navigation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """One item of the top navigation. ``build(user)`` answers ``(label, url)`` when the user's role
    may open the page (a link that would answer 403 is not shown), else ``None``."""

    key: str
    order: int
    build: Callable[[Any], tuple[str, str] | None]
    #: the item is highlighted on every page under this path (default: under its own URL)
    active_prefix: str | None = None
    #: highlighted only on its own URL (home, worklist: every other page is "under" them)
    exact: bool = False

    def is_active(self, path: str, url: str) -> bool:
        if self.exact:
            return path == url
        return path.startswith(self.active_prefix or url)


def nav_link(label: str, url_name: str, *perms: str) -> Callable[[Any], tuple[str, str] | None]:
    """The usual ``NavEntry.build``: the page's link for a user holding every permission in ``perms``."""

    def build(user: Any) -> tuple[str, str] | None:
        return (label, reverse(url_name)) if all(user.has_perm(p) for p in perms) else None

    return build


_NAV: dict[str, NavEntry] = {}


def register_nav(entry: NavEntry) -> None:
    _NAV[entry.key] = entry


def nav_entries() -> list[NavEntry]:
    return sorted(_NAV.values(), key=lambda e: e.order)


def register_app(
    app_label: str,
    *,
    labels: dict[str, str] | None = None,
    role_permissions: dict[str, list[str]] | None = None,
    nav: tuple[NavEntry, ...] = (),
    home_sections: dict[str, Callable[..., Any]] | None = None,
    home_queues: tuple[tuple[int, Callable[..., list]], ...] = (),
) -> None:
    """Everything an app contributes to the foundation, in one call from its ``AppConfig.ready()``:
    its audit labels, its role permissions, its navigation entries and its home-page sections and
    reviewers' queues (``(order, provider)``)."""
    if labels:
        register_labels(labels)
    if role_permissions:
        register_role_permissions(app_label, role_permissions)
    for entry in nav:
        register_nav(entry)
    for name, provider in (home_sections or {}).items():
        register_home_section(name, provider)
    for i, (order, provider) in enumerate(home_queues):
        register_home_queue(f"{app_label}.{i}", order, provider)


# --- home page ------------------------------------------------------------------------------------

#: context name -> provider(user=...) ; the home template shows a section when its value is truthy
_HOME_SECTIONS: dict[str, Callable[..., Any]] = {}
#: key -> (order, provider(user=..., on=...) -> list of core.home.Queue) for reviewers' queues
_HOME_QUEUES: dict[str, tuple[int, Callable[..., list]]] = {}


def register_home_section(name: str, provider: Callable[..., Any]) -> None:
    _HOME_SECTIONS[name] = provider


def home_sections() -> dict[str, Callable[..., Any]]:
    return dict(_HOME_SECTIONS)


def register_home_queue(key: str, order: int, provider: Callable[..., list]) -> None:
    _HOME_QUEUES[key] = (order, provider)


def home_queue_providers() -> list[Callable[..., list]]:
    return [provider for _order, provider in sorted(_HOME_QUEUES.values(), key=lambda item: item[0])]


# --- period locks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockChecker:
    """How the app that owns reporting periods answers "is this date locked for this commune?":
    ``ensure_unlocked(*, commune, day, until=None)`` raises ``ValidationError`` inside a locked
    period, ``index(commune_ids)`` returns an object with the same method for bulk writes (one query)."""

    ensure_unlocked: Callable[..., None]
    index: Callable[..., Any]


_LOCKS: dict[str, LockChecker] = {}


def register_lock_checker(key: str, checker: LockChecker) -> None:
    _LOCKS[key] = checker


def ensure_unlocked(*, commune: Any, day: dt.date | None, until: dt.date | None = None) -> None:
    """Refuse a change dated in a locked period of ``commune`` (every registered checker decides)."""
    for checker in _LOCKS.values():
        checker.ensure_unlocked(commune=commune, day=day, until=until)


class LockIndex:
    """The registered checkers' bulk indexes over ``commune_ids``, asked as one."""

    def __init__(self, commune_ids: Any):
        ids = list(commune_ids)
        self._indexes = [checker.index(ids) for checker in _LOCKS.values()]

    def ensure_unlocked(self, *, commune: Any, day: dt.date | None, until: dt.date | None = None) -> None:
        for index in self._indexes:
            index.ensure_unlocked(commune=commune, day=day, until=until)


# --- bulk writes ----------------------------------------------------------------------------------

#: what an app forgets after a write that went past the audited services (bulk seeding, rebuilds)
_BULK_LISTENERS: dict[str, Callable[[], None]] = {}


def register_bulk_write_listener(key: str, listener: Callable[[], None]) -> None:
    _BULK_LISTENERS[key] = listener


def forget_derived_figures() -> None:
    """A bulk write skipped the audited services that keep stored figures and the cache fresh:
    every registered listener forgets its derived data (reporting: its stored figures), then the
    cache is cleared, so the next read computes from the new data."""
    from django.core.cache import cache

    for listener in _BULK_LISTENERS.values():
        listener()
    cache.clear()


# --- demo seeders (dev only) ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSeeder:
    """One app's part of ``seed_demo``. ``seed(context)`` writes through the app's services and
    returns how many records it created (0 on a re-run); ``order`` is when it runs (its data may
    need an earlier seeder's). ``summary`` ("%(n)s hồ sơ mới") joins the command's one-line total at
    ``summary_order``; ``note`` instead prints a line of its own after it."""

    key: str
    order: int
    seed: Callable[[Any], int]
    summary: str = ""
    summary_order: int = 0
    note: str = ""


_DEMO_SEEDERS: dict[str, DemoSeeder] = {}


def register_demo_seeder(seeder: DemoSeeder) -> None:
    """Filled by the dev-only ``apps.demo`` (one module per app, discovered by its ``ready()``), so
    production, which does not install it, has no seeder at all."""
    _DEMO_SEEDERS[seeder.key] = seeder


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_DEMO_SEEDERS.values(), key=lambda s: s.order)
