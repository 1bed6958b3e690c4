"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Every test in this folder is marked ``browser`` automatically; run them with
``pytest -m browser tests/browser`` and leave them out with ``-m "not browser"``.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 10_000
LOGIN_PATH = "/accounts/login/"
BROWSER_DIR = Path(__file__).resolve().parent
FAILURE_DIR = BROWSER_DIR.parents[1] / "var" / "browser-failures"


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so fixtures can tell, at teardown, whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# Browser
# ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium). "
            "Playwright's own browser downloads are not used.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an event loop marked as running in the main thread for as long as
    # it is started; without this Django raises SynchronousOnlyOperation for the tests' own ORM calls.
    # Set here, not at import, so that a `-m "not browser"` run (which still imports this conftest)
    # keeps Django's async-safety checks (and `check --deploy`, which refuses this variable, passes).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def _failed(node) -> bool:
    return any(getattr(getattr(node, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))


def _screenshot_name(node) -> str:
    return re.sub(r"[^\w.-]+", "_", node.name).strip("_")[:150] + ".png"


def _page_fixture(request, browser, **context_options):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        if _failed(request.node) and not page.is_closed():
            FAILURE_DIR.mkdir(parents=True, exist_ok=True)
            path = FAILURE_DIR / _screenshot_name(request.node)
            try:
                page.screenshot(path=str(path), full_page=True)
                print(f"\nScreenshot of the failure: {path}")
            except Exception as exc:  # a screenshot must never hide the real failure
                print(f"\nCould not save a screenshot: {exc}")
        context.close()


@pytest.fixture
def page(request, browser):
    """A desktop page (1280×800), Vietnamese locale, Vietnam time zone, 10 s timeouts."""
    yield from _page_fixture(request, browser, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(request, browser):
    """A phone-sized page (375×740, touch)."""
    yield from _page_fixture(request, browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)


# Data
# ------------------------------------------------------------------------------


@pytest.fixture
def units(transactional_db, live_server):
    """The real Tuyên Quang catalogue, committed so that the live server sees it."""
    from apps.areas.services import units_load
    from tests.factories.accounts import ensure_roles

    ensure_roles()
    units_load()


@pytest.fixture
def current_unit(units) -> Callable:
    """``current_unit("2458")``: a unit of today's generation (from 01/7/2025) by its statistics code."""
    from apps.areas.models import AdministrativeUnit

    def get(code: str):
        return AdministrativeUnit.objects.get(generation_id="2025", code=code)

    return get


@pytest.fixture
def make_user(units) -> Callable:
    """``make_user(username, role, area)``: a user with the test password (tests.factories.accounts.PASSWORD)."""
    from tests.factories.accounts import UserFactory, ensure_roles

    def make(username: str, role: str, area):
        ensure_roles()
        return UserFactory(username=username, role=role, area=area)

    return make


@pytest.fixture
def trung_son_officer(make_user, current_unit):
    """A commune officer of today's Xã Trung Sơn (code 2458)."""
    from apps.accounts import roles

    return make_user("trungson.congan", roles.COMMUNE_OFFICER, current_unit("2458"))


# Helpers
# ------------------------------------------------------------------------------


def login(page, live_server, username: str, password: str):
    """Log in through the real login form; returns the response of the page the form led to."""
    page.goto(live_server.url + LOGIN_PATH)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_test_id("login-submit").click()
    return navigation.value


@pytest.fixture
def login_as(live_server) -> Callable:
    """``login_as(page, user)``: logs ``user`` in with the test password."""
    from tests.factories.accounts import PASSWORD

    def do(page, user):
        return login(page, live_server, user.username, PASSWORD)

    return do


# Case files
# ------------------------------------------------------------------------------


@pytest.fixture
def case_reference(units):
    """Substances, ethnicities, legal durations and holidays (rows of the cases data migration).

    Transactional tests empty every table between tests, so the rows are synchronised again here.
    """
    from apps.cases.reference import sync_reference

    sync_reference()


@pytest.fixture
def minh_xuan_officer(make_user, current_unit):
    """A commune officer of today's Phường Minh Xuân (code 2215)."""
    from apps.accounts import roles

    return make_user("minhxuan.congan", roles.COMMUNE_OFFICER, current_unit("2215"))


@pytest.fixture
def second_page(request, browser):
    """A second desktop page in its own browser context (own cookies), e.g. a second officer or session."""
    yield from _page_fixture(request, browser, viewport={"width": 1280, "height": 800})
