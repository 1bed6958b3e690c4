import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories.accounts import UserFactory
from tests.permission_matrix import SCOPED_URLS, UNSCOPED_NAMESPACES


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _named_urls(pattern, f"{ns}" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_scoped_url_is_registered():
    registered = {entry.name for entry in SCOPED_URLS}
    missing = sorted(
        name
        for name in set(_named_urls())
        if ":" in name and name.split(":")[0] not in UNSCOPED_NAMESPACES and name not in registered
    )
    assert missing == [], f"URLs chưa có trong ma trận phân quyền (tests/permission_matrix.py): {missing}"


def _url(entry, world, commune):
    kwargs = entry.kwargs(world, commune) if entry.kwargs else {}
    return reverse(entry.name, kwargs=kwargs)


@pytest.mark.parametrize("entry", SCOPED_URLS, ids=lambda e: e.name)
def test_anonymous_is_sent_to_login(entry, world, client):
    response = client.get(_url(entry, world, world.commune_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("entry", SCOPED_URLS, ids=lambda e: e.name)
def test_account_without_role_gets_403(entry, world, client_for):
    user = UserFactory(username="norole", area=world.commune_a)
    assert client_for(user).get(_url(entry, world, world.commune_a)).status_code == 403


@pytest.mark.parametrize("entry", SCOPED_URLS, ids=lambda e: e.name)
def test_in_scope_is_allowed(entry, world, client_for):
    area = world.province if entry.scope == "province" else world.commune_a
    user = UserFactory(username="holder", role=entry.role, area=area)
    response = client_for(user).get(_url(entry, world, world.commune_a))
    assert response.status_code == entry.expect_ok
    if entry.extra.get("break_glass"):
        # A named record outside one's own commune answers 200 with the reason prompt, never with
        # the record: the person's name must not be on the page before a reason is given.
        page = response.content.decode()
        assert 'data-testid="break-glass-form"' in page
        assert entry.extra["break_glass"](world) not in page


@pytest.mark.parametrize("entry", [e for e in SCOPED_URLS if e.kwargs and e.object_scoped], ids=lambda e: e.name)
def test_out_of_scope_is_404(entry, world, client_for):
    user = UserFactory(username="holder", role=entry.role, area=world.commune_a)
    assert client_for(user).get(_url(entry, world, world.commune_b)).status_code == 404
