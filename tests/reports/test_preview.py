"""Issuing a report shows a preview first (issue 12 §1): the PDF marked "DỰ THẢO", not archived
(no issued report, no stored file, no audit of an issue), then "Phát hành"; the file names are
Vietnamese and meaningful; the signature block carries the signer's name when configured."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.reports import actions, services
from apps.reports.models import IssuedReport, ReportStatus

from .conftest import pdf_text


def _draft_url(unit, kind="quarter", year=2026, number=3):
    return f"{reverse('reports:draft', args=[unit.pk])}?kind={kind}&year={year}&number={number}"


def _payload(client, unit, **extra):
    page = client.get(_draft_url(unit))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["document_date"] = "16/09/2026"
    data.update(extra)
    return data


def _media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_draft_page_offers_the_preview_not_the_issue(data, client_for, province_staff):
    page = client_for(province_staff).get(_draft_url(data.commune_a)).content.decode()
    assert 'data-testid="report-preview"' in page
    assert 'data-testid="report-issue"' not in page


def test_the_preview_archives_nothing_and_leads_to_the_issue(data, client_for, province_staff, settings):
    client = client_for(province_staff)
    payload = _payload(client, data.commune_a, number="7", step="preview", section_situation="Tình hình\nđoạn hai")
    response = client.post(_draft_url(data.commune_a), payload)
    assert response.status_code == 200
    page = response.content.decode()
    assert "DỰ THẢO" in page
    assert 'data-testid="report-issue"' in page and 'data-testid="report-preview-pdf"' in page
    assert response.context["form"]["section_situation"].value() == "Tình hình\nđoạn hai"
    assert IssuedReport.objects.count() == 0
    assert not AuditLogEntry.objects.filter(action=actions.REPORT_ISSUE).exists()


def test_the_draft_pdf_is_marked_and_not_archived(data, client_for, province_staff, settings):
    client = client_for(province_staff)
    response = client.post(_draft_url(data.province), _payload(client, data.province, number="125", step="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = "du-thao-bao-cao-quy-III-2026-tinh-tuyen-quang.pdf"
    assert response["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    text = pdf_text(response.content)
    assert "DỰ THẢO" in text
    assert "125/BC-CAT-PC04" in text
    assert IssuedReport.objects.count() == 0
    assert _media_files(settings) == []
    assert not AuditLogEntry.objects.filter(action__startswith="reports.report").exists()


def test_issue_from_the_preview_archives_the_report_without_the_draft_mark(
    data, client_for, province_staff, django_capture_on_commit_callbacks
):
    client = client_for(province_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_draft_url(data.commune_a), _payload(client, data.commune_a, step="issue"))
    report = IssuedReport.objects.get()
    assert response.status_code == 302
    assert report.status == ReportStatus.DONE
    download = client.get(reverse("reports:download", args=[report.pk]))
    name = "bao-cao-quy-III-2026-xa-trung-son.pdf"
    assert download["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    assert "DỰ THẢO" not in pdf_text(b"".join(download.streaming_content) if download.streaming else download.content)
    xlsx = client.get(reverse("reports:export_xlsx", args=[report.pk]))
    assert 'filename="bao-cao-quy-III-2026-xa-trung-son.xlsx"' in xlsx["Content-Disposition"]


def test_back_to_edit_keeps_what_was_typed(data, client_for, province_staff):
    client = client_for(province_staff)
    payload = _payload(client, data.commune_a, step="edit", section_situation="Đã sửa trong bản xem trước")
    response = client.post(_draft_url(data.commune_a), payload)
    assert response.status_code == 200
    assert 'data-testid="report-preview"' in response.content.decode()
    assert response.context["form"]["section_situation"].value() == "Đã sửa trong bản xem trước"
    assert IssuedReport.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("month", 10, "bao-cao-thang-10-2026-xa-trung-son.pdf"),
        ("quarter", 3, "bao-cao-quy-III-2026-xa-trung-son.pdf"),
        ("half", 1, "bao-cao-6-thang-dau-nam-2026-xa-trung-son.pdf"),
        ("nine_months", 1, "bao-cao-9-thang-2026-xa-trung-son.pdf"),
        ("year", 1, "bao-cao-nam-2026-xa-trung-son.pdf"),
    ],
)
def test_file_names_are_vietnamese_and_meaningful(world, kind, number, expected):
    assert services.report_filename(unit=world.commune_a, period_kind=kind, year=2026, number=number) == expected
    assert (
        services.report_filename(unit=world.commune_a, period_kind=kind, year=2026, number=number, draft=True)
        == f"du-thao-{expected}"
    )


def test_the_people_list_file_name(world):
    name = services.report_filename(unit=world.commune_b, as_of=dt.date(2026, 9, 14))
    assert name == "danh-sach-nguoi-co-ho-so-quan-ly-den-ngay-14-09-2026-phuong-minh-xuan.pdf"


def test_the_signer_configured_by_province_staff_signs_the_preview_and_the_report(
    data, client_for, province_staff, django_capture_on_commit_callbacks
):
    header = services.header_for(data.commune_a)
    header.update(signer_title="Trưởng Công an xã", signer_name="Nguyễn Văn Bình")
    services.header_save(actor=province_staff, unit=data.commune_a, data=header)
    client = client_for(province_staff)
    preview = client.post(_draft_url(data.commune_a), _payload(client, data.commune_a, step="preview"))
    assert "Nguyễn Văn Bình" in preview.content.decode()
    draft_pdf = client.post(_draft_url(data.commune_a), _payload(client, data.commune_a, step="pdf"))
    assert "Nguyễn Văn Bình" in pdf_text(draft_pdf.content)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_draft_url(data.commune_a), _payload(client, data.commune_a, step="issue"))
    report = IssuedReport.objects.get()
    text = pdf_text(report.file.open("rb").read())
    assert "TRƯỞNG CÔNG AN XÃ" in text and "Nguyễn Văn Bình" in text
