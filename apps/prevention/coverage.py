"""The high-risk coverage count, shared by the reads (``selectors``) and the target indicator
(``targets.high_risk_coverage``). It sits below both so that neither imports the other:
``selectors`` evaluates the targets for the board, and the indicator needs this count."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from apps.core.lookups import Ids
from apps.core.prepared import prepared, single_row

from .choices import HighRiskStatus
from .models import HighRiskPerson


def _reached_in(start: dt.date, end: dt.date, prefix: str = "reaches__") -> Q:
    """A reach counts for a period when its activity overlaps the period."""
    return Q(**{f"{prefix}activity__date_from__lte": end, f"{prefix}activity__date_to__gte": start})


def coverage_counts(*, commune_ids, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(active people, of whom reached in [start, end]) over these communes. The caller scopes
    ``commune_ids``. One query."""
    row = _counts(ids=Ids(list(commune_ids)), start=start, end=end)[0]
    return row["total"], row["reached"]


@prepared
def _counts(*, ids: Ids, start: dt.date, end: dt.date):
    return single_row(
        HighRiskPerson.objects.filter(commune_id__in_ids=ids, status=HighRiskStatus.ACTIVE),
        total=Count("pk", distinct=True),
        reached=Count("pk", filter=_reached_in(start, end), distinct=True),
    )
