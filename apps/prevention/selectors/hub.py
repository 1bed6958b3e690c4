"""Key figures of the year for the prevention hub page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum

from apps.core import scoping
from apps.core.dates import today

from ..choices import TipOffStatus
from ..coverage import coverage_counts
from ..models import Activity, HighRiskPerson, TipOff
from ._common import current_commune_ids


def prevention_summary(*, user, year: int | None = None) -> dict[str, int | Decimal | None]:
    """Key figures of the year for the hub page (each a single aggregate query)."""
    year = year or today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    activities = scoping.visible_to(Activity.objects.all(), user).filter(date_from__lte=end, date_to__gte=start)
    row = activities.aggregate(count=Count("pk"), sessions=Sum("sessions"), participants=Sum("participants_total"))
    summary: dict[str, int | Decimal | None] = {
        "year": year,
        "activities": row["count"],
        "sessions": row["sessions"] or 0,
        "participants": row["participants"] or 0,
    }
    if scoping.has_action(user, HighRiskPerson, "view"):
        total, reached = coverage_counts(commune_ids=current_commune_ids(user), start=start, end=end)
        summary.update(high_risk=total, reached=reached)
        summary["coverage"] = (Decimal(reached) * 100 / Decimal(total)).quantize(Decimal("0.1")) if total else None
    if scoping.has_action(user, TipOff, "view"):
        summary["open_tipoffs"] = (
            scoping.visible_to(TipOff.objects.all(), user)
            .filter(status__in=[TipOffStatus.RECEIVED, TipOffStatus.VERIFYING])
            .count()
        )
    return summary
