"""Reporting's part of the home page (issue 12 §3), registered from ``ReportingConfig.ready()``
(``apps.core.home`` holds the page's frame and asks ``apps.core.registry`` for the sections):

* commune officer — the reporting tasks of their commune: the quarter due and its deadline, the
  quarters past their deadline without a submission ("quá hạn, chưa nộp") and the submissions the
  province returned ("bị trả lại") with its reason and the page where they are corrected and
  resubmitted;
* province staff — what waits for them: submissions to approve, communes late for the last
  quarter (classification and reports add their own queues);
* steering member — the key figures of their unit for the last ended quarter (aggregates only,
  the same numbers as the dashboard, which the page links to).

Every read goes through ``apps.core.scoping`` (directly or through the reporting selectors) and
costs a constant number of queries, whatever the number of communes, periods or cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.home import QUEUE_ROWS, Queue, QueueItem

from . import selectors as reporting_selectors
from . import services as reporting_services
from .models import PeriodKind, ReportingPeriod, Submission, SubmissionStatus
from .periods import latest_ended, period_get, period_window

#: the period communes submit (the province reviews and locks quarters)
TASK_KIND = PeriodKind.QUARTER
#: how far back a quarter not submitted is still listed as a task
LATE_HORIZON_DAYS = 366
#: the steering member's key figures on the home page (the dashboard has them all)
HOME_FIGURES = ["people_total", "people_new", "relapses", "hotspots_active", "crime_cases", "activities"]


def _submission_url(commune_id: int, period: ReportingPeriod) -> str:
    url = reverse("reporting:submission", kwargs={"pk": commune_id})
    return f"{url}?{reporting_selectors.period_query(period)}"


# --- commune officer ------------------------------------------------------------------------------


@dataclass
class ReportingTask:
    period: ReportingPeriod
    state: str
    submission: Submission | None
    url: str

    @property
    def state_label(self) -> str:
        return reporting_selectors.BOARD_STATES[self.state][0]

    @property
    def badge(self) -> str:
        return reporting_selectors.BOARD_STATES[self.state][1]

    @property
    def reason(self) -> str:
        return self.submission.return_reason if self.submission else ""

    @property
    def reviewer_name(self) -> str:
        reviewer = self.submission.reviewed_by if self.submission else None
        return (reviewer.get_full_name() or reviewer.get_username()) if reviewer else ""


@dataclass
class OfficerTasks:
    commune: AdministrativeUnit
    #: the last ended quarter, whatever its state (pending: its deadline is ahead)
    latest: ReportingTask
    #: the quarter running now, with the deadline of its report
    upcoming: ReportingPeriod
    late: list[ReportingTask] = field(default_factory=list)
    returned: list[ReportingTask] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.late) + len(self.returned) + (1 if self.latest.state == "pending" else 0)


def officer_tasks(*, user, on: dt.date | None = None) -> OfficerTasks | None:
    """The reporting tasks of the officer's commune, or None for an account that does not submit
    a commune's figures. Five queries at most (scope, calendar, periods, submissions)."""
    commune = scoping.scope_root(user)
    if commune is None or commune.level != Level.COMMUNE or not user.has_perm(reporting_services.SUBMIT_PERM):
        return None
    if commune.pk not in reporting_services.scoped_commune_ids(user, commune):
        return None  # a former commune: nothing to submit any more
    on = on or timezone.localdate()
    latest = latest_ended(TASK_KIND, on)
    horizon = on - dt.timedelta(days=LATE_HORIZON_DAYS)
    periods = {
        p.pk: p
        for p in ReportingPeriod.objects.filter(kind=TASK_KIND, end__lte=latest.end, deadline__gte=horizon).order_by(
            "start"
        )
    }
    periods[latest.pk] = latest
    submissions = {
        s.period_id: s
        for s in scoping.visible_to(Submission.objects.all(), user)
        .filter(commune=commune)
        .filter(Q(period_id__in=list(periods)) | Q(status=SubmissionStatus.RETURNED))
        .select_related("period", "reviewed_by")
    }

    def task(period: ReportingPeriod) -> ReportingTask:
        submission = submissions.get(period.pk)
        state = reporting_selectors.board_state(submission, period, on)
        return ReportingTask(period, state, submission, _submission_url(commune.pk, period))

    late = [t for t in map(task, periods.values()) if t.state == "late"]
    returned = sorted(
        (task(s.period) for s in submissions.values() if s.status == SubmissionStatus.RETURNED),
        key=lambda t: t.period.end,
    )
    upcoming = _upcoming(latest)
    return OfficerTasks(commune=commune, latest=task(latest), upcoming=upcoming, late=late, returned=returned)


