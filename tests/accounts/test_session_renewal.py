"""The idle timeout without a session write per request (issue 14 §3): the session is saved again
only when its last save is older than ``SESSION_RENEW_SECONDS``, so an officer clicking through
pages costs one SELECT of the session, not a SELECT and an UPDATE in a transaction each time.
The timeout still counts from the last activity, to within that interval."""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_soon_after_the_last_save_writes_no_session(officer_a, client_for):
    client = client_for(officer_a)
    client.get(reverse("core:home"))  # the first page after the login may renew
    assert _session_writes(client, reverse("core:home")) == []
    assert _session_writes(client, reverse("cases:worklist")) == []


def test_the_session_is_renewed_once_its_last_save_is_older_than_the_interval(officer_a, client_for):
    start = timezone.now()
    with freeze_time(start) as frozen:
        client = client_for(officer_a)
        client.get(reverse("core:home"))
        first = _expiry(client)
        frozen.tick(dt.timedelta(seconds=settings.SESSION_RENEW_SECONDS - 1))
        assert _session_writes(client, reverse("core:home")) == []
        assert _expiry(client) == first
        frozen.tick(dt.timedelta(seconds=2))
        assert len(_session_writes(client, reverse("core:home"))) == 1
        # renewed for the whole idle timeout from now
        assert _expiry(client) == timezone.now() + dt.timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES)


def test_an_active_officer_is_never_logged_out_and_an_idle_one_is(officer_a, client_for):
    idle = dt.timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES)
    with freeze_time(timezone.now()) as frozen:
        client = client_for(officer_a)
        # a page every 50 s for an hour and a half: never more than the timeout without a renewal
        for _ in range(int(3 * idle.total_seconds() / 50)):
            frozen.tick(dt.timedelta(seconds=50))
            assert client.get(reverse("core:home")).status_code == 200
        frozen.tick(idle + dt.timedelta(seconds=1))
        response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_an_anonymous_visit_creates_no_session(db, client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/accounts/login/").status_code == 200
    assert not any("django_session" in q["sql"] for q in ctx.captured_queries)
    assert Session.objects.count() == 0
