"""Issue 12 §1 journeys in a real browser, on a desktop and on a 375 px phone: an officer records
a home visit, voids it with a reason and sees it struck through in the timeline with the last
visit no longer counting it; province staff preview a report (the PDF says "DỰ THẢO", nothing is
archived) and only then issue it, under a meaningful Vietnamese file name."""

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts import roles
from tests.factories.cases import advance, make_case

# Screenshots for a person to look at (desktop and phone) when PCMT_SHOTS_DIR names a folder.
SHOTS = os.environ.get("PCMT_SHOTS_DIR", "")
CASE_URL_RE = re.compile(r"/cases/(\d+)/$")
DEVICES = ["page", "phone_page"]


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """The journeys need the substances, legal durations and holidays."""


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def _pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return result.stdout.decode("utf-8")


def _vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.mark.parametrize("device", DEVICES)
def test_officer_voids_a_visit_recorded_by_mistake(
    request, device, live_server, login_as, trung_son_officer, current_unit
):
    from apps.cases.models import CaseEvent

    page = request.getfixturevalue(device)
    on = timezone.localdate()
    case = make_case(
        trung_son_officer, current_unit("2458"), full_name="Hà Văn Thắng", detected_on=on - dt.timedelta(days=30)
    )
    case = advance(trung_son_officer, case, "positive_test", on - dt.timedelta(days=25))
    case = advance(trung_son_officer, case, "management_decision", on - dt.timedelta(days=20), decision_number="9/QĐ")

    login_as(page, trung_son_officer)
    page.goto(live_server.url + reverse("cases:casefile_detail", args=[case.pk]))
    expect(page.get_by_test_id("case-last-visit")).to_have_text("Chưa thăm gặp")
    page.get_by_test_id("event-home_visit").click()
    page.locator("#id_event_date").fill(_vn(on - dt.timedelta(days=1)))
    page.locator("#id_result").fill("Gặp đối tượng tại nhà")
    page.get_by_test_id("event-submit").click()
    expect(page).to_have_url(CASE_URL_RE)
    expect(page.get_by_test_id("case-last-visit")).to_have_text(_vn(on - dt.timedelta(days=1)))

    visit = page.get_by_test_id("timeline-item").filter(has_text="Gặp đối tượng tại nhà")
    visit.get_by_test_id("event-void").click()
    expect(page).to_have_url(re.compile(r"/void/$"))
    page.get_by_test_id("void-submit").click()  # without a reason: refused, on the field
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Lý do hủy").fill("Ghi nhầm: hôm đó không đến nhà")
    page.get_by_test_id("void-submit").click()
    expect(page).to_have_url(CASE_URL_RE)

    voided = page.locator("[data-testid=timeline-item][data-voided]")
    expect(voided).to_have_count(1)
    expect(voided).to_contain_text("Đã hủy: Ghi nhầm: hôm đó không đến nhà")
    expect(voided).to_contain_text("Gặp đối tượng tại nhà")  # kept, struck through
    expect(voided.get_by_test_id("event-void")).to_have_count(0)
    assert voided.locator(".event-body").evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    expect(page.get_by_test_id("case-last-visit")).to_have_text("Chưa thăm gặp")
    event = CaseEvent.objects.get(case_file=case, kind="home_visit")
    assert event.voided_at is not None and event.void_reason == "Ghi nhầm: hôm đó không đến nhà"
    if device == "phone_page":
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"horizontal overflow: {width}"
    voided.scroll_into_view_if_needed()
    _shot(page, f"timeline_voided_{'phone' if device == 'phone_page' else 'desktop'}.png")


@pytest.fixture
def province_staff(make_user, settings, tmp_path):
    from apps.areas.models import AdministrativeUnit
    from tests.reports.helpers import grant_report_permissions

    settings.MEDIA_ROOT = tmp_path / "media"
    province = AdministrativeUnit.objects.current().get(level="province", code=settings.PCMT_PROVINCE_CODE)
    user = make_user("tinh.canbo", roles.PROVINCE_STAFF, province)
    grant_report_permissions()
    return user


@pytest.mark.parametrize("device", DEVICES)
def test_report_is_previewed_as_a_draft_then_issued(request, device, live_server, login_as, province_staff, tmp_path):
    from apps.reports.models import IssuedReport

    page = request.getfixturevalue(device)
    suffix = "phone" if device == "phone_page" else "desktop"
    login_as(page, province_staff)
    page.goto(live_server.url + reverse("reports:index"))
    page.get_by_label("Đơn vị").select_option(label="Xã Trung Sơn")
    page.get_by_label("Loại kỳ").select_option("quarter")
    page.get_by_label("Năm").select_option("2026")
    page.get_by_label("Tháng / quý").select_option("3")
    page.get_by_test_id("report-open-draft").click()
    expect(page.get_by_test_id("report-issue")).to_have_count(0)  # the draft page does not issue
    page.get_by_label("Số văn bản").fill("31")
    page.get_by_test_id("report-preview").click()

    expect(page.get_by_test_id("preview-notice")).to_contain_text("DỰ THẢO")
    expect(page.get_by_test_id("draft-head")).to_contain_text("31/BC-CAX")
    assert IssuedReport.objects.count() == 0
    _shot(page, f"report_preview_{suffix}.png")

    # WeasyPrint renders the draft within the request: seconds on a loaded machine
    with page.expect_download(timeout=60_000) as info:
        page.get_by_test_id("report-preview-pdf").click(timeout=60_000)
    assert info.value.suggested_filename == "du-thao-bao-cao-quy-III-2026-xa-trung-son.pdf"
    draft = tmp_path / "draft.pdf"
    info.value.save_as(draft)
    text = _pdf_text(draft)
    assert "DỰ THẢO" in text and "31/BC-CAX" in text
    media = Path(settings.MEDIA_ROOT)
    assert IssuedReport.objects.count() == 0
    assert not (media.exists() and any(p.is_file() for p in media.rglob("*")))  # nothing archived

    page.get_by_test_id("report-issue").click(timeout=60_000)
    progress = page.get_by_test_id("report-progress")
    expect(progress).to_have_attribute("data-status", "done", timeout=60_000)
    report = IssuedReport.objects.get()
    with page.expect_download() as info:
        page.get_by_test_id("report-download").click()
    assert info.value.suggested_filename == "bao-cao-quy-III-2026-xa-trung-son.pdf"
    issued = tmp_path / "issued.pdf"
    info.value.save_as(issued)
    assert "DỰ THẢO" not in _pdf_text(issued)
    assert report.number == "31"
    _shot(page, f"report_issued_{suffix}.png")
