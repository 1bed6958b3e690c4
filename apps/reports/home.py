"""Reports' queue on the province staff's home page (registered from ``ReportsConfig.ready()``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import scoping
from apps.core.home import QUEUE_ROWS, Queue, QueueItem

from .models import IssuedReport, ReportStatus


def running_queues(*, user, on: dt.date) -> list[Queue]:
    """Reports still being generated (those who issue reports only)."""
    queues: list[Queue] = []

    if scoping.has_action(user, IssuedReport, "issue"):
        running = (
            scoping.visible_to(IssuedReport.objects.all(), user)
            .filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])
            .select_related("unit")
            .order_by("issued_at", "pk")
        )
        if not user.has_perm("reports.view_people_list"):
            running = running.exclude(kind="people_list")
        queues.append(
            Queue(
                title=_("Báo cáo đang được tạo"),
                count=running.count(),
                items=[
                    QueueItem(
                        f"{r.unit.full_name} – {r.period_label or r.title}",
                        f"{r.get_status_display()} · {r.progress}%",
                        reverse("reports:progress", kwargs={"pk": r.pk}),
                    )
                    for r in running[:QUEUE_ROWS]
                ],
                url=reverse("reports:archive"),
                empty=_("Không có báo cáo nào đang tạo."),
                testid="queue-reports",
            )
        )
    return queues
