"""Which communes have data for a period, and how a total says what it covers (issue 10 §2).

"No data is not zero": a commune that recorded nothing for the period and whose report for it was
not approved reads 0 everywhere, and that 0 would otherwise be shown (and summed, and counted as
"không ma túy") like a finding. A commune HAS DATA for a period when

* the province approved its report (``Submission``) for the period: its figures, zeros included,
  are the commune's own account; or
* its own records give a non-zero figure in the window (people with a file, new detections,
  relapses, rehab, hotspots, crime, cultivation, prevention activities, high-risk register).

Population, classification and ratios are not records of the period. Pure functions over the
per-commune values the dashboards and reports already computed: no extra query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from apps.core.lookups import Ids
from apps.core.prepared import prepared

from .catalogue import RECORD_CODES, RECORD_GROUPS, has_records
from .figures import communes_with_records
from .models import Submission, SubmissionStatus

__all__ = [
    "NO_DATA",
    "NO_DATA_LABEL",
    "RECORD_CODES",
    "RECORD_GROUPS",
    "communes_with_data",
    "communes_with_data_between",
    "coverage_text",
    "has_records",
]

NO_DATA = "no_data"
NO_DATA_LABEL = "Chưa có số liệu"


def communes_with_data(by_commune: Mapping[int, Mapping[str, Any]], approved: Iterable[int] = ()) -> set[int]:
    """The communes of ``by_commune`` with data for the period (see the module docstring)."""
    locked = set(approved)
    return {cid for cid, values in by_commune.items() if cid in locked or has_records(values or {})}


def coverage_text(covered: int, total: int) -> str:
    """ "tính trên 3/124 xã có số liệu": what a total or a target is measured over."""
    return f"tính trên {covered}/{total} xã có số liệu"


def communes_with_data_between(
    commune_ids: list[int], start, end, *, current: dict[int, str] | None = None
) -> set[int]:
    """``communes_with_data`` for a window that is not a reporting period (a target's year to
    date): the communes whose figures of the window hold a record (``figures.communes_with_records``:
    one flag per commune read from the stored figures, not the figures themselves) and those with
    an approved report of a period ending inside it. Two reads, whatever the number of communes.
    ``current``: the communes' data stamps when the caller has read them."""
    if not commune_ids:
        return set()
    with_records = communes_with_records(commune_ids=commune_ids, window=(start, end), current=current)
    approved = _approved_between(ids=Ids(list(commune_ids)), start=start, end=end)
    return with_records | set(approved)


@prepared
def _approved_between(*, ids: Ids, start: dt.date, end: dt.date):
    return Submission.objects.filter(
        commune_id__in_ids=ids, status=SubmissionStatus.APPROVED, period__end__gte=start, period__end__lte=end
    ).values_list("commune_id", flat=True)
