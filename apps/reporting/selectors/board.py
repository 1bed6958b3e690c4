"""The submission status board: every commune of the scope with its report's state for a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.core.collation import vi_order
from apps.core.lookups import Ids

from .. import services
from ..models import ReportingPeriod, Submission, SubmissionStatus

# --- status board ---------------------------------------------------------------------------------

#: board state → (label, badge class)
BOARD_STATES = {
    "approved": ("Đã phê duyệt", "badge-ok"),
    "submitted": ("Đã nộp, chờ duyệt", "badge-info"),
    "returned": ("Bị trả lại", "badge-warn"),
    "late": ("Quá hạn, chưa nộp", "badge-danger"),
    "pending": ("Chưa nộp (chưa đến hạn)", "badge-muted"),
}


def board_state(submission: Submission | None, period: ReportingPeriod, on: dt.date) -> str:
    status = submission.status if submission else SubmissionStatus.DRAFT
    if status == SubmissionStatus.DRAFT:
        return "late" if on > period.deadline else "pending"
    return str(status)


@dataclass
class BoardRow:
    commune: AdministrativeUnit
    submission: Submission | None
    state: str

    @property
    def state_label(self) -> str:
        return BOARD_STATES[self.state][0]

    @property
    def badge(self) -> str:
        return BOARD_STATES[self.state][1]

    @property
    def submitted_late(self) -> bool:
        return bool(self.submission and self.submission.submitted_late)


@dataclass
class StatusBoard:
    period: ReportingPeriod
    rows: list[BoardRow]
    counts: dict[str, int]
    total: int
    state: str = ""
    on: dt.date = field(default_factory=timezone.localdate)


def status_board(*, user, period: ReportingPeriod, state: str = "", on: dt.date | None = None) -> StatusBoard:
    """Every current commune of the user's scope with its submission state for the period: approved,
    submitted, returned, late (deadline passed, nothing submitted) or pending. Three queries."""
    on = on or timezone.localdate()
    ids = services.scoped_commune_ids(user)
    communes = list(vi_order(AdministrativeUnit.objects.filter(pk__in_ids=Ids(ids)), "name"))
    submissions = {
        s.commune_id: s
        for s in Submission.objects.filter(period=period, commune_id__in_ids=Ids(ids)).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    rows = []
    counts = dict.fromkeys(BOARD_STATES, 0)
    for commune in communes:
        submission = submissions.get(commune.pk)
        if submission is not None:
            submission.period = period
        row_state = board_state(submission, period, on)
        counts[row_state] += 1
        if not state or state == row_state:
            rows.append(BoardRow(commune, submission, row_state))
    return StatusBoard(period=period, rows=rows, counts=counts, total=len(communes), state=state, on=on)


def submission_for(*, user, commune: AdministrativeUnit, period: ReportingPeriod) -> Submission | None:
    services.scoped_commune_ids(user, commune)
    return (
        Submission.objects.filter(period=period, commune=commune).select_related("submitted_by", "reviewed_by").first()
    )
