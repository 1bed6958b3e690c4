"""Issue #6 journey in a real browser: province staff open the quarterly report of the whole
province, read the prefilled draft, issue it, watch the progress page while the background worker
(django-tasks-db, the production queue) renders it, download the PDF and find its SHA-256 in the
archive."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect


@pytest.fixture
def province_staff(make_user, settings, tmp_path):
    from apps.accounts import roles
    from apps.areas.models import AdministrativeUnit
    from tests.reports.helpers import grant_report_permissions

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path / "media"
    province = AdministrativeUnit.objects.current().get(level="province", code=settings.PCMT_PROVINCE_CODE)
    user = make_user("tinh.canbo", roles.PROVINCE_STAFF, province)
    grant_report_permissions()
    return user


def test_province_staff_issue_the_quarterly_report_and_download_it(page, live_server, login_as, province_staff):
    from apps.reports.models import IssuedReport

    login_as(page, province_staff)
    page.goto(live_server.url + reverse("reports:index"))
    page.get_by_label("Đơn vị").select_option(label="Tỉnh Tuyên Quang")
    page.get_by_label("Loại kỳ").select_option("quarter")
    page.get_by_label("Năm").select_option("2026")
    page.get_by_label("Tháng / quý").select_option("3")
    page.get_by_test_id("report-open-draft").click()

    expect(page).to_have_url(re.compile(r"/reports/draft/\d+/\?kind=quarter&year=2026&number=3$"))
    expect(page.get_by_test_id("draft-head")).to_contain_text("CÔNG AN TỈNH TUYÊN QUANG")
    expect(page.locator("textarea[data-section=situation]")).to_have_value(re.compile(r"^Toàn tỉnh hiện có 0 "))
    page.get_by_label("Số văn bản").fill("125")
    # Issue 12 §1: the draft leads to the preview ("DỰ THẢO", nothing archived), which issues.
    page.get_by_test_id("report-preview").click()
    expect(page.get_by_test_id("preview-notice")).to_contain_text("DỰ THẢO")
    assert not IssuedReport.objects.exists()
    page.get_by_test_id("report-issue").click()

    # The request only queued the job: the progress page polls until the worker is done.
    progress = page.get_by_test_id("report-progress")
    expect(progress).to_have_attribute("data-status", "queued")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker process
    expect(progress).to_have_attribute("data-status", "done", timeout=15_000)

    report = IssuedReport.objects.get()
    expect(page.get_by_test_id("report-sha256")).to_have_text(report.sha256)
    with page.expect_download() as info:
        page.get_by_test_id("report-download").click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == report.sha256
    assert info.value.suggested_filename == "bao-cao-quy-III-2026-tinh-tuyen-quang.pdf"

    page.goto(live_server.url + reverse("reports:archive"))
    row = page.get_by_test_id("report-row").filter(has_text="quý III năm 2026")
    expect(row.get_by_test_id("report-sha")).to_have_attribute("title", report.sha256)
    expect(row).to_contain_text("125")
