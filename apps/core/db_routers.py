"""Reads of the dashboards and report pages from a PostgreSQL streaming replica (optional).

With ``DATABASE_REPLICA_URL`` set, settings add the ``replica`` alias. The dashboards and the
report pages are the heavy reads (a province's figures over 14 windows) and tolerate data a
moment old; everything else — every write, everything an officer has just changed and reads back,
and any read inside a transaction (read-modify-write must see the primary) — stays on ``default``.

Routing is by request, not by model: a dashboard reads case files, registers and audit stamps,
which the officer pages read from the primary. ``ReplicaReadsMiddleware`` marks GET/HEAD requests
of the views named in ``PCMT_REPLICA_VIEWS`` (``namespace:name`` or ``namespace:*``), and
``ReplicaRouter`` sends their reads to the replica. Without the alias both do nothing.

Who is asking is always read from the primary: the session, the account, its groups and
permissions and the login lockout (apps ``sessions``, ``auth``, ``accounts``, ``axes``). On a
replica a moment behind, a session just ended by logout, an account just deactivated or a role just
withdrawn would still open a dashboard for as long as the lag.

Replication lag: a figure entered a second ago may be missing from a dashboard read on the replica
for about as long as the lag (milliseconds on a LAN). Issuing a report (POST) reads the primary,
so an issued report never misses an acknowledged entry.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA_ALIAS = "replica"
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes"})

_replica_reads: ContextVar[bool] = ContextVar("pcmt_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _replica_reads.get() or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return REPLICA_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        # Explicit: without a router answer Django writes an instance back to the database it was
        # read from, which for a row read on the replica would be the (read-only) replica.
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: a row read there may be linked to one of the primary.
        pair = {obj1._state.db, obj2._state.db}
        return True if pair <= {DEFAULT_DB_ALIAS, REPLICA_ALIAS} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA_ALIAS else None


def view_reads_replica(view_name: str, names: list[str]) -> bool:
    namespace = view_name.rpartition(":")[0]
    return view_name in names or (bool(namespace) and f"{namespace}:*" in names)


class ReplicaReadsMiddleware:
    """Marks the listed GET/HEAD views' reads (including their template rendering) for the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._pcmt_replica_token = None  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            token = request._pcmt_replica_token  # type: ignore[attr-defined]
            if token is not None:
                _replica_reads.reset(token)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        if not replica_configured() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is not None and view_reads_replica(match.view_name, list(settings.PCMT_REPLICA_VIEWS)):
            request._pcmt_replica_token = _replica_reads.set(True)  # type: ignore[attr-defined]
        return None
