"""Background jobs (django-tasks): the report's PDF is rendered by the worker
(``manage.py db_worker``), never in the request. The queue lives in the database
(django-tasks-db), so a queued report survives a restart of the web server or of the worker."""

from __future__ import annotations

try:  # Django 6 ships the framework; on 5.2 the django-tasks backport provides it.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from .generation import report_generate


@task()
def generate_report(report_id: int) -> str:
    return report_generate(report_id=report_id)
