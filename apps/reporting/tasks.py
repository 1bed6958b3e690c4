"""Background jobs of reporting (django-tasks, run by ``manage.py db_worker``)."""

from __future__ import annotations

try:  # Django 6 ships the framework; on 5.2 the django-tasks backport provides it.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task


@task()
def refresh_figures(area_ids: list[int]) -> int:
    """Recompute the stored figures made stale by changes in these areas (see ``figures.refresh``)."""
    from .figures import refresh

    return refresh(area_ids)
