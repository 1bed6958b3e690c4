"""The monthly access digest for the province (issue 11 §4, §5): who checked whether people have
files (duplicate lookups), who opened records outside their own commune and why (break-glass),
and which accounts look like they are probing identifiers. Read from the audit log only."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.core import scoping

from .actions import PERSON_LOOKUP
from .models import AuditLogEntry


@dataclass
class DigestRow:
    username: str
    full_name: str
    area: str
    lookups: int = 0
    identifiers: int = 0
    cross_commune: int = 0
    withheld: int = 0
    break_glass_views: int = 0
    records_opened: int = 0
    reasons: list[str] = field(default_factory=list)
    flagged: bool = False


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` → the first day of that month (``ValueError`` otherwise, also for a year the
    log cannot hold: the month before 0001-01 or after 9999-12 would overflow)."""
    if not re.fullmatch(r"\d{4}-\d{2}", text or ""):
        raise ValueError(text)
    month = dt.date.fromisoformat(f"{text}-01")
    if not 2000 <= month.year <= 2999:
        raise ValueError(text)
    return month


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz),
        timezone.make_aware(dt.datetime.combine(end, dt.time.min), tz),
    )


def _identifier_key(identifier: dict) -> str:
    if identifier.get("citizen_id"):
        return f"id:{identifier['citizen_id']}"
    return f"name:{identifier.get('full_name', '')}|{identifier.get('birth_year', '')}|{identifier.get('sex', '')}"


def access_digest(*, user, month: dt.date) -> list[DigestRow]:
    """One row per account with lookups or break-glass views in the month (entries the user may
    read), flagged first: more distinct identifiers than PCMT_DIGEST_PROBE_THRESHOLD, or checks
    the daily limit or the import stop refused."""
    start, end = month_bounds(month)
    entries = (
        scoping.visible_to(AuditLogEntry.objects.all(), user)
        .filter(time__gte=start, time__lt=end)
        .filter(Q(action=PERSON_LOOKUP) | Q(after__has_key="break_glass"))
        .select_related("actor__area")
        .order_by("time", "pk")
    )
    rows: dict[str, DigestRow] = {}
    identifiers: dict[str, set[str]] = {}
    opened: dict[str, set[tuple[int | None, str]]] = {}
    for entry in entries:
        name = entry.actor_username or "—"
        row = rows.get(name)
        if row is None:
            row = rows[name] = DigestRow(
                username=name,
                full_name=entry.actor.get_full_name() if entry.actor else "",
                area=entry.actor.area.full_name if entry.actor and entry.actor.area else "",
            )
        after = entry.after or {}
        if entry.action == PERSON_LOOKUP:
            row.lookups += int(after.get("count", 1))
            identifiers.setdefault(name, set()).update(_identifier_key(i) for i in after.get("identifiers", []))
            answered = after.get("answered", [])
            row.cross_commune += sum(1 for a in answered if a.get("elsewhere"))
            row.withheld += sum(1 for a in answered if a.get("withheld"))
        elif after.get("break_glass"):
            row.break_glass_views += 1
            opened.setdefault(name, set()).add((entry.content_type_id, entry.object_id))
            if after["break_glass"] not in row.reasons:
                row.reasons.append(after["break_glass"])
    threshold = settings.PCMT_DIGEST_PROBE_THRESHOLD
    for name, row in rows.items():
        row.identifiers = len(identifiers.get(name, ()))
        row.records_opened = len(opened.get(name, ()))
        row.flagged = row.identifiers > threshold or row.withheld > 0
    return sorted(rows.values(), key=lambda r: (not r.flagged, -r.identifiers, -r.break_glass_views, r.username))
