"""Dashboard and report GETs read from the replica when one is configured; nothing else does.

The router against a real streaming replica is exercised by scripts/scaleout.sh; here the routing
decisions, with the alias declared present (the test database has no replica)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from apps.accounts.models import User
from apps.cases.models import CaseFile
from apps.core import db_routers
from apps.core.db_routers import ReplicaReadsMiddleware, ReplicaRouter

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_routers, "replica_configured", lambda: True)


def _route(method: str, path: str, *, atomic: bool = False, model=CaseFile) -> dict[str, str | None]:
    """Where a read and a write of a case file go while the view of ``path`` runs, and after."""
    seen: dict[str, str | None] = {}
    request = getattr(RequestFactory(), method.lower())(path)
    request.resolver_match = resolve(path)
    middleware = None

    def view(req):
        middleware.process_view(req, None, (), {})
        if atomic:
            with transaction.atomic():
                seen["read"] = router.db_for_read(model)
        else:
            seen["read"] = router.db_for_read(model)
        seen["write"] = router.db_for_write(CaseFile)
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    middleware(request)
    seen["after"] = router.db_for_read(CaseFile)
    return seen


@pytest.mark.parametrize("path", ["/reporting/", "/reports/", "/reports/archive/"])
def test_dashboard_and_report_pages_read_the_replica(with_replica, path):
    assert _route("GET", path) == {"read": "replica", "write": "default", "after": None}


@pytest.mark.parametrize(("method", "path"), [("POST", "/reporting/"), ("GET", "/cases/"), ("GET", "/")])
def test_writes_and_other_pages_stay_on_the_primary(with_replica, method, path):
    assert _route(method, path) == {"read": None, "write": "default", "after": None}


@pytest.mark.parametrize("model", [Session, User, Group, Permission, AccessAttempt], ids=lambda m: m.__name__)
def test_who_is_asking_is_read_from_the_primary_on_replica_pages(with_replica, model):
    # A session ended by logout, an account deactivated or a role withdrawn a moment ago must not
    # still open the dashboard because the replica has not caught up.
    assert _route("GET", "/reporting/", model=model)["read"] == "default"


def test_reads_inside_a_transaction_stay_on_the_primary(with_replica, transactional_db):
    # Read-modify-write must see the rows it is about to change, not a copy a moment old.
    assert _route("GET", "/reporting/", atomic=True)["read"] == "default"


def test_without_a_replica_nothing_is_routed():
    assert _route("GET", "/reporting/") == {"read": None, "write": None, "after": None}
    assert router.allow_migrate("default", "cases") is None


def test_the_replica_is_never_migrated():
    assert router.allow_migrate("replica", "cases") is False


def test_a_whole_namespace_can_be_listed(settings, with_replica):
    settings.PCMT_REPLICA_VIEWS = ["cases:*"]
    assert _route("GET", "/cases/")["read"] == "replica"
    assert _route("GET", "/reporting/")["read"] is None
