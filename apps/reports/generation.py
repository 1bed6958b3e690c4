"""Rendering an issued report's PDF from what it archived, and the job that does it (run by the
worker through ``tasks.generate_report``, or in the request for a single commune). Below
``services`` and ``tasks`` both: ``services`` queues the task, the task runs this, so neither
imports the other's caller."""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record

from . import actions, documents
from .models import IssuedReport, ReportStatus
from .pdf import render_pdf
from .selectors import people_list_rows

# the logger the job always wrote to, so log routing and alerts keep matching
logger = logging.getLogger("apps.reports.services")


def _progress(report: IssuedReport, progress: int, status: str = ReportStatus.RUNNING) -> None:
    report.progress, report.status = progress, status
    IssuedReport.objects.filter(pk=report.pk).update(progress=progress, status=status)


def render_report(report: IssuedReport) -> bytes:
    """The PDF of an issued report, from what it archived."""
    if report.is_people_list:
        rows = people_list_rows(unit=report.unit, as_of=report.period_end)
        context = documents.people_list_context(
            header=report.header,
            rows=rows,
            unit=report.unit,
            as_of=report.period_end,
            number=report.number,
            document_date=report.document_date,
        )
        return render_pdf("reports/pdf/people_list.html", context)
    context = documents.periodic_context(
        header=report.header,
        figures=report.figures,
        narrative=report.narrative,
        number=report.number,
        document_date=report.document_date,
    )
    return render_pdf("reports/pdf/periodic.html", context)


def report_generate(*, report_id: int) -> str:
    """The job: render the PDF, store it with its SHA-256, mark the report done (or failed).

    Idempotent: a report already done is left alone, so a job delivered twice (after a worker
    restart) changes nothing.
    """
    report = IssuedReport.objects.select_related("unit", "issued_by").get(pk=report_id)
    if report.status == ReportStatus.DONE:
        return report.status
    started = time.monotonic()
    try:
        _progress(report, 10)
        content = render_report(report)
        _progress(report, 90)
        digest = hashlib.sha256(content).hexdigest()
        with transaction.atomic():
            report.file.save(report.filename, ContentFile(content), save=False)
            report.sha256 = digest
            report.size = len(content)
            report.status = ReportStatus.DONE
            report.progress = 100
            report.error = ""
            report.finished_at = timezone.now()
            report.duration_ms = int((time.monotonic() - started) * 1000)
            report.save(
                update_fields=["file", "sha256", "size", "status", "progress", "error", "finished_at", "duration_ms"]
            )
            audit_record(
                actor=report.issued_by,
                action=actions.REPORT_GENERATED,
                obj=report,
                area=report.unit,
                after={"sha256": digest, "size": len(content), "duration_ms": report.duration_ms},
            )
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        IssuedReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        audit_record(
            actor=report.issued_by,
            action=actions.REPORT_FAILED,
            obj=report,
            area=report.unit,
            after={"error": f"{type(exc).__name__}: {exc}"[:500]},
        )
        raise
    return report.status
