"""Classification's queue on the province staff's home page (registered from ``ClassificationConfig.ready()``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import scoping
from apps.core.home import QUEUE_ROWS, Queue, QueueItem

from .models import Assessment, AssessmentStatus


def proposal_queues(*, user, on: dt.date) -> list[Queue]:
    """Classification proposals waiting for approval (approvers only)."""
    queues: list[Queue] = []

    if scoping.has_action(user, Assessment, "approve"):
        proposals = Assessment.objects.filter(status=AssessmentStatus.PROPOSED).select_related("rule_set")
        proposals = proposals.order_by("-year", "-run_at", "-pk")
        queues.append(
            Queue(
                title=_("Đề xuất phân loại chờ phê duyệt"),
                count=proposals.count(),
                items=[
                    QueueItem(
                        _("Năm %(year)s – %(code)s") % {"year": a.year, "code": a.rule_set.code},
                        _("chạy lúc %(when)s") % {"when": f"{timezone.localtime(a.run_at):%H:%M %d/%m/%Y}"},
                        reverse("classification:assessment_detail", kwargs={"pk": a.pk}),
                    )
                    for a in proposals[:QUEUE_ROWS]
                ],
                url=reverse("classification:table"),
                empty=_("Không có đề xuất nào chờ phê duyệt."),
                testid="queue-proposals",
            )
        )
    return queues
