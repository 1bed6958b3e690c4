"""Issue 12 §4 in a real browser, desktop and 375 px phone: a bad case form shows every error at
once, each on its field (outlined, aria-invalid, the message under it, CCCD included); a stale
edit keeps what was typed and names the button that drops it; a bad import row shows all its
errors in the preview. Screenshots go to /tmp/shots_forms/."""

import datetime as dt
import os
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.cases import services
from apps.cases.models import CaseFile
from apps.cases.resources import COL_COMMUNE, COL_DETECTED, COL_DOB, COL_ID, COL_NAME, COL_SEX, CaseResource
from tests.factories.cases import make_case

SHOTS = Path(os.environ.get("PCMT_SHOTS_DIR", "/tmp/shots_forms"))  # noqa: S108 - screenshots to look at


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """The case form needs the substances and ethnic groups."""


@pytest.fixture(params=["desktop", "phone"])
def any_page(request, page, phone_page):
    return request.param, (page if request.param == "desktop" else phone_page)


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits_width(page) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " inner: window.innerWidth})"
    )
    assert sizes["inner"] == 375
    assert max(sizes["scroll"], sizes["body"]) <= sizes["inner"], sizes


def expect_field_error(page, field_id: str, text: str) -> None:
    """The field is marked invalid, points at its message, and the message sits right under it."""
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby") or ""
    assert f"{field_id}_error" in described.split(), described
    message = page.locator(f"#{field_id}_error")
    expect(message).to_be_visible()
    expect(message).to_contain_text(text)
    box_field, box_message = field.bounding_box(), message.bounding_box()
    assert box_message["y"] >= box_field["y"] + box_field["height"] - 1, (box_field, box_message)
    assert box_message["y"] - (box_field["y"] + box_field["height"]) < 80, (box_field, box_message)
    # outlined: the field's border takes the error colour
    border = field.evaluate("el => getComputedStyle(el).borderTopColor")
    assert border not in ("rgb(0, 0, 0)", ""), border


def test_a_bad_case_form_shows_every_error_at_once_on_its_field(any_page, live_server, login_as, trung_son_officer):
    kind, page = any_page
    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:casefile_create"))
    # No name, a CCCD with letters, a detection date before the birth year: three errors, three
    # fields, two forms and a service rule, all in one submission.
    page.get_by_role("radio", name="Nam", exact=True).check()
    page.locator("#id_p-birth_year").fill("1992")
    page.locator("#id_p-citizen_id").fill("0080920A1234")
    page.locator("#id_c-detected_on").fill("05/01/1990")
    page.get_by_test_id("case-save").click()

    expect(page.get_by_test_id("form-errors-summary")).to_be_visible()
    # the summary at the top lists the three, each a link to its field
    summary = page.get_by_test_id("error-summary").locator("a")
    expect(summary).to_have_text(["Họ và tên", "Số CCCD/CMND", "Ngày phát hiện"])
    expect(summary.nth(1)).to_have_attribute("href", "#id_p-citizen_id")
    expect_field_error(page, "id_p-full_name", "")
    expect_field_error(page, "id_p-citizen_id", "chữ số")
    expect_field_error(page, "id_c-detected_on", "trước năm sinh")
    assert page.locator('[aria-invalid="true"]').count() == 3
    # what was typed stays
    expect(page.locator("#id_p-citizen_id")).to_have_value("0080920A1234")
    if kind == "phone":
        fits_width(page)
    page.locator("#id_p-citizen_id").scroll_into_view_if_needed()
    shot(page, f"case_form_errors_{kind}")
    assert not CaseFile.objects.exists()

    # Corrected in one go, it saves.
    page.locator("#id_p-full_name").fill("Đặng Văn Hùng")
    page.locator("#id_p-citizen_id").fill("008092001234")
    page.locator("#id_c-detected_on").fill((timezone.localdate() - dt.timedelta(days=3)).strftime("%d/%m/%Y"))
    page.get_by_test_id("case-save").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    assert CaseFile.objects.count() == 1


def test_a_stale_edit_keeps_the_typed_values_and_names_the_discarding_button(
    any_page, live_server, login_as, trung_son_officer, current_unit
):
    kind, page = any_page
    case = make_case(trung_son_officer, current_unit("2458"), full_name="Đặng Văn Hùng", birth_year=1992, sex="M")
    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:casefile_edit", case.pk))
    page.locator("#id_c-notes").fill("Gia đình đã chuyển lên thôn trên, cần thăm lại")
    colleague = services.case_update(
        actor=trung_son_officer,
        case=case,
        data=services.CaseInput(person={}, case={"notes": "Sửa trước"}, substances=[]),
        expected_version=1,
    )
    assert colleague.version == 2
    page.get_by_test_id("case-save").click()

    error = page.get_by_test_id("form-error")
    expect(error).to_contain_text("CHƯA được lưu")
    expect(page.locator("#id_c-notes")).to_have_value("Gia đình đã chuyển lên thôn trên, cần thăm lại")
    discard = page.get_by_test_id("stale-discard")
    expect(discard).to_have_text("Bỏ nội dung đã nhập và tải lại bản mới")
    expect(page.get_by_test_id("stale-view")).to_have_attribute("target", "_blank")
    if kind == "phone":
        fits_width(page)
    shot(page, f"case_form_stale_{kind}")
    discard.click()
    expect(page.locator("#id_c-notes")).to_have_value("Sửa trước")


def test_a_bad_import_row_shows_all_its_errors_in_the_preview(
    any_page, live_server, login_as, trung_son_officer, tmp_path
):
    kind, page = any_page
    future = (timezone.localdate() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    headers = list(CaseResource.columns)
    rows = [
        {COL_NAME: "Hoàng Văn Nam", COL_SEX: "Nam", COL_DOB: "05/03/1990", COL_COMMUNE: "Xã Trung Sơn",
         COL_DETECTED: "12/01/2026"},
        # one row, three problems: a CCCD with letters, a detection date in the future, a commune
        # typed with the wrong kind word
        {COL_NAME: "Ma Thị Lan", COL_SEX: "Nữ", COL_DOB: "1995", COL_ID: "00819500AB12",
         COL_COMMUNE: "Phường Trung Sơn", COL_DETECTED: future},
    ]  # fmt: skip
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers])
    path = tmp_path / "ho-so-loi.xlsx"
    wb.save(path)

    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:import"))
    page.get_by_test_id("import-file").set_input_files(str(path))
    page.get_by_test_id("import-check").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("có 3 lỗi")
    row3 = errors.locator('tbody tr[data-row="3"]')
    expect(row3).to_have_count(3)
    expect(row3.locator("td:nth-child(2)")).to_have_text([COL_ID, COL_COMMUNE, COL_DETECTED])
    expect(errors).to_contain_text("chữ số")
    expect(errors).to_contain_text("Không có Phường Trung Sơn; có phải Xã Trung Sơn?")
    expect(errors).to_contain_text("không được sau ngày hôm nay")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    if kind == "phone":
        fits_width(page)
    shot(page, f"import_errors_{kind}")
    assert not CaseFile.objects.exists()
