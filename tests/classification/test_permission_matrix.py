"""The four permission-matrix checks over the classification URLs (same as tests/test_permission_matrix.py,
which takes these entries over once they are added to tests/permission_matrix.py)."""

import pytest
from django.urls import get_resolver, reverse

from tests.factories.accounts import UserFactory
from tests.permission_matrix import SCOPED_URLS

from .permission_entries import CLASSIFICATION_URLS

# Once tests/permission_matrix.py includes these entries (wiring), tests/test_permission_matrix.py
# runs the checks; they are not repeated here.
_WIRED = {e.name for e in CLASSIFICATION_URLS} <= {e.name for e in SCOPED_URLS}
ENTRIES = [] if _WIRED else CLASSIFICATION_URLS


def test_every_classification_url_has_an_entry():
    resolver = get_resolver()
    names = {
        f"classification:{name}"
        for name in resolver.namespace_dict["classification"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == {entry.name for entry in CLASSIFICATION_URLS}


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
