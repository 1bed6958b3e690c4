"""Reporting journeys in a real browser: a commune submits its quarter, the province returns it with a
reason, the commune corrects and resubmits, the province approves on the confirmation page (and the
figures lock); a
steering-committee member reads the dashboards — charts, no names anywhere; an officer of another
commune gets 404 on that commune's dashboard.

Run with the reporting app installed (``--ds=tuyenquang_pcmt.settings.reporting_dev`` until it is
wired into base settings)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

if "apps.reporting" not in settings.INSTALLED_APPS:
    pytest.skip("apps.reporting is not installed", allow_module_level=True)

from apps.accounts import roles  # noqa: E402
from tests.factories.cases import make_managed_case  # noqa: E402

QUERY = "kind=quarter&year=2026&number=1"
NAMES = ["Giàng Seo Bímật", "Hoàng Thị Kínđáo"]


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """Case files need the substances, ethnicities and legal durations."""


@pytest.fixture
def people(make_user, current_unit):
    from apps.areas.models import AdministrativeUnit
    from tests.reporting.conftest import grant_role_permissions

    province = AdministrativeUnit.objects.get(generation_id="2025", level="province")
    users = {
        "officer": make_user("trungson.congan", roles.COMMUNE_OFFICER, current_unit("2458")),
        "other": make_user("minhxuan.congan", roles.COMMUNE_OFFICER, current_unit("2215")),
        "staff": make_user("tinh.canbo", roles.PROVINCE_STAFF, province),
        "steering": make_user("tinh.bcd", roles.STEERING_MEMBER, province),
    }
    grant_role_permissions()
    return users


@pytest.fixture
def trung_son_data(people, current_unit):
    commune = current_unit("2458")
    for name, day in zip(NAMES, (dt.date(2026, 1, 10), dt.date(2026, 2, 3)), strict=True):
        make_managed_case(people["officer"], commune, full_name=name, detected_on=day, substances=["meth"])
    return commune


def submission_url(live_server, commune) -> str:
    return f"{live_server.url}{reverse('reporting:submission', kwargs={'pk': commune.pk})}?{QUERY}"


def test_submit_return_resubmit_approve(page, second_page, live_server, login_as, people, trung_son_data):
    commune = trung_son_data
    url = submission_url(live_server, commune)
    # the commune submits
    login_as(page, people["officer"])
    page.goto(url)
    expect(page.get_by_test_id("value-people_total")).to_have_text("2")
    page.get_by_label("Ghi chú gửi tỉnh (không bắt buộc)").fill("Số liệu quý I đã rà soát")
    page.get_by_test_id("submit-button").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã nộp số liệu Quý I năm 2026")
    expect(page.get_by_test_id("submission-status")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("submit-button")).to_have_count(0)

    # the province returns it, with a reason
    login_as(second_page, people["staff"])
    second_page.goto(f"{live_server.url}{reverse('reporting:status_board')}?{QUERY}")
    row = second_page.locator(f'[data-testid="board-row"][data-commune="{commune.pk}"]')
    expect(row).to_have_attribute("data-state", "submitted")
    row.get_by_role("link").click()
    expect(second_page.get_by_test_id("submitted-people_total")).to_have_text("2")
    second_page.get_by_test_id("return-button").click()  # its own page (issue 12 §1)
    expect(second_page.get_by_label("Lý do trả lại")).to_have_attribute("required", "")  # a reason is required
    second_page.get_by_label("Lý do trả lại").fill("Còn thiếu hồ sơ phát hiện tháng 3, đề nghị bổ sung")
    second_page.get_by_test_id("return-submit").click()
    expect(second_page.get_by_test_id("submission-status")).to_have_attribute("data-status", "returned")

    # the commune sees why, corrects the data and resubmits
    page.reload()
    expect(page.get_by_test_id("return-reason")).to_have_text("Còn thiếu hồ sơ phát hiện tháng 3, đề nghị bổ sung")
    make_managed_case(people["officer"], commune, detected_on=dt.date(2026, 3, 5), substances=["heroin"])
    page.reload()
    expect(page.get_by_test_id("value-people_total")).to_have_text("3")
    page.get_by_test_id("submit-button").click()
    expect(page.get_by_test_id("submission-status")).to_have_attribute("data-status", "submitted")

    # the province approves: the figures are locked
    second_page.reload()
    expect(second_page.get_by_test_id("submitted-people_total")).to_have_text("3")
    second_page.get_by_test_id("approve-button").click()  # a confirmation of what will be locked
    expect(second_page.get_by_test_id("locked-people_total")).to_have_text("3")
    second_page.get_by_label("Tôi đã xem số liệu xã đã nộp và đồng ý phê duyệt, khóa số liệu của kỳ").check()
    second_page.get_by_test_id("approve-submit").click()
    expect(second_page.locator(".msg-success")).to_contain_text("Đã phê duyệt và khóa")
    expect(second_page.get_by_test_id("submission-status")).to_have_attribute("data-status", "approved")
    expect(second_page.get_by_test_id("figures-source")).to_have_attribute("data-source", "locked")
    expect(second_page.get_by_test_id("reopen-button")).to_be_visible()
    second_page.goto(f"{live_server.url}{reverse('reporting:status_board')}?{QUERY}")
    expect(second_page.locator('[data-testid="board-count"][data-state="approved"] .value')).to_have_text("1")


def test_steering_member_sees_charts_and_no_names(page, live_server, login_as, people, trung_son_data):
    login_as(page, people["steering"])
    page.goto(f"{live_server.url}{reverse('reporting:dashboard')}?{QUERY}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bảng điều khiển")
    expect(
        page.locator('[data-testid="key-figure"][data-code="people_total"] [data-testid="key-value"]')
    ).to_have_text("2")
    expect(page.locator("figure.chart svg").first).to_be_visible()
    assert page.locator("figure.chart svg").count() >= 8  # 3 trends, 4 breakdowns, each wide and narrow
    expect(page.locator('[data-testid="tile-grid"] a.tile[data-commune]')).to_have_count(124)
    body = page.content()
    for name in NAMES:
        assert name not in body
    # the tile of Trung Sơn leads to its commune dashboard, also without names
    page.locator(f'[data-testid="commune-row"][data-commune="{trung_son_data.pk}"] a').first.click()
    expect(page).to_have_url(re.compile(rf"/reporting/communes/{trung_son_data.pk}/"))
    expect(page.locator("figure.chart svg").first).to_be_visible()
    body = page.content()
    for name in NAMES:
        assert name not in body


def test_officer_of_another_commune_gets_404(page, live_server, login_as, people, trung_son_data):
    login_as(page, people["other"])
    response = page.goto(
        f"{live_server.url}{reverse('reporting:commune_dashboard', kwargs={'pk': trung_son_data.pk})}"
    )
    assert response.status == 404
    response = page.goto(submission_url(live_server, trung_son_data))
    assert response.status == 404
