"""The background job with the production queue (django-tasks-db): the job is a row in the
database, so it outlives the web process that queued it, and the worker command runs it."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command

from apps.reports import services
from apps.reports.models import IssuedReport, ReportStatus


@pytest.fixture
def db_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_queued_job_is_stored_and_the_worker_runs_it(
    data, province_staff, quarter, db_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    draft = services.draft_build(user=province_staff, unit=data.province, period=quarter)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_issue(
            actor=province_staff,
            unit=data.province,
            period=quarter,
            narrative_text=draft.narrative,
            figures=draft.figures,
            document_date=dt.date(2026, 9, 16),
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED  # nothing ran in the "request"
    job = DBTaskResult.objects.get()
    assert str(job.id) == report.task_id
    assert job.task_path == "apps.reports.tasks.generate_report"
    assert job.args_kwargs["args"] == [report.pk]
    # A restart loses nothing: the job is a row; a new worker process picks it up. The worker closes
    # "old" connections between jobs, which inside the test's transaction would close the test's own
    # PostgreSQL connection, so that call alone is neutralised here.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.file.open("rb").read().startswith(b"%PDF")
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"


def test_a_job_delivered_twice_changes_nothing(data, officer_a, quarter):
    draft = services.draft_build(user=officer_a, unit=data.commune_a, period=quarter)
    report = services.report_issue(
        actor=officer_a, unit=data.commune_a, period=quarter, narrative_text=draft.narrative, figures=draft.figures
    )
    report.refresh_from_db()
    sha = report.sha256
    from apps.reports.tasks import generate_report

    generate_report.call(report.pk)
    assert IssuedReport.objects.get(pk=report.pk).sha256 == sha
