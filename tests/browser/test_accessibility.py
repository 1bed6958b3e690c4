"""Issue 12 §6: axe-core (the npm package pinned in package.json, injected from node_modules, never a
CDN) finds no serious or critical violation on the main pages of each role, on a desktop and a phone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from apps.accounts import roles
from tests.browser.conftest import LOGIN_PATH, _page_fixture

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module", autouse=True)
def _axe_installed():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` at the repository root (run_tests.sh does).", pytrace=False)


# add_script_tag(path=...) inlines the file; the app's CSP (script-src 'self') rightly refuses inline
# scripts, so these contexts alone bypass it: the pages audited are otherwise unchanged.
@pytest.fixture
def desktop(request, browser):
    yield from _page_fixture(request, browser, viewport={"width": 1280, "height": 800}, bypass_csp=True)


@pytest.fixture
def phone(request, browser):
    yield from _page_fixture(
        request, browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, bypass_csp=True
    )


def axe_violations(page) -> list[dict]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
            }));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def audit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_load_state("load")
    found = axe_violations(page)
    return [
        f"{url} [{v['impact']}] {v['id']}: {v['help']} — {json.dumps(v['nodes'][:5], ensure_ascii=False)}"
        for v in found
    ]  # noqa: E501


@pytest.fixture
def people(make_user, current_unit, case_reference):
    from apps.areas.models import AdministrativeUnit
    from tests.factories.cases import make_managed_case

    commune = current_unit("2458")
    province = AdministrativeUnit.objects.get(generation_id="2025", level="province")
    officer = make_user("trungson.congan", roles.COMMUNE_OFFICER, commune)
    case = make_managed_case(officer, commune)
    return {
        "officer": officer,
        "steering": make_user("trungson.bcd", roles.STEERING_MEMBER, commune),
        "province": make_user("tinh.canbo", roles.PROVINCE_STAFF, province),
        "case": case,
    }


def pages_of(role: str, people) -> list[str]:
    if role == "officer":
        case = people["case"]
        return [
            reverse("core:home"),
            reverse("cases:worklist"),
            reverse("cases:casefile_list"),
            reverse("cases:casefile_detail", args=[case.pk]),
            reverse("cases:casefile_edit", args=[case.pk]),
            reverse("cases:casefile_create"),
            reverse("prevention:activity_list"),
        ]
    if role == "steering":
        return [reverse("core:home"), reverse("reporting:dashboard")]
    return [
        reverse("core:home"),
        reverse("reporting:dashboard"),
        reverse("classification:table"),
        reverse("reporting:status_board"),
        reverse("reports:index"),
        reverse("audit:entry_list"),
    ]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_login_page_has_no_serious_violation(request, device, live_server, units):
    page = request.getfixturevalue(device)
    assert audit(page, live_server.url + LOGIN_PATH) == []


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("role", ["officer", "steering", "province"])
def test_main_pages_of_each_role_have_no_serious_violation(request, device, role, live_server, login_as, people):
    page = request.getfixturevalue(device)
    login_as(page, people[role])
    problems = []
    for path in pages_of(role, people):
        problems += audit(page, live_server.url + path)
    assert problems == [], "\n".join(problems)
