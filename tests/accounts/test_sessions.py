"""The session engine reads a live session as Django's database engine does (its one read is
compiled once): a live key loads, an expired or unknown key does not, and a new key is issued."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.shortcuts import resolve_url
from django.utils import timezone

from apps.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_settings_use_it():
    assert settings.SESSION_ENGINE == "apps.accounts.sessions"


def test_a_live_session_loads_and_an_expired_one_does_not():
    live = SessionStore()
    live["who"] = "canbo"
    live.save()
    stale = SessionStore()
    stale["who"] = "cu"
    stale.save()
    Session.objects.filter(session_key=stale.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    assert SessionStore(live.session_key).load() == {"who": "canbo"}
    again = SessionStore(stale.session_key)
    assert again.load() == {}
    assert again.session_key is None  # forgotten: a new key is issued on save, never the stale one
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_a_logged_in_page_reads_its_session(client, world):
    from tests.factories.accounts import UserFactory

    user = UserFactory(username="phien.canbo", role="province_staff", area=world.province)
    client.force_login(user)
    assert client.get("/").status_code == 200
    Session.objects.all().update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_a_session_key_that_is_not_an_id_logs_nobody_in(world):
    from apps.core.backends import AreaPermissionBackend
    from tests.factories.accounts import UserFactory

    user = UserFactory(username="khoa.canbo", role="province_staff", area=world.province)
    backend = AreaPermissionBackend()
    assert backend.get_user(user.pk).area == world.province
    assert backend.get_user(str(user.pk)) == user
    assert backend.get_user("abc") is None and backend.get_user(None) is None
    assert backend.get_user(user.pk + 10_000) is None
