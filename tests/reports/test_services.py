"""Issuing, generating, archiving and reading reports through the services."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditLogEntry
from apps.reports import actions, generation, services
from apps.reports.models import IssuedReport, ReportHeaderConfig, ReportStatus

from .conftest import pdf_text


def _issue(user, unit, period, **kwargs):
    draft = services.draft_build(user=user, unit=unit, period=period)
    return services.report_issue(
        actor=user,
        unit=unit,
        period=period,
        narrative_text=kwargs.pop("narrative", draft.narrative),
        figures=draft.figures,
        document_date=kwargs.pop("document_date", dt.date(2026, 9, 16)),
        **kwargs,
    )


def test_header_defaults_follow_the_unit(world):
    commune = services.header_defaults(world.commune_a)
    assert commune["issuing_body"] == "CÔNG AN XÃ TRUNG SƠN"
    assert commune["parent_body"] == "CÔNG AN TỈNH TUYÊN QUANG"
    assert commune["number_symbol"] == "/BC-CAX"
    assert services.header_defaults(world.commune_b)["number_symbol"] == "/BC-CAP"
    province = services.header_defaults(world.province)
    assert province["issuing_body"] == "CÔNG AN TỈNH TUYÊN QUANG"
    assert province["recipients"].splitlines()[-1].startswith("Lưu: VT")


def test_header_save_is_audited_and_versioned(world, province_staff):
    data = {**services.header_defaults(world.commune_a), "signer_name": "Nguyễn Văn Ánh"}
    config = services.header_save(actor=province_staff, unit=world.commune_a, data=data)
    assert config.version == 1
    assert services.header_for(world.commune_a)["signer_name"] == "Nguyễn Văn Ánh"
    services.header_save(actor=province_staff, unit=world.commune_a, data={**data, "signer_name": "Lê B"}, version=1)
    with pytest.raises(ValidationError):
        services.header_save(actor=province_staff, unit=world.commune_a, data=data, version=1)
    entries = AuditLogEntry.objects.filter(action__in=[actions.HEADER_CREATE, actions.HEADER_UPDATE])
    assert entries.count() == 2
    update = entries.get(action=actions.HEADER_UPDATE)
    assert update.before["signer_name"] == "Nguyễn Văn Ánh" and update.after["signer_name"] == "Lê B"
    assert ReportHeaderConfig.objects.get(unit=world.commune_a).version == 2


def test_header_save_refuses_a_unit_outside_scope(world, officer_a):
    with pytest.raises(PermissionDenied):
        services.header_save(actor=officer_a, unit=world.commune_b, data=services.header_defaults(world.commune_b))


def test_draft_counts_per_commune_and_compares_with_the_previous_quarter(data, province_staff, quarter):
    draft = services.draft_build(user=province_staff, unit=data.province, period=quarter)
    figures = draft.figures
    assert figures["period"]["start"] == "2026-06-15" and figures["period"]["end"] == "2026-09-14"
    assert figures["previous"]["label"] == "quý II năm 2026"
    rows = {row["id"]: row["values"] for row in figures["rows"]}
    first = figures["indicators"][0]["code"]
    assert rows[data.commune_a.pk][first] == 3 and rows[data.commune_b.pk][first] == 2
    assert figures["total"][first] == 5
    assert figures["previous"]["total"][first] == 3  # two were detected after 14/06/2026
    assert "Toàn tỉnh hiện có 5 " in draft.narrative["situation"]
    assert "tăng 2 " in draft.narrative["situation"] and "(66,7%)" in draft.narrative["situation"]


def test_aggregate_report_has_no_names(data, province_staff, quarter):
    report = _issue(province_staff, data.province, quarter)
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    text = pdf_text(report.file.open("rb").read())
    for name in ("Nguyễn Văn Hùng", "Đặng Thị Hương", "Lý Văn Sơn"):
        assert name not in text
        assert name not in str(report.figures)


def test_commune_report_is_generated_within_the_request(data, officer_a, quarter):
    report = _issue(officer_a, data.commune_a, quarter, number="12")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100
    content = report.file.open("rb").read()
    assert content.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(content).hexdigest() and report.size == len(content)
    assert report.file.name.startswith("reports/")
    assert AuditLogEntry.objects.filter(action=actions.REPORT_ISSUE, object_id=str(report.pk)).exists()
    assert AuditLogEntry.objects.filter(action=actions.REPORT_GENERATED, object_id=str(report.pk)).exists()


def test_province_report_goes_to_the_worker(data, province_staff, quarter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = _issue(province_staff, data.province, quarter)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and not report.file
    assert len(callbacks) == 1
    callbacks[0]()  # the test settings run tasks with the ImmediateBackend: the job runs now
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.task_id


def test_downloads_return_the_archived_bytes_and_are_audited(data, officer_a, quarter):
    report = _issue(officer_a, data.commune_a, quarter)
    report.refresh_from_db()
    first = services.report_download(actor=officer_a, report=report)
    second = services.report_download(actor=officer_a, report=report)
    assert first == second
    assert hashlib.sha256(second).hexdigest() == report.sha256
    assert AuditLogEntry.objects.filter(action=actions.REPORT_DOWNLOAD, object_id=str(report.pk)).count() == 2


def test_a_tampered_file_is_refused(data, officer_a, quarter):
    report = _issue(officer_a, data.commune_a, quarter)
    report.refresh_from_db()
    with open(report.file.path, "ab") as handle:
        handle.write(b"x")
    with pytest.raises(services.ReportIntegrityError):
        services.report_download(actor=officer_a, report=report)


def test_a_failing_render_marks_the_report_failed(data, province_staff, quarter, monkeypatch):
    report = _issue(province_staff, data.province, quarter)

    def boom(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(generation, "render_pdf", boom)
    with pytest.raises(RuntimeError):
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "hỏng" in report.error
    monkeypatch.undo()
    services.report_retry(actor=province_staff, report=report)


def test_issuing_needs_the_permission_and_the_scope(data, steering_a, officer_a, quarter):
    with pytest.raises(PermissionDenied):
        _issue(steering_a, data.commune_a, quarter)
    with pytest.raises(PermissionDenied):
        services.draft_build(user=officer_a, unit=data.commune_b, period=quarter)


def test_people_list_needs_its_permission(data, province_staff, people_reader):
    with pytest.raises(PermissionDenied):
        services.people_list_issue(actor=province_staff, unit=data.commune_a, as_of=dt.date(2026, 9, 14))
    report = services.people_list_issue(actor=people_reader, unit=data.commune_a, as_of=dt.date(2026, 9, 14))
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.figures["count"] == 3
    text = pdf_text(services.report_download(actor=people_reader, report=report))
    assert "Nguyễn Văn Hùng" in text and "Lý Văn Sơn" in text and "Vũ Minh Tuấn" not in text
    with pytest.raises(PermissionDenied):
        services.report_download(actor=province_staff, report=report)
    assert AuditLogEntry.objects.filter(action=actions.PEOPLE_LIST_DOWNLOAD).count() == 1
    assert IssuedReport.objects.filter(kind="people_list").count() == 1


def test_requeue_stale_reports(data, province_staff, quarter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = _issue(province_staff, data.province, quarter)
    IssuedReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, issued_at=report.issued_at - dt.timedelta(hours=1)
    )
    assert services.requeue_stale() == [report.pk]
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
