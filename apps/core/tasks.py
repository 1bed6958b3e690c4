"""Background jobs of the shared import flow (see ``core.import_jobs``), and their enqueueing:
the queueing lives next to the task so ``import_jobs`` never imports this module (no cycle)."""

from __future__ import annotations

import datetime as dt

from . import import_jobs

try:  # Django 6 ships the framework; on 5.2 the django-tasks backport provides it.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task


@task()
def run_import_job(token: str, user_id: int, kind: str, resource: str, audit_action: str, confirm: bool) -> str:
    return import_jobs.execute(
        token=token, user_id=user_id, kind=kind, resource=resource, audit_action=audit_action, confirm=confirm
    )


def start_import(*, user, token: str, kind: str, resource: str, audit_action: str, confirm: bool, total: int) -> None:
    """Queue the preview (``confirm=False``) or the import of a waiting upload."""
    import_jobs.write_job(
        token,
        {
            "user": user.pk,
            "kind": kind,
            "confirm": confirm,
            "state": "queued",
            "done": 0,
            "total": total,
            "created": dt.datetime.now(dt.UTC).isoformat(),
        },
    )
    run_import_job.enqueue(token, user.pk, kind, resource, audit_action, confirm)