def _upcoming(latest: ReportingPeriod) -> ReportingPeriod:
    number, year = (latest.number % 4) + 1, latest.year + (1 if latest.number == 4 else 0)
    found = ReportingPeriod.objects.filter(kind=TASK_KIND, year=year, number=number).first()
    if found is not None:
        return found
    period_window(TASK_KIND, year, number)  # validates before creating
    return period_get(TASK_KIND, year, number)


# --- province staff -------------------------------------------------------------------------------


def submission_queues(*, user, on: dt.date) -> list[Queue]:
    """Submissions waiting for approval and communes late for the last quarter (reviewers only)."""
    queues: list[Queue] = []
    if user.has_perm(reporting_services.REVIEW_PERM):
        waiting = (
            scoping.visible_to(Submission.objects.all(), user)
            .filter(status=SubmissionStatus.SUBMITTED)
            .select_related("commune", "period")
            .order_by("submitted_at", "pk")
        )
        count = waiting.count()
        rows = list(waiting[:QUEUE_ROWS])
        queues.append(
            Queue(
                title=_("Số liệu chờ phê duyệt"),
                count=count,
                items=[
                    QueueItem(
                        s.commune.full_name,
                        _("%(period)s · nộp %(date)s")
                        % {"period": s.period.label, "date": f"{timezone.localtime(s.submitted_at):%d/%m/%Y}"}
                        if s.submitted_at
                        else s.period.label,
                        _submission_url(s.commune_id, s.period),
                    )
                    for s in rows
                ],
                url=reverse("reporting:status_board") + "?state=submitted",
                empty=_("Không có số liệu nào chờ duyệt."),
                testid="queue-submitted",
            )
        )
        latest = latest_ended(TASK_KIND, on)
        board = reporting_selectors.status_board(user=user, period=latest, state="late", on=on)
        query = reporting_selectors.period_query(latest)
        queues.append(
            Queue(
                title=_("Xã quá hạn, chưa nộp %(period)s") % {"period": latest.label},
                count=board.counts["late"],
                items=[
                    QueueItem(
                        r.commune.full_name,
                        _("hạn nộp %(date)s") % {"date": f"{latest.deadline:%d/%m/%Y}"},
                        _submission_url(r.commune.pk, latest),
                    )
                    for r in board.rows[:QUEUE_ROWS]
                ],
                url=f"{reverse('reporting:status_board')}?{query}&state=late",
                empty=(_("Mọi xã đã nộp %(period)s.") if on > latest.deadline else _("Chưa đến hạn nộp %(period)s."))
                % {"period": latest.label},
                testid="queue-late",
            )
        )
    return queues


# --- steering member ------------------------------------------------------------------------------


@dataclass
class KeyFigures:
    unit: AdministrativeUnit | None
    period: ReportingPeriod
    figures: list[reporting_selectors.KeyFigure]
    no_data: bool
    coverage_text: str
    url: str


def steering_figures(*, user, on: dt.date | None = None) -> KeyFigures | None:
    """The key figures of the member's unit for the last ended quarter, read through the
    dashboard selector (same numbers, same locked snapshots, same scope); counts only."""
    if user.has_perm("cases.view_casefile") or not user.has_perm(reporting_services.VIEW_PERM):
        return None  # officers and province staff have their own work on the page
    area = scoping.scope_root(user)
    period = latest_ended(TASK_KIND, on)
    unit = area if area is not None and area.level == Level.COMMUNE else None
    dash = reporting_selectors.dashboard(user=user, unit=unit, period=period, with_table=False)
    by_code = {f.code: f for f in dash.key_figures}
    query = reporting_selectors.period_query(period)
    url = (
        reverse("reporting:commune_dashboard", kwargs={"pk": unit.pk})
        if unit is not None
        else reverse("reporting:dashboard")
    )
    return KeyFigures(
        unit=area,
        period=period,
        figures=[by_code[c] for c in HOME_FIGURES if c in by_code],
        no_data=dash.no_data,
        coverage_text=dash.coverage_text,
        url=f"{url}?{query}",
    )
