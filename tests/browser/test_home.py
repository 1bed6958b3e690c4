"""Each role's home page in a real browser, desktop (1280 px) and phone (375 px): the officer sees
the quarter the province returned, with its reason, and the link leads to the page where the
figures are corrected and resubmitted; the navigation fits one row at 1280 px; the phone menu
button is labelled in Vietnamese. Screenshots of every role's home page go to ``PCMT_SHOTS_DIR``."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts import roles

# PCMT_SHOTS_DIR=/tmp/shots_home to look at them; by default next to the failure screenshots
SHOTS = Path(os.environ.get("PCMT_SHOTS_DIR") or Path(__file__).resolve().parents[2] / "var" / "shots-home")
REASON = "Số người cai nghiện tại cơ sở chưa khớp danh sách của tỉnh; đề nghị xã rà soát lại rồi nộp lại."


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """Case files need the substances, ethnicities and legal durations."""


@pytest.fixture
def people(make_user, current_unit):
    from apps.areas.models import AdministrativeUnit

    province = AdministrativeUnit.objects.get(generation_id="2025", level="province")
    return {
        "officer": make_user("trungson.congan", roles.COMMUNE_OFFICER, current_unit("2458")),
        "staff": make_user("tinh.canbo", roles.PROVINCE_STAFF, province),
        "steering": make_user("tinh.bcd", roles.STEERING_MEMBER, province),
        "admin": make_user("quantri", roles.ADMINISTRATOR, province),
    }


@pytest.fixture
def returned(people, current_unit):
    from apps.reporting import services
    from apps.reporting.models import PeriodKind
    from apps.reporting.periods import latest_ended

    period = latest_ended(PeriodKind.QUARTER)
    submission = services.submission_submit(actor=people["officer"], commune=current_unit("2458"), period=period)
    services.submission_return(actor=people["staff"], submission=submission, reason=REASON)
    return period


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_officer_home_shows_returned_submission_and_leads_to_resubmission(
    request, device, live_server, login_as, people, returned
):
    page = request.getfixturevalue(device)
    login_as(page, people["officer"])
    page.goto(live_server.url + reverse("core:home"))
    card = page.get_by_test_id("home-returned")
    expect(card).to_be_visible()
    expect(card).to_contain_text(f"{returned.label}: bị trả lại")
    expect(page.get_by_test_id("home-return-reason")).to_have_text(REASON)
    expect(card).to_contain_text(people["staff"].get_full_name())
    _shot(page, f"officer-returned-{'desktop' if device == 'page' else 'phone'}")
    if device == "phone_page":
        # the whole card fits the phone's width: nothing to scroll sideways
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width
    page.get_by_test_id("home-resubmit").click()
    expect(page.get_by_test_id("submission-status")).to_have_attribute("data-status", "returned")
    expect(page.get_by_test_id("return-reason")).to_have_text(REASON)
    page.get_by_test_id("submit-button").click()
    expect(page.get_by_test_id("submission-status")).to_have_attribute("data-status", "submitted")
    page.goto(live_server.url + reverse("core:home"))
    expect(page.get_by_test_id("home-returned")).to_have_count(0)
    expect(page.get_by_test_id("home-latest-state")).to_have_text("Đã nộp, chờ duyệt")


@pytest.mark.parametrize("who", ["officer", "staff", "steering", "admin"])
def test_navigation_fits_one_row_at_1280(page, live_server, login_as, people, who):
    login_as(page, people[who])
    page.goto(live_server.url + reverse("core:home"))
    rows = page.evaluate(
        "() => new Set([...document.querySelectorAll('.main-nav li')]"
        ".map(li => Math.round(li.getBoundingClientRect().top))).size"
    )
    assert rows == 1, f"{who}: the navigation wraps onto {rows} rows at 1280 px"
    nav = page.locator(".main-nav ul").bounding_box()
    assert nav["height"] <= 48, nav
    # the account box does not push the menu onto a second row either: it is beside the brand
    box, brand = page.locator(".user-box").bounding_box(), page.locator(".brand").bounding_box()
    assert box["y"] < brand["y"] + brand["height"], (box, brand)


def test_each_role_home_desktop_and_phone(page, phone_page, live_server, login_as, people, returned):
    for who in ("officer", "staff", "steering"):
        for device, name in ((page, "desktop"), (phone_page, "phone")):
            login_as(device, people[who])
            device.goto(live_server.url + reverse("core:home"))
            expect(device.get_by_role("heading", level=1)).to_contain_text("Xin chào")
            testid = {"officer": "home-reporting", "staff": "home-queues", "steering": "home-key-figures"}[who]
            expect(device.get_by_test_id(testid)).to_be_visible()
            _shot(device, f"home-{who}-{name}")
            device.context.clear_cookies()
    # the returned quarter is the commune's to correct: nothing waits for the province's review
    login_as(page, people["staff"])
    page.goto(live_server.url + reverse("core:home"))
    expect(page.get_by_test_id("queue-submitted-count")).to_have_text("0")


def test_phone_menu_button_is_vietnamese(phone_page, live_server, login_as, people):
    login_as(phone_page, people["officer"])
    phone_page.goto(live_server.url + reverse("core:home"))
    button = phone_page.locator("[data-nav-toggle]")
    expect(button).to_be_visible()
    expect(button).to_have_text("Danh mục")
    expect(phone_page.get_by_role("button", name="Danh mục")).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(phone_page.get_by_role("link", name="Hồ sơ", exact=True)).to_be_visible()
