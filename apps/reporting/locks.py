"""Period locks: once the province approves a commune's submission, data dated inside that
period's window may not change for that commune until province staff reopen it (with a reason).

Registered into ``apps.core.registry`` from ``ReportingConfig.ready()``: the services of cases,
registers and prevention call ``apps.core.registry.ensure_unlocked`` / ``LockIndex`` (the
periods live in this app, above them), which ask:

* ``ensure_unlocked(*, commune, day, until=None)`` — raises ``django.core.exceptions.ValidationError``
  (Vietnamese message naming the period, the date and what to do) when ``day`` (or any day of
  [``day``, ``until``]) lies inside the window of an APPROVED submission of ``commune``. ``commune``
  is a unit, a unit id, or an iterable of them (an activity covering several communes). ``day=None``
  is ignored. One indexed query.
* ``locked_submission(*, commune, day, until=None) -> Submission | None`` — the same test, without raising.

Call it inside the service's transaction, for the record's date(s) BEFORE and AFTER the change
(moving a date out of a locked window changes the locked period's figures too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Submission, SubmissionStatus


def _commune_ids(commune: Any) -> list[int]:
    if commune is None:
        return []
    if isinstance(commune, int):
        return [commune]
    if hasattr(commune, "pk"):
        return [commune.pk]
    if isinstance(commune, Iterable) and not isinstance(commune, str | bytes):
        return [c if isinstance(c, int) else c.pk for c in commune]
    return [int(commune)]


def locked_submission(*, commune: Any, day: dt.date | None, until: dt.date | None = None) -> Submission | None:
    ids = _commune_ids(commune)
    if day is None or not ids:
        return None
    until = until or day
    return (
        Submission.objects.filter(
            commune_id__in=ids,
            status=SubmissionStatus.APPROVED,
            period__start__lte=until,
            period__end__gte=day,
        )
        .select_related("period", "commune")
        .order_by("period__start", "pk")
        .first()
    )


def lock_message(submission: Submission, day: dt.date) -> str:
    period = submission.period
    shown = max(day, period.start)
    return _(
        "Kỳ báo cáo %(period)s (%(start)s – %(end)s) của %(commune)s đã được phê duyệt và khóa; muốn sửa số liệu "
        "ngày %(day)s cần cán bộ tỉnh mở lại kỳ (ghi rõ lý do)."
    ) % {
        "period": period.label,
        "start": f"{period.start:%d/%m/%Y}",
        "end": f"{period.end:%d/%m/%Y}",
        "commune": submission.commune,
        "day": f"{shown:%d/%m/%Y}",
    }


def ensure_unlocked(*, commune: Any, day: dt.date | None, until: dt.date | None = None) -> None:
    """Raise ``ValidationError`` when [day, until] touches a locked (approved) period of ``commune``."""
    submission = locked_submission(commune=commune, day=day, until=until)
    if submission is not None:
        raise ValidationError(lock_message(submission, day), code="period_locked")


class LockIndex:
    """The approved windows of a set of communes, read in one query: ``ensure_unlocked`` for bulk
    writes (a spreadsheet import checks thousands of rows without a query per row). Read inside
    the writing transaction, like the single-row check."""

    def __init__(self, commune_ids: Iterable[int]):
        self._windows: dict[int, list[Submission]] = {}
        for submission in (
            Submission.objects.filter(commune_id__in=list(commune_ids), status=SubmissionStatus.APPROVED)
            .select_related("period", "commune")
            .order_by("period__start", "pk")
        ):
            self._windows.setdefault(submission.commune_id, []).append(submission)

    def locked_submission(
        self, *, commune: Any, day: dt.date | None, until: dt.date | None = None
    ) -> Submission | None:
        if day is None:
            return None
        until = until or day
        for cid in _commune_ids(commune):
            for submission in self._windows.get(cid, []):
                if submission.period.start <= until and submission.period.end >= day:
                    return submission
        return None

    def ensure_unlocked(self, *, commune: Any, day: dt.date | None, until: dt.date | None = None) -> None:
        submission = self.locked_submission(commune=commune, day=day, until=until)
        if submission is not None:
            raise ValidationError(lock_message(submission, day), code="period_locked")
