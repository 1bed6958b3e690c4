"""Official actions cannot happen by accident (issue 12 §1), on a desktop and on a 375 px phone:

- approving a commune's submission is a confirmation page saying what will be locked (the commune,
  the period, the figures), then "Phê duyệt và khóa số liệu";
- "Trả lại" is its own page with its own required reason; an empty or too short reason is shown on
  the field and what was typed stays;
- a double tap on "Lưu" of a home visit on a throttled link records exactly one visit.

Screenshots of the pages go to /tmp/shots_actions/ (looked at by hand, see the closing note).
"""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts import roles
from tests.factories.cases import make_managed_case

QUERY = "kind=quarter&year=2026&number=1"
SHOTS = Path("/tmp/shots_actions")  # noqa: S108 - screenshots for a person to look at, not data
DEVICES = ["page", "phone_page"]


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
        "staff": make_user("tinh.canbo", roles.PROVINCE_STAFF, province),
    }
    grant_role_permissions()
    return users


@pytest.fixture
def submitted(people, current_unit):
    """Xã Trung Sơn's first quarter of 2026, two people under management, submitted to the province."""
    from apps.reporting import services
    from apps.reporting.periods import PeriodKind, period_get

    commune = current_unit("2458")
    for day in (dt.date(2026, 1, 10), dt.date(2026, 2, 3)):
        make_managed_case(people["officer"], commune, detected_on=day, substances=["meth"])
    return services.submission_submit(
        actor=people["officer"], commune=commune, period=period_get(PeriodKind.QUARTER, 2026, 1), note="Đã rà soát"
    )


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def device_name(fixture: str) -> str:
    return "phone" if fixture == "phone_page" else "desktop"


def open_submission(page, live_server, commune):
    page.goto(f"{live_server.url}{reverse('reporting:submission', kwargs={'pk': commune.pk})}?{QUERY}")


@pytest.mark.parametrize("device", DEVICES)
def test_approval_is_confirmed_on_its_own_page(request, device, live_server, login_as, people, submitted):
    from apps.reporting.models import Submission, SubmissionStatus

    page = request.getfixturevalue(device)
    login_as(page, people["staff"])
    open_submission(page, live_server, submitted.commune)
    page.get_by_test_id("approve-button").click()
    # the confirmation says what will be locked
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phê duyệt và khóa số liệu Quý I năm 2026")
    expect(page.get_by_test_id("review-commune")).to_have_text("Xã Trung Sơn")
    expect(page.get_by_test_id("review-period")).to_contain_text("Quý I năm 2026")
    expect(page.get_by_test_id("locked-people_total")).to_have_text("2")
    expect(page.get_by_test_id("lock-warning")).to_contain_text("kỳ bị khóa")
    shot(page, f"approve-confirm-{device_name(device)}.png")
    # pressing without ticking the box: the error is on the box, nothing is approved
    page.get_by_test_id("approve-submit").click()
    box = page.get_by_label("Tôi đã xem số liệu xã đã nộp và đồng ý phê duyệt, khóa số liệu của kỳ")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert Submission.objects.get(pk=submitted.pk).status == SubmissionStatus.SUBMITTED
    shot(page, f"approve-confirm-error-{device_name(device)}.png")
    box.check()
    page.get_by_test_id("approve-submit").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã phê duyệt và khóa số liệu Quý I năm 2026")
    expect(page.get_by_test_id("submission-status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("figures-source")).to_have_attribute("data-source", "locked")


@pytest.mark.parametrize("device", DEVICES)
def test_return_has_its_own_form_and_a_required_reason(request, device, live_server, login_as, people, submitted):
    from apps.reporting.models import Submission, SubmissionStatus

    page = request.getfixturevalue(device)
    login_as(page, people["staff"])
    open_submission(page, live_server, submitted.commune)
    page.get_by_test_id("return-button").click()
    expect(page.get_by_test_id("review-commune")).to_have_text("Xã Trung Sơn")
    reason = page.get_by_label("Lý do trả lại")
    # an empty reason: refused, on the field
    page.get_by_test_id("return-submit").click()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".form-row.has-error .errorlist")).to_be_visible()
    # a reason too short: refused, and what was typed is still there
    reason.fill("Sai")
    page.get_by_test_id("return-submit").click()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_value("Sai")
    assert Submission.objects.get(pk=submitted.pk).status == SubmissionStatus.SUBMITTED
    shot(page, f"return-error-{device_name(device)}.png")
    reason.fill("Sai số người cai nghiện tại gia đình, đề nghị rà soát")
    page.get_by_test_id("return-submit").click()
    expect(page.get_by_test_id("submission-status")).to_have_attribute("data-status", "returned")
    expect(page.get_by_test_id("return-reason")).to_have_text("Sai số người cai nghiện tại gia đình, đề nghị rà soát")
    assert Submission.objects.get(pk=submitted.pk).return_reason.startswith("Sai số người cai nghiện")


