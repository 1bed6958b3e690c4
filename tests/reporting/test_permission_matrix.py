"""The four permission-matrix checks over the reporting URLs (same as tests/test_permission_matrix.py,
which takes these entries over once they are added to tests/permission_matrix.py)."""

import pytest
from django.urls import get_resolver, reverse

from tests.factories.accounts import UserFactory
from tests.permission_matrix import SCOPED_URLS

from .permission_entries import REPORTING_URLS

_WIRED = {e.name for e in REPORTING_URLS} <= {e.name for e in SCOPED_URLS}
ENTRIES = [] if _WIRED else REPORTING_URLS


def test_every_reporting_url_has_an_entry():
    resolver = get_resolver()
    names = {
        f"reporting:{name}" for name in resolver.namespace_dict["reporting"][1].reverse_dict if isinstance(name, str)
    }
    assert names == {entry.name for entry in REPORTING_URLS}


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


@pytest.mark.parametrize("role", ["commune_officer", "steering_member", "province_staff", "administrator"])
def test_every_role_may_read_dashboards(role, world):
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
    assert {"view_dashboard", "view_submission"} <= codenames
    assert ("submit_submission" in codenames) == (role == "commune_officer")
    assert ("review_submission" in codenames) == (role in ("province_staff", "administrator"))
