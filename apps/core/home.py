"""The home page's frame: each role's own work, first thing after logging in (issue 12 §3).

The sections come from the apps that own the work, registered in ``apps.core.registry`` from
their ``AppConfig.ready()``: cases (the officer's worklist counts), reporting (the officer's
reporting tasks, the steering member's key figures, the submission queues), classification
(proposals to approve) and reports (reports being generated). This module holds only what the
sections share: the reviewers' queue shape and the order the queues are shown in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from apps.areas.choices import Level

from . import registry, scoping

#: rows listed per queue on the province staff's home page (the full lists are one click away)
QUEUE_ROWS = 5


@dataclass
class QueueItem:
    label: str
    detail: str
    url: str


@dataclass
class Queue:
    title: str
    count: int
    items: list[QueueItem]
    url: str
    empty: str
    testid: str


def province_queues(*, user, on: dt.date | None = None) -> list[Queue]:
    """What waits for a reviewer: each registered queue, shown only to the roles allowed to act on it."""
    root = scoping.scope_root(user)
    if root is not None and root.level == Level.COMMUNE:
        return []  # a commune's own tasks are the officer's section
    on = on or timezone.localdate()
    queues: list[Queue] = []
    for provider in registry.home_queue_providers():
        queues.extend(provider(user=user, on=on))
    return queues


def sections(*, user) -> dict[str, object]:
    """The home page's context: every registered section, then the reviewers' queues."""
    context = {name: provider(user=user) for name, provider in registry.home_sections().items()}
    context["queues"] = province_queues(user=user)
    return context
