"""Background jobs of the shared import flow (see ``core.import_jobs``)."""

from __future__ import annotations

try:  # Django 6 ships the framework; on 5.2 the django-tasks backport provides it.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task


@task()
def run_import_job(token: str, user_id: int, kind: str, resource: str, audit_action: str, confirm: bool) -> str:
    from .import_jobs import execute

    return execute(
        token=token, user_id=user_id, kind=kind, resource=resource, audit_action=audit_action, confirm=confirm
    )