def _throttle(page) -> None:
    """A slow mobile link: 1.5 s latency each way, ~40 kB/s."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 1500, "downloadThroughput": 40 * 1024, "uploadThroughput": 20 * 1024},
    )


def _visit_form(page, live_server, case):
    url = f"{live_server.url}{reverse('cases:casefile_event', args=[case.pk, 'home_visit'])}"
    page.goto(url)
    page.get_by_label("Ngày").fill("10/02/2026")
    page.get_by_label("Kết quả, nội dung chính").fill("Có mặt tại nhà, đang làm ruộng")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


@pytest.mark.parametrize("device", DEVICES)
def test_a_double_tap_on_a_slow_link_records_one_visit(request, device, live_server, login_as, people, current_unit):
    from apps.cases.models import CaseEvent

    page = request.getfixturevalue(device)
    case = make_managed_case(people["officer"], current_unit("2458"), detected_on=dt.date(2026, 1, 10))
    login_as(page, people["officer"])
    posts = _visit_form(page, live_server, case)
    _throttle(page)
    box = page.get_by_test_id("event-submit").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Two presses 0.4 s apart at the button's place (raw input: no waiting for it to be enabled), while
    # the first request is on its way: the gap also keeps a phone from taking them as a zoom gesture.
    press = page.touchscreen.tap if device == "phone_page" else page.mouse.click
    press(x, y)
    page.wait_for_timeout(400)
    press(x, y)
    expect(page.locator(".msg-success")).to_contain_text("Đã ghi: Thăm gặp, kiểm tra tại gia đình", timeout=20_000)
    assert len(posts) == 1  # the button was disabled after the first press
    assert CaseEvent.objects.filter(case_file=case, kind="home_visit").count() == 1


def test_a_form_sent_twice_anyway_is_recorded_once(page, live_server, login_as, people, current_unit):
    """Without the button guard (a browser's "resubmit", a script): the server refuses the replay of
    the same rendered form, and the page the person sees says so."""
    from apps.cases.models import CaseEvent

    case = make_managed_case(people["officer"], current_unit("2458"), detected_on=dt.date(2026, 1, 10))
    login_as(page, people["officer"])
    _visit_form(page, live_server, case)
    body = page.evaluate(
        "() => new URLSearchParams(new FormData(document.querySelector('[data-testid=event-form]'))).toString()"
    )
    assert "form_token=" in body
    for _ in range(2):  # the same body twice, with the page's cookies
        answer = page.request.post(page.url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.ok
    assert CaseEvent.objects.filter(case_file=case, kind="home_visit").count() == 1
    # the page itself, sent after that: same token, recorded nothing, and says why
    page.get_by_test_id("event-submit").click()
    expect(page.locator(".msg-info")).to_have_text("Biểu mẫu này đã được gửi; không ghi lại lần nữa.")
    assert CaseEvent.objects.filter(case_file=case, kind="home_visit").count() == 1
