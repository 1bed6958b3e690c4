"""The one "today" of the project: the calendar day in the configured time zone (Asia/Ho_Chi_Minh),
never the server's UTC date, so a record saved at 06:30 local time is not dated yesterday."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
