"""The four permission-matrix checks over the reports URLs (tests/reports/matrix.py), and a check
that every reports URL is in it. Once wired, tests/permission_matrix.py runs them too."""

import pytest
from django.urls import get_resolver, reverse

from tests.factories.accounts import UserFactory
from tests.permission_matrix import SCOPED_URLS

from .matrix import REPORTS_SCOPED_URLS

_WIRED = {e.name for e in REPORTS_SCOPED_URLS} <= {e.name for e in SCOPED_URLS}
ENTRIES = [] if _WIRED else REPORTS_SCOPED_URLS


def test_every_reports_url_is_in_the_matrix():
    resolver = get_resolver()
    names = {
        f"reports:{p.name}"
        for r in resolver.url_patterns
        if getattr(r, "namespace", None) == "reports"
        for p in r.url_patterns
        if p.name
    }
    assert names, "the reports URLs are not installed"
    assert names == {e.name for e in REPORTS_SCOPED_URLS}


def _url(entry, world, commune):
    return reverse(entry.name, kwargs=entry.kwargs(world, commune) if entry.kwargs else {})


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_anonymous_is_sent_to_login(entry, world, client):
    response = client.get(_url(entry, world, world.commune_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_account_without_role_gets_403(entry, world, client_for):
    user = UserFactory(username="norole", area=world.commune_a)
    assert client_for(user).get(_url(entry, world, world.commune_a)).status_code == 403


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_in_scope_is_allowed(entry, world, client_for):
    user = UserFactory(username="holder", role=entry.role, area=world.commune_a)
    assert client_for(user).get(_url(entry, world, world.commune_a)).status_code == entry.expect_ok


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.kwargs and e.object_scoped], ids=lambda e: e.name)
def test_out_of_scope_is_404(entry, world, client_for):
    user = UserFactory(username="holder", role=entry.role, area=world.commune_a)
    assert client_for(user).get(_url(entry, world, world.commune_b)).status_code == 404
