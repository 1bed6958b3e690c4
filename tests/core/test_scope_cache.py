"""The user's permissions and area scope are resolved once per worker and reused across requests
(issue 14 §3: 4 of the 7 queries every page paid), and forgotten as soon as a role, a permission,
the user's unit or the unit tree changes — the next request sees the change, never a stale scope."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.areas.models import AdministrativeUnit, UnitSuccession
from apps.core import scoping
from tests.factories.areas import UnitFactory
from tests.factories.cases import make_case


def _sql(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


def test_a_second_page_reads_neither_permissions_nor_the_unit_tree(world, officer_a, client_for):
    client = client_for(officer_a)
    client.get(reverse("cases:worklist"))
    response, sql = _sql(client, reverse("cases:worklist"))
    assert response.status_code == 200
    assert not [q for q in sql if "auth_permission" in q or "areas_unitsuccession" in q], sql
    # the user and the unit come in one query
    assert sum('FROM "accounts_user"' in q for q in sql) == 1, sql
    assert not [q for q in sql if q.startswith('SELECT "areas_administrativeunit"."id", ')], sql


def test_an_officer_moved_to_another_commune_sees_only_the_new_one(world, officer_a, officer_b, client_for):
    case_a = make_case(officer_a, world.commune_a, full_name="Nguyễn Văn A")
    case_b = make_case(officer_b, world.commune_b, full_name="Nguyễn Văn B")
    client = client_for(officer_a)
    detail = "cases:casefile_detail"
    assert client.get(reverse(detail, args=[case_a.pk])).status_code == 200
    assert client.get(reverse(detail, args=[case_b.pk])).status_code == 404
    moved = User.objects.get(pk=officer_a.pk)
    moved.area = world.commune_b
    moved.save()
    assert client.get(reverse(detail, args=[case_a.pk])).status_code == 404
    assert client.get(reverse(detail, args=[case_b.pk])).status_code == 200


def test_a_role_taken_away_is_refused_on_the_next_request(world, officer_a, client_for):
    client = client_for(officer_a)
    assert client.get(reverse("cases:worklist")).status_code == 200
    User.objects.get(pk=officer_a.pk).groups.clear()
    assert client.get(reverse("cases:worklist")).status_code == 403


def test_a_permission_taken_from_the_role_is_refused_on_the_next_request(world, officer_a, client_for):
    client = client_for(officer_a)
    assert client.get(reverse("cases:worklist")).status_code == 200
    view = Permission.objects.get(content_type__app_label="cases", codename="view_casefile")
    for group in Group.objects.filter(user=officer_a):
        group.permissions.remove(view)
    assert client.get(reverse("cases:worklist")).status_code == 403


def test_a_new_succession_widens_the_scope_and_a_moved_unit_leaves_it(world, officer_a):
    def fresh_ids():  # as a new request: a user object just read from the database
        return set(scoping.visible_unit_ids(User.objects.get(pk=officer_a.pk)))

    assert world.former_a.pk in fresh_ids()
    other = UnitFactory(generation=world.former_a.generation, parent=world.former_a.parent, code="2470")
    assert other.pk not in fresh_ids()
    UnitSuccession.objects.create(old=other, new=world.commune_a, effective_date=dt.date(2025, 7, 1))
    assert other.pk in fresh_ids()
    UnitSuccession.objects.filter(old=other).delete()
    assert other.pk not in fresh_ids()
    hamlet = UnitFactory(parent=world.commune_a, code="24581", level="commune")
    assert hamlet.pk in fresh_ids()
    hamlet.parent = world.commune_b
    hamlet.compute_tree_fields()
    hamlet.save()
    assert hamlet.pk not in fresh_ids()


def test_writes_that_send_no_signal_are_seen_after_the_cache_lifetime(world, officer_a, monkeypatch):
    def fresh_ids():
        return set(scoping.visible_unit_ids(User.objects.get(pk=officer_a.pk)))

    fresh_ids()
    unit = UnitFactory.build(generation=world.commune_a.generation, parent=world.commune_a, code="24582")
    unit.compute_tree_fields()
    AdministrativeUnit.objects.bulk_create([unit])  # no post_save: only the lifetime bounds this
    unit = AdministrativeUnit.objects.get(code="24582", generation=world.commune_a.generation)
    later = scoping.time.monotonic() + scoping.SCOPE_CACHE_SECONDS + 1
    monkeypatch.setattr(scoping.time, "monotonic", lambda: later)
    assert unit.pk in fresh_ids()


@pytest.mark.parametrize("flag", ["is_active", "is_superuser"])
def test_the_user_row_is_read_every_request(world, officer_a, client_for, flag):
    case_b = make_case(officer_a, world.commune_a, full_name="Nguyễn Văn C")
    client = client_for(officer_a)
    assert client.get(reverse("cases:casefile_detail", args=[case_b.pk])).status_code == 200
    User.objects.filter(pk=officer_a.pk).update(**{flag: flag == "is_superuser"})  # no signal either
    response = client.get(reverse("cases:casefile_detail", args=[case_b.pk]))
    # deactivated: logged out at once; made superuser: everything, at once
    assert response.status_code == (302 if flag == "is_active" else 200)


def test_a_role_sync_before_the_cache_table_exists_does_not_fail(
    world, officer_a, monkeypatch, django_capture_on_commit_callbacks
):
    # migrate syncs the roles (post_migrate) before `createcachetable` made the database cache's
    # table: the bump must not break the migration; this worker still forgets its entries.
    from django.core.cache import cache
    from django.db import ProgrammingError

    from apps.accounts import roles

    scoping.visible_unit_ids(User.objects.get(pk=officer_a.pk))
    assert officer_a.pk in scoping._resolved

    def missing_table(*args, **kwargs):
        raise ProgrammingError('relation "pcmt_cache" does not exist\nLINE 1: SELECT COUNT(*) FROM "pcmt_cache"')

    monkeypatch.setattr(cache, "set", missing_table)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        roles.sync_roles()
        User.objects.get(pk=officer_a.pk).groups.clear()
    assert callbacks  # the shared version is published after the commit, outside the transaction
    assert officer_a.pk not in scoping._resolved
    assert User.objects.filter(pk=officer_a.pk).exists()  # the transaction is still usable


def test_the_shared_version_moves_when_the_change_commits(world, officer_a, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    before = scoping._current_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        User.objects.get(pk=officer_a.pk).groups.clear()
    assert cache.get("scoping:version") == before  # not yet: other workers cannot see the change
    for callback in callbacks:
        callback()
    assert cache.get("scoping:version") != before


def test_pages_still_work_when_the_cache_is_down(world, officer_a, client_for, monkeypatch):
    from django.core.cache import cache

    client = client_for(officer_a)
    assert client.get(reverse("cases:worklist")).status_code == 200

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "set", lambda *a, **k: (_ for _ in ()).throw(ConnectionError()))
    scoping._publish_new_version()  # an error without a message is logged too
    response, sql = _sql(client, reverse("cases:worklist"))
    assert response.status_code == 200
    assert any("auth_permission" in q for q in sql)  # resolved from the database instead
