"""Background jobs of reporting (django-tasks, run by ``manage.py db_worker``), and their
enqueueing: the queueing lives next to the task so ``figures`` never imports this module (no cycle)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from . import figures
from .models import StoredFigures

try:  # Django 6 ships the framework; on 5.2 the django-tasks backport provides it.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task


@task()
def refresh_figures(area_ids: list[int]) -> int:
    """Recompute the stored figures made stale by changes in these areas (see ``figures.refresh``)."""
    return figures.refresh(area_ids)


def schedule_refresh(area_ids: list[int]) -> None:
    """``audit`` listener: once the writing transaction commits, refresh in the background."""
    if not figures.enabled() or not getattr(settings, "PCMT_FIGURES_REFRESH", True):
        return
    ids = list(area_ids)

    def enqueue() -> None:
        # Nothing stored yet (a fresh install, a seeding run): nothing to refresh, no job.
        if StoredFigures.objects.exists():
            refresh_figures.enqueue(ids)

    transaction.on_commit(enqueue)
