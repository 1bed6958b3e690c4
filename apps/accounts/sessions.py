"""The session engine: Django's database sessions, with the one read of every page compiled once
(``apps.core.prepared``). Everything else (saving, renewal, expiry, clearing) is Django's own."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from apps.core.prepared import prepared


@prepared
def _live_session(*, key: str, now: dt.datetime):
    return Session.objects.filter(session_key=key, expire_date__gt=now)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = _live_session(key=self.session_key, now=timezone.now()) if self.session_key else []
        if not found:
            self._session_key = None
            return None
        return found[0]
