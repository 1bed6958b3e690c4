"""Issue 12 §2 in a real browser, desktop and 375 px phone: the dashboard says what a change means
(direction colours and their legend), shows a commune without data as "chưa có số liệu", and reads
on a phone: chart text >= 12 px and tap targets >= 24 px as MEASURED in the page, the page under
5,000 px with its sections collapsed, the key figures first. Screenshots go to /tmp/shots_dash/."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts import roles
from tests.factories.cases import make_managed_case

QUERY = "kind=quarter&year=2026&number=1"
SHOTS = Path(os.environ.get("PCMT_SHOTS_DIR", "/tmp/shots_dash"))  # noqa: S108 - screenshots to look at

#: smallest rendered size of any chart text: the SVG font size times the drawing's scale on screen
SMALLEST_CHART_TEXT = """() => {
  let smallest = Infinity, count = 0;
  for (const t of document.querySelectorAll('figure.chart svg text')) {
    if (!t.getClientRects().length) continue;  // not rendered (the other drawing, a closed section)
    const ctm = t.getScreenCTM();
    if (!ctm) continue;
    const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b);
    smallest = Math.min(smallest, size); count++;
  }
  return {smallest, count};
}"""

#: smallest tap target (the shorter side of its box) among the dashboard's own controls
SMALLEST_TAP_TARGET = """() => {
  let smallest = Infinity, which = '', count = 0;
  const main = document.querySelector('#main');
  for (const el of main.querySelectorAll('a, button, summary, input:not([type=hidden]), select')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (el.closest('p') && el.tagName === 'A') continue;  // a link inside a sentence (WCAG 2.5.8 inline)
    const side = Math.min(box.width, box.height);
    count++;
    if (side < smallest) { smallest = side; which = el.outerHTML.slice(0, 120); }
  }
  return {smallest, which, count};
}"""

#: every section of the page open, as the page was before (the charts' data tables stay closed)
OPEN_ALL = """() => document.querySelectorAll('#main details[data-open-wide]').forEach(d => { d.open = true; })"""
HEIGHT = "() => document.documentElement.scrollHeight"


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """Case files need the substances, ethnicities and legal durations."""


@pytest.fixture
def steering(make_user, current_unit):
    from apps.areas.models import AdministrativeUnit
    from tests.reporting.conftest import grant_role_permissions

    province = AdministrativeUnit.objects.get(generation_id="2025", level="province")
    officer = make_user("trungson.congan", roles.COMMUNE_OFFICER, current_unit("2458"))
    member = make_user("tinh.bcd", roles.STEERING_MEMBER, province)
    grant_role_permissions()
    commune = current_unit("2458")
    for day in (dt.date(2026, 1, 10), dt.date(2026, 2, 3), dt.date(2025, 12, 1)):
        make_managed_case(officer, commune, detected_on=day, substances=["meth"])
    return member, commune


def _dashboard(page, live_server, login_as, member):
    login_as(page, member)
    page.goto(f"{live_server.url}{reverse('reporting:dashboard')}?{QUERY}")
    page.wait_for_load_state("load")


def _assert_truthful(page, commune):
    legend = page.get_by_test_id("direction-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("hướng tốt")
    expect(legend).to_contain_text("hướng xấu")
    figure = page.locator('[data-testid="key-figure"][data-code="people_total"]')
    expect(figure.get_by_test_id("key-value")).to_have_text("3")
    # 3 now, 1 at the end of the previous quarter: a rise of people under management is bad
    expect(figure.locator(".delta").first).to_have_attribute("data-tone", "bad")
    color = figure.locator(".delta").first.evaluate("el => getComputedStyle(el).color")
    assert color == "rgb(185, 28, 28)", color


def test_dashboard_on_a_phone(phone_page, live_server, login_as, steering):
    page = phone_page
    member, commune = steering
    _dashboard(page, live_server, login_as, member)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # the steering member's key figures come first, before any chart or table
    first = page.locator('[data-testid="key-figure"]').first
    expect(first).to_have_attribute("data-code", "people_total")
    expect(first).to_be_visible()
    order = page.evaluate("() => [...document.querySelectorAll('#main [data-testid]')].map(e => e.dataset.testid)")
    assert all(order.index("key-figures") < order.index(s) for s in ("tile-grid", "trends", "commune-table"))
    _assert_truthful(page, commune)

    height = page.evaluate(HEIGHT)
    page.screenshot(path=str(SHOTS / "phone_dashboard_full.png"), full_page=True)
    print(f"\nphone page height (sections collapsed): {height} px")
    assert height < 5000

    # the sections open on demand, by a tap on their title
    page.get_by_test_id("commune-table").locator("summary").first.click()
    row = page.locator('[data-testid="commune-row"]').filter(has_text="chưa có số liệu").first
    expect(row).to_be_visible()
    other = page.locator('[data-testid="commune-row"]').filter(has_not_text="chưa có số liệu")
    expect(other).to_have_count(1)  # only Trung Sơn has data
    # the commune column stays in view while the figures scroll sideways
    name_cell = row.locator("th").first
    assert name_cell.evaluate("el => getComputedStyle(el).position") == "sticky"
    page.get_by_test_id("tile-grid").locator("summary").first.click()
    tile = page.locator('[data-testid="tile-grid"] .tile[data-level="no_data"]').first
    expect(tile).to_be_visible()
    expect(page.get_by_test_id("level-legend")).to_contain_text("Chưa có số liệu")

    page.evaluate(OPEN_ALL)
    expanded = page.evaluate(HEIGHT)
    text = page.evaluate(SMALLEST_CHART_TEXT)
    tap = page.evaluate(SMALLEST_TAP_TARGET)
    print(f"phone page height (every section open): {expanded} px")
    print(f"phone smallest chart text: {text['smallest']:.2f} px over {text['count']} texts")
    print(f"phone smallest tap target: {tap['smallest']:.2f} px over {tap['count']} ({tap['which']})")
    page.screenshot(path=str(SHOTS / "phone_dashboard_expanded.png"), full_page=True)
    assert text["count"] > 50 and text["smallest"] >= 12
    assert tap["count"] > 100 and tap["smallest"] >= 24
    # nothing wider than the phone but the table, which scrolls inside its frame
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_dashboard_on_a_desktop(page, live_server, login_as, steering):
    member, commune = steering
    _dashboard(page, live_server, login_as, member)
    SHOTS.mkdir(parents=True, exist_ok=True)
    _assert_truthful(page, commune)
    # every section is open on a wide screen
    expect(page.locator('[data-testid="commune-row"]').first).to_be_visible()
    row = page.locator(f'[data-testid="commune-row"]:not([data-commune="{commune.pk}"])').first
    expect(row.get_by_test_id("no-data")).to_have_text("chưa có số liệu")
    tiles = page.locator('[data-testid="tile-grid"] .tile[data-level="no_data"]')
    expect(tiles).to_have_count(123)
    page.screenshot(path=str(SHOTS / "desktop_dashboard.png"), full_page=True)
    text = page.evaluate(SMALLEST_CHART_TEXT)
    tap = page.evaluate(SMALLEST_TAP_TARGET)
    print(f"\ndesktop smallest chart text: {text['smallest']:.2f} px over {text['count']} texts")
    print(f"desktop smallest tap target: {tap['smallest']:.2f} px ({tap['which']})")
    print(f"desktop page height: {page.evaluate(HEIGHT)} px")
    assert text["smallest"] >= 12
    assert tap["smallest"] >= 24
