import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories.accounts import UserFactory
from tests.permission_matrix import SCOPED_URLS, UNSCOPED_NAMESPACES


def _named_urls(resolver=None, namespace=""):
    """(name, view callback) of every named URL, namespaced like ``reverse`` wants them."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _named_urls(pattern, f"{ns}" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _changes_state(name: str) -> bool:
    """A URL whose view answers POST (every view here is class-based) can change data."""
    callback = dict(_named_urls())[name]
    return hasattr(getattr(callback, "view_class", None), "post")


def _first_per_name(entries):
    # Anonymous and role-less checks do not depend on the role named by the entry: once per URL.
    seen, unique = set(), []
    for entry in entries:
        if entry.name not in seen:
            seen.add(entry.name)
            unique.append(entry)
    return unique


POST_URLS = [e for e in SCOPED_URLS if _changes_state(e.name)]


def test_every_scoped_url_is_registered():
    registered = {entry.name for entry in SCOPED_URLS}
    missing = sorted(
        name
        for name, _view in set(_named_urls())
        if ":" in name and name.split(":")[0] not in UNSCOPED_NAMESPACES and name not in registered
    )
    assert missing == [], f"URLs chưa có trong ma trận phân quyền (tests/<app>/permission_matrix.py): {missing}"


def test_state_changing_urls_are_found():
    # The POST checks below choose their URLs by the view's ``post`` method; if that stopped finding
    # the forms (e.g. views became functions), they would silently check nothing.
    names = {e.name for e in POST_URLS}
    assert {"cases:casefile_edit", "cases:casefile_transition", "registers:hotspot_create"} <= names
    assert "cases:casefile_list" not in names


def _url(entry, world, commune):
    kwargs = entry.kwargs(world, commune) if entry.kwargs else {}
    return reverse(entry.name, kwargs=kwargs)


def _everything_stored() -> dict[str, list[tuple]]:
    """Every row of every table, sessions left out (saved on every request by design)."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table == "django_session":
            continue
        tables[meta.db_table] = list(model._base_manager.order_by("pk").values_list())
    return tables


def _assert_post_writes_nothing(client, url, expected_status):
    before = _everything_stored()
    response = client.post(url, {})
    assert response.status_code == expected_status
    after = _everything_stored()
    changed = sorted(table for table in after if after[table] != before.get(table))
    assert changed == [], f"POST {url} ({response.status_code}) wrote to {changed}"
    return response


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


# --- POST: the same refusals for the URLs that change data, and nothing written -------------------


@pytest.mark.parametrize("entry", _first_per_name(POST_URLS), ids=lambda e: e.name)
def test_post_anonymous_is_sent_to_login(entry, world, client):
    response = _assert_post_writes_nothing(client, _url(entry, world, world.commune_a), 302)
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("entry", _first_per_name(POST_URLS), ids=lambda e: e.name)
def test_post_without_role_gets_403(entry, world, client_for):
    user = UserFactory(username="norole", area=world.commune_a)
    _assert_post_writes_nothing(client_for(user), _url(entry, world, world.commune_a), 403)


@pytest.mark.parametrize("entry", [e for e in POST_URLS if e.kwargs and e.object_scoped], ids=lambda e: e.name)
def test_post_out_of_scope_is_404(entry, world, client_for):
    user = UserFactory(username="holder", role=entry.role, area=world.commune_a)
    _assert_post_writes_nothing(client_for(user), _url(entry, world, world.commune_b), 404)


@pytest.mark.parametrize("entry", [e for e in POST_URLS if e.expect_ok == 403], ids=lambda e: e.name)
def test_post_refused_in_scope_is_403(entry, world, client_for):
    area = world.province if entry.scope == "province" else world.commune_a
    user = UserFactory(username="holder", role=entry.role, area=area)
    _assert_post_writes_nothing(client_for(user), _url(entry, world, world.commune_a), 403)
