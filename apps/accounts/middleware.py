"""The idle timeout, renewed at most once per ``SESSION_RENEW_SECONDS`` instead of on every request."""

from __future__ import annotations

import time

from django.conf import settings

#: when this session was last renewed (seconds since the epoch), kept in the session itself so
#: the check costs no query
RENEWED_KEY = "_pcmt_renewed"


class SessionRenewalMiddleware:
    """Save a non-empty session again when its last save is older than ``SESSION_RENEW_SECONDS``.

    ``SESSION_SAVE_EVERY_REQUEST`` made every page an UPDATE of the session row in a transaction of
    its own (3 statements, a commit each); with a click every few seconds nearly all of them only
    moved the expiry by those seconds. The database expiry is still ``SESSION_COOKIE_AGE`` after
    the last renewal, so a session expires between ``SESSION_IDLE_TIMEOUT_MINUTES`` minus the
    interval and ``SESSION_IDLE_TIMEOUT_MINUTES`` after the last page: never later.

    Placed right after ``SessionMiddleware``, so it looks at the session after the view (a login
    has filled it, a logout emptied it) and before the session middleware saves it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = settings.SESSION_RENEW_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (anonymous visitor, after a logout) is never created or saved here.
        if session is not None and not session.modified and not session.is_empty():
            now = int(time.time())
            if now - session.get(RENEWED_KEY, 0) >= self.interval:
                session[RENEWED_KEY] = now
        return response
