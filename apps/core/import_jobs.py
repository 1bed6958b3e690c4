"""Large imports run in the background (django-tasks, as the province report does).

A file with more data rows than ``IMPORT_BACKGROUND_ROWS`` cannot be checked and written within
gunicorn's timeout (20,000 case rows take about a minute per step on PostgreSQL). Its preview
and its confirmation are then the same ``import_file`` call (one transaction, all or nothing)
run by the worker; the page polls a small state file next to the waiting upload, which the
worker updates with the rows done so far and finally with the report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .imports import (
    FieldChange,
    ImportFileError,
    ImportReport,
    PendingImport,
    RowChange,
    RowError,
    UnitConversion,
    import_file,
    review_preview,
)

logger = logging.getLogger(__name__)


def job_path(token: str) -> Path:
    # "<token>.job.json": purged with the previews (PendingImport("<token>.job") is its own meta).
    return Path(settings.IMPORT_TMP_DIR) / f"{token}.job.json"


def write_job(token: str, state: dict[str, Any]) -> None:
    """Replace the state atomically (the page may read it at any moment); owner-only."""
    path = job_path(token)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(state, out)
    os.replace(temporary, path)


def read_job(token: str) -> dict[str, Any] | None:
    if not token or not token.isalnum() or len(token) != 32:
        return None
    try:
        return json.loads(job_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def discard_job(token: str) -> None:
    job_path(token).unlink(missing_ok=True)


def report_to_dict(report: ImportReport) -> dict[str, Any]:
    data = dataclasses.asdict(report)
    data.pop("baseline", None)  # kept with the waiting upload, not in the page's state file
    return data


def report_from_dict(data: dict[str, Any]) -> ImportReport:
    return ImportReport(
        total_rows=data["total_rows"],
        new=data["new"],
        updated=data["updated"],
        skipped=data["skipped"],
        errors=[RowError(**e) for e in data["errors"]],
        warnings=[RowError(**w) for w in data["warnings"]],
        changes=[
            RowChange(row=c["row"], label=c["label"], fields=[FieldChange(**f) for f in c["fields"]])
            for c in data["changes"]
        ],
        stale=data.get("stale", False),
        conversions=[UnitConversion(**c) for c in data.get("conversions", [])],
    )


def resource_path(resource_class) -> str | None:
    """The importable path of a resource class, or None for one made per request."""
    path = f"{resource_class.__module__}.{resource_class.__qualname__}"
    try:
        return path if import_string(path) is resource_class else None
    except ImportError:
        return None


def execute(*, token: str, user_id: int, kind: str, resource: str, audit_action: str, confirm: bool) -> str:
    """The worker's side: run ``import_file`` with progress, store the report (or the refusal)."""
    from django.contrib.auth import get_user_model

    state = read_job(token) or {"user": user_id, "kind": kind, "confirm": confirm, "total": 0}
    state.setdefault("created", dt.datetime.now(dt.UTC).isoformat())
    try:
        user = get_user_model().objects.get(pk=user_id)
        pending, content, meta = PendingImport.load(token, user=user, kind=kind)
        instance = import_string(resource)(user=user)

        def progress(done: int) -> None:
            write_job(token, {**state, "state": "running", "done": done})

        instance.progress = progress
        write_job(token, {**state, "state": "running", "done": 0})
        report = import_file(
            actor=user,
            resource=instance,
            content=content,
            filename=meta["filename"],
            dry_run=not confirm,
            audit_action=audit_action,
            expected=PendingImport.baseline_of(meta) if confirm else None,
        )
        if confirm and report.ok:
            pending.discard()
        elif not confirm:
            review_preview(actor=user, resource=instance, report=report, kind=kind, filename=meta["filename"])
            if report.ok:
                pending.set_baseline(report.baseline)
        write_job(
            token,
            {
                **state,
                "state": "done",
                "done": report.total_rows,
                "filename": meta["filename"],
                "report": report_to_dict(report),
            },
        )
        return "done"
    except ImportFileError as exc:
        write_job(token, {**state, "state": "failed", "error": str(exc)})
        return "failed"
    except Exception:
        logger.exception("Background import %s failed", token)
        write_job(
            token,
            {**state, "state": "failed", "error": _("Không nhập được tệp do lỗi hệ thống; chưa có gì được ghi.")},
        )
        return "failed"
