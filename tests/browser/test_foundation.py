"""Issue #2 journeys in a real browser: login, lockout, unit scope, unit search, phone layout, logout."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts import roles
from tests.browser.conftest import LOGIN_PATH, login
from tests.factories.accounts import PASSWORD

WRONG_PASSWORD = "SaiMatKhau2026"
LOGIN_URL_RE = re.compile(r"/accounts/login/(\?.*)?$")


def test_commune_officer_logs_in_and_lands_on_own_home(page, live_server, trung_son_officer):
    response = login(page, live_server, trung_son_officer.username, PASSWORD)

    assert response.status == 200
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(trung_son_officer.full_name)
    expect(page.get_by_test_id("home-unit")).to_have_text("Xã Trung Sơn")
    expect(page.get_by_test_id("user-unit")).to_have_text("Xã Trung Sơn")
    expect(page.get_by_test_id("logout")).to_be_visible()


def test_wrong_password_is_explained_then_the_account_is_locked(page, live_server, trung_son_officer):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit >= 2, "the journey needs at least one ordinary failure before the lockout"

    # Every failure before the limit: the login form again, with the Vietnamese error.
    for attempt in range(1, limit):
        response = login(page, live_server, trung_son_officer.username, WRONG_PASSWORD)
        assert response.status == 200, f"attempt {attempt}"
        expect(page).to_have_url(live_server.url + LOGIN_PATH)
        expect(page.get_by_test_id("login-error")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
        expect(page.get_by_test_id("locked-out")).to_have_count(0)

    # The limit-th failure locks the account.
    response = login(page, live_server, trung_son_officer.username, WRONG_PASSWORD)
    assert response.status == 429
    expect(page.get_by_test_id("locked-out")).to_contain_text("tạm thời bị khóa")
    expect(page.get_by_test_id("login-error")).to_have_count(0)

    # Even the right password is refused while the lock lasts.
    response = login(page, live_server, trung_son_officer.username, PASSWORD)
    assert response.status == 429
    expect(page.get_by_test_id("locked-out")).to_contain_text("tạm thời bị khóa")
    expect(page.get_by_test_id("home-unit")).to_have_count(0)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(LOGIN_URL_RE)


def test_commune_officer_sees_own_unit_but_not_another_commune(
    page, live_server, login_as, trung_son_officer, current_unit
):
    own, other = current_unit("2458"), current_unit("2215")
    login_as(page, trung_son_officer)

    response = page.goto(live_server.url + reverse("areas:unit_detail", args=[own.pk]))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Trung Sơn")
    lineage = page.get_by_test_id("lineage")
    expect(lineage.get_by_test_id("predecessor").filter(has_text="Xã Đạo Viện")).to_have_count(1)

    response = page.goto(live_server.url + reverse("areas:unit_detail", args=[other.pk]))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_text("Phường Minh Xuân")).to_have_count(0)


def test_province_staff_searches_units_without_diacritics(page, live_server, login_as, make_user, current_unit):
    staff = make_user("tinh.canbo", roles.PROVINCE_STAFF, current_unit("8"))
    login_as(page, staff)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đơn vị hành chính").click()
    expect(page).to_have_url(re.compile(r"/units/$"))

    page.get_by_test_id("unit-search").fill("trung son")
    page.get_by_test_id("unit-search-submit").click()
    expect(page).to_have_url(re.compile(r"[?&]q=trung\+son"))
    table = page.locator("table")
    expect(table.get_by_role("link", name="Xã Trung Sơn", exact=True)).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("unit-count")).to_have_text("1 đơn vị")

    # No query, level "Cấp xã": today's 124 communes.
    page.get_by_test_id("unit-search").fill("")
    page.locator("select#level").select_option(label="Cấp xã")
    page.get_by_test_id("unit-search-submit").click()
    expect(page).to_have_url(re.compile(r"[?&]level=commune"))
    expect(page.get_by_test_id("unit-count")).to_have_text("124 đơn vị")


def test_phone_home_fits_the_screen_and_the_menu_opens(phone_page, live_server, login_as, trung_son_officer):
    page = phone_page
    login_as(page, trung_son_officer)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_test_id("home-unit")).to_have_text("Xã Trung Sơn")

    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " body: document.body.scrollWidth})"
    )
    assert sizes["inner"] == 375
    assert sizes["scroll"] <= sizes["inner"], f"horizontal overflow on a 375 px phone: {sizes}"

    units_link = page.get_by_role("link", name="Đơn vị hành chính")
    toggle = page.locator("[data-nav-toggle]")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(units_link).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(units_link).to_be_visible()
    expect(page.get_by_test_id("logout")).to_be_visible()

    units_link.click()
    expect(page).to_have_url(re.compile(r"/units/$"))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_logout_returns_to_login_and_home_needs_login_again(
    request, viewport, live_server, login_as, trung_son_officer
):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    login_as(page, trung_son_officer)
    expect(page).to_have_url(live_server.url + "/")

    if viewport == "phone":
        page.locator("[data-nav-toggle]").click()
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    expect(page).to_have_url(live_server.url + LOGIN_PATH)
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    expect(page.get_by_test_id("logout")).to_have_count(0)

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_test_id("home-unit")).to_have_count(0)
