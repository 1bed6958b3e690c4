"""Issue #3 journeys in a real browser: open a case file, search it without diacritics, walk it
through the legal workflow with its clocks, refused transitions, concurrent edits, the Excel
import, unit scope (page, list, export), the audit panel and the phone layout."""

import csv
import datetime as dt
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts import roles
from apps.cases.choices import Status
from apps.cases.models import CaseEvent, CaseFile, Holiday, Person
from apps.cases.resources import (
    COL_ALIAS,
    COL_COMMUNE,
    COL_DETECTED,
    COL_DOB,
    COL_ID,
    COL_NAME,
    COL_SEX,
    COL_SUBST,
    COL_VILLAGE,
    CaseResource,
)
from apps.cases.workflow import add_months, add_working_days
from tests.factories.cases import advance, make_case

CASE_URL_RE = re.compile(r"/cases/(\d+)/$")


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """Every journey needs the substances, legal durations and holidays."""


def vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def today() -> dt.date:
    return timezone.localdate()


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def assert_fits_phone(page) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " body: document.body.scrollWidth})"
    )
    assert sizes["inner"] == 375
    assert max(sizes["scroll"], sizes["body"]) <= sizes["inner"], f"horizontal overflow on {page.url}: {sizes}"


def search(page, text: str) -> None:
    page.get_by_test_id("case-search").fill(text)
    page.get_by_test_id("case-search-submit").click()
    expect(page).to_have_url(re.compile(r"[?&]q=" + re.escape(text.replace(" ", "+"))))


def transition(page, code: str, **fields: str) -> None:
    """Click the step's button on the case page, fill its form (field name → text), record it."""
    page.get_by_test_id(f"transition-{code}").click()
    expect(page).to_have_url(re.compile(rf"/transition/{code}/$"))
    expect(page.get_by_test_id("transition-not-allowed")).to_have_count(0)
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_test_id("transition-submit").click()
    expect(page).to_have_url(CASE_URL_RE)


# 1. Create and search
# ------------------------------------------------------------------------------


def test_officer_creates_a_case_file_and_finds_it_without_diacritics(
    page, live_server, login_as, trung_son_officer, current_unit
):
    trung_son = current_unit("2458")
    make_case(trung_son_officer, trung_son, full_name="Nguyễn Văn Hùng", birth_year=1990)
    make_case(trung_son_officer, trung_son, full_name="Đặng Thị Hương", birth_year=1994)
    detected = today() - dt.timedelta(days=7)
    login_as(page, trung_son_officer)

    page.goto(url(live_server, "cases:casefile_list"))
    page.get_by_test_id("case-add").click()
    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    page.locator("#id_p-full_name").fill("Đặng Văn Hùng")
    page.get_by_role("radio", name="Nam", exact=True).check()
    page.locator("#id_p-birth_year").fill("1992")
    page.locator("#id_c-detected_on").fill(vn(detected))
    page.get_by_label("Methamphetamine (ma túy đá)").check()
    page.get_by_test_id("case-save").click()

    expect(page).to_have_url(CASE_URL_RE)
    case = CaseFile.objects.select_related("person", "commune").get(person__full_name="Đặng Văn Hùng")
    assert page.url == url(live_server, "cases:casefile_detail", case.pk)
    assert (case.commune_id, case.status, case.detected_on) == (trung_son.pk, Status.SIGNS, detected)
    assert (case.person.sex, case.person.birth_year) == ("M", 1992)
    assert list(case.substances.values_list("code", flat=True)) == ["meth"]
    expect(page.locator(".msg-success")).to_contain_text(f"Đã lưu hồ sơ {case.file_number}")
    expect(page.get_by_test_id("case-person")).to_have_text("Đặng Văn Hùng")
    expect(page.get_by_test_id("case-number")).to_have_text(case.file_number)
    expect(page.get_by_test_id("case-status")).to_have_text("Có dấu hiệu sử dụng trái phép")
    expect(page.get_by_test_id("case-detected-on")).to_have_text(vn(detected))
    expect(page.get_by_test_id("case-substances")).to_have_text("Methamphetamine (ma túy đá)")
    expect(page.get_by_test_id("timeline-item")).to_have_count(1)
    expect(page.get_by_test_id("timeline-item")).to_contain_text("Lập hồ sơ")

    page.get_by_role("link", name="Hồ sơ", exact=True).first.click()
    expect(page.get_by_test_id("case-count")).to_have_text("3 hồ sơ")
    for query in ("dang van hung", "hung dang"):
        search(page, query)
        rows = page.get_by_test_id("case-row")
        expect(rows).to_have_count(1)
        link = rows.get_by_test_id("case-row-link")
        expect(link).to_have_text("Đặng Văn Hùng")
        expect(link).to_have_attribute("href", reverse("cases:casefile_detail", args=[case.pk]))
        expect(page.get_by_test_id("case-count")).to_have_text("1 hồ sơ")

    page.get_by_test_id("case-row-link").click()
    expect(page.get_by_test_id("case-person")).to_have_text("Đặng Văn Hùng")


# 2. The workflow and its clocks
# ------------------------------------------------------------------------------


def test_case_file_goes_through_the_workflow_with_its_legal_clocks(
    page, live_server, login_as, trung_son_officer, current_unit
):
    on = today()
    case = make_case(
        trung_son_officer,
        current_unit("2458"),
        full_name="Đặng Văn Hùng",
        birth_year=1992,
        sex="M",
        detected_on=on - dt.timedelta(days=10),
        substances=["meth"],
    )
    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:casefile_detail", case.pk))
    status = page.get_by_test_id("case-status")
    expect(status).to_have_text("Có dấu hiệu sử dụng trái phép")

    tested, signed = on - dt.timedelta(days=2), on - dt.timedelta(days=1)
    transition(page, "positive_test", event_date=vn(tested))
    expect(status).to_have_text("Xét nghiệm dương tính")
    expect(page.locator(".msg-success")).to_contain_text("Đã ghi: Xét nghiệm dương tính")

    # Signed yesterday, recorded today: the 12 months run from the decision's date.
    transition(page, "management_decision", event_date=vn(on), decision_number="15/QĐ-UBND", decision_date=vn(signed))
    expect(status).to_have_text("Người sử dụng trái phép – đang quản lý")
    expect(page.get_by_test_id("case-period-end")).to_have_text(vn(add_months(signed, 12)))
    expect(page.get_by_test_id("case-status-since")).to_have_text(vn(on))

    transition(page, "refer_determination", event_date=vn(on))
    expect(status).to_have_text("Đang xác định tình trạng nghiện")
    expect(page.get_by_test_id("case-period-end")).to_have_text("—")

    transition(page, "addicted", event_date=vn(on), facility="Trung tâm Y tế huyện")
    expect(status).to_have_text("Người nghiện – chờ đăng ký cai nghiện")
    deadline = add_working_days(on, 5, Holiday.objects.values_list("date", flat=True))
    expect(page.get_by_test_id("case-due-label")).to_contain_text("Hạn đăng ký cai nghiện")
    expect(page.get_by_test_id("case-due")).to_have_text(vn(deadline))
    expect(page.get_by_test_id("case-period-end")).to_have_text(vn(deadline))
    expect(page.get_by_test_id("case-type")).to_have_text("Người nghiện ma túy")

    transition(page, "register_community", event_date=vn(on))
    expect(status).to_have_text("Cai nghiện tự nguyện tại gia đình, cộng đồng")
    expect(page.get_by_test_id("case-period-end")).to_have_text(vn(add_months(on, 12)))

    # The timeline, newest first: every step with its facts.
    items = page.get_by_test_id("timeline-item")
    expect(items).to_have_count(6)
    kinds = [items.nth(i).get_attribute("data-kind") for i in range(6)]
    assert kinds == [
        "rehab_registration",
        "determination",
        "determination_referral",
        "management_decision",
        "test",
        "opened",
    ]
    expect(items.nth(0)).to_contain_text("Cai nghiện tự nguyện tại gia đình, cộng đồng")
    expect(items.nth(1)).to_contain_text("Trung tâm Y tế huyện")
    expect(items.nth(1)).to_contain_text("Nghiện ma túy")
    expect(items.nth(3)).to_contain_text(f"15/QĐ-UBND ngày {vn(signed)}")
    expect(items.nth(4)).to_contain_text("Dương tính")

    case.refresh_from_db()
    assert case.status == Status.VOLUNTARY_COMMUNITY
    assert case.period_end == add_months(on, 12)
    assert CaseEvent.objects.filter(case_file=case).count() == 6


def test_a_minor_goes_to_compulsory_rehab_by_the_minors_procedure_for_six_months(
    page, live_server, login_as, trung_son_officer, current_unit
):
    """Issue 10 §5: a 15-year-old addict who did not register within the 5 working days; the dossier
    waits for the deadline, and the court's lawful 6-month order for a minor (Law 2021 Art. 33) is
    recorded, where the adults' 12–24 months used to refuse it."""
    on = today()
    result_day = on - dt.timedelta(days=30)
    born = dt.date(on.year - 15, 1, 1)  # 15 years old all year
    case = make_case(
        trung_son_officer,
        current_unit("2458"),
        full_name="Sùng Văn Páo",
        date_of_birth=born,
        sex="M",
        detected_on=result_day - dt.timedelta(days=5),
        substances=["heroin"],
    )
    case = advance(trung_son_officer, case, "refer_determination", result_day - dt.timedelta(days=2))
    case = advance(trung_son_officer, case, "addicted", result_day, facility="Trung tâm Y tế khu vực")
    deadline = add_working_days(result_day, 5, Holiday.objects.values_list("date", flat=True))
    assert case.period_end == deadline

    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:casefile_detail", case.pk))
    status = page.get_by_test_id("case-status")
    expect(status).to_have_text("Người nghiện – chờ đăng ký cai nghiện")

    # "Did not register" is not a ground on the deadline's last day.
    page.get_by_test_id("transition-compulsory_dossier").click()
    page.locator("#id_event_date").fill(vn(deadline))
    page.get_by_test_id("transition-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text(f"hết hạn ngày {vn(deadline)}")
    page.locator("#id_event_date").fill(vn(deadline + dt.timedelta(days=1)))
    page.get_by_test_id("transition-submit").click()
    expect(page).to_have_url(CASE_URL_RE)
    expect(status).to_have_text("Lập hồ sơ đề nghị cai nghiện bắt buộc")

    # Only the minors' court procedure is offered for a 15-year-old, with its own legal basis.
    expect(page.get_by_test_id("transition-court_compulsory")).to_have_count(0)
    minors = page.get_by_test_id("transition-court_compulsory_minor")
    expect(minors).to_contain_text("từ đủ 12 đến dưới 18 tuổi")
    minors.click()
    expect(page.get_by_test_id("legal-basis")).to_contain_text("Điều 33")
    # Five months is too short even for a minor; six months is lawful.
    page.locator("#id_event_date").fill(vn(on))
    page.locator("#id_decision_number").fill("04/2026/QĐ-TA")
    page.locator("#id_facility").fill("Cơ sở cai nghiện ma túy tỉnh")
    page.locator("#id_end_date").fill(vn(add_months(on, 5)))
    page.get_by_test_id("transition-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text(vn(add_months(on, 6)))
    page.locator("#id_end_date").fill(vn(add_months(on, 6)))
    page.get_by_test_id("transition-submit").click()
    expect(page).to_have_url(CASE_URL_RE)
    expect(status).to_have_text("Đang cai nghiện bắt buộc")
    expect(page.get_by_test_id("case-period-end")).to_have_text(vn(add_months(on, 6)))
    expect(page.get_by_test_id("timeline-item").first).to_contain_text("Điều 33")

    case.refresh_from_db()
    assert (case.status, case.whereabouts) == (Status.COMPULSORY, "rehab_facility")
    court = CaseEvent.objects.get(case_file=case, kind="court_decision")
    assert court.end_date == add_months(on, 6) and "Điều 33" in court.legal_basis


# 3. A refused transition
# ------------------------------------------------------------------------------


def test_transition_not_allowed_in_the_current_status_is_refused(
    page, live_server, login_as, trung_son_officer, current_unit
):
    case = make_case(trung_son_officer, current_unit("2458"), full_name="Đặng Văn Hùng", birth_year=1992, sex="M")
    login_as(page, trung_son_officer)

    page.goto(url(live_server, "cases:casefile_detail", case.pk))
    expect(page.get_by_test_id("transition-addicted")).to_have_count(0)  # not offered in "signs"

    page.goto(url(live_server, "cases:casefile_transition", case.pk, "addicted"))
    expect(page.get_by_test_id("transition-not-allowed")).to_contain_text("Có dấu hiệu sử dụng trái phép")
    page.locator("#id_event_date").fill(vn(today()))
    page.locator("#id_facility").fill("Trung tâm Y tế huyện")
    page.get_by_test_id("transition-submit").click()

    error = page.get_by_test_id("form-error")
    expect(error).to_contain_text("Không thể")
    expect(error).to_contain_text("Kết quả: nghiện ma túy")
    expect(error).to_contain_text("Có dấu hiệu sử dụng trái phép")
    expect(page).to_have_url(re.compile(r"/transition/addicted/$"))
    expect(page.get_by_test_id("case-status")).to_have_text("Có dấu hiệu sử dụng trái phép")

    case.refresh_from_db()
    assert (case.status, case.case_type, case.version) == (Status.SIGNS, "user", 1)
    assert list(CaseEvent.objects.filter(case_file=case).values_list("kind", flat=True)) == ["opened"]


# 4. Two people editing the same file
# ------------------------------------------------------------------------------


def test_second_concurrent_edit_is_refused_and_names_the_first_change(
    page, second_page, live_server, login_as, trung_son_officer, current_unit
):
    case = make_case(
        trung_son_officer,
        current_unit("2458"),
        full_name="Đặng Văn Hùng",
        birth_year=1992,
        sex="M",
        phone="0912000111",
    )
    edit_url = url(live_server, "cases:casefile_edit", case.pk)
    for p in (page, second_page):
        login_as(p, trung_son_officer)
        p.goto(edit_url)
        expect(p.locator("#id_p-full_name")).to_have_value("Đặng Văn Hùng")

    page.get_by_label("Tên gọi khác").fill("Hùng đen")
    page.get_by_test_id("case-save").click()
    expect(page).to_have_url(url(live_server, "cases:casefile_detail", case.pk))
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu hồ sơ")
    expect(page.get_by_test_id("case-person-card")).to_contain_text("Hùng đen")

    second_page.locator("#id_p-phone").fill("0987654321")
    second_page.get_by_test_id("case-save").click()
    error = second_page.get_by_test_id("form-error")
    expect(error).to_contain_text("Hồ sơ đã được người khác lưu sau khi bạn mở")
    aliases_label = str(Person._meta.get_field("aliases").verbose_name)  # "tên gọi khác"
    who = re.escape(trung_son_officer.get_full_name())
    who_what = rf"\({who} lúc \d{{2}}:\d{{2}} \d{{2}}/\d{{2}}/\d{{4}}: {aliases_label}\)"
    expect(error).to_contain_text(re.compile(who_what))
    expect(error).to_contain_text("Thay đổi của bạn CHƯA được lưu")
    expect(second_page).to_have_url(edit_url)

    case.refresh_from_db()
    case.person.refresh_from_db()
    assert case.person.aliases == "Hùng đen"
    assert case.person.phone == "0912000111"
    assert case.version == 2

    # What was typed is still on the page; the way to the new version says it drops it (issue 12 §4).
    expect(second_page.locator("#id_p-phone")).to_have_value("0987654321")
    # Reloading shows the first edit, and the second officer's change can then be saved.
    second_page.get_by_role("link", name="Bỏ nội dung đã nhập và tải lại bản mới").click()
    expect(second_page.get_by_label("Tên gọi khác")).to_have_value("Hùng đen")
    second_page.locator("#id_p-phone").fill("0987654321")
    second_page.get_by_test_id("case-save").click()
    expect(second_page).to_have_url(url(live_server, "cases:casefile_detail", case.pk))
    case.person.refresh_from_db()
    assert (case.person.aliases, case.person.phone) == ("Hùng đen", "0987654321")


# 5. Excel import: preview, errors, confirm, re-import
# ------------------------------------------------------------------------------

HEADERS = list(CaseResource.columns)


def write_xlsx(path, rows: list[dict]) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for values in rows:
        assert set(values) <= set(HEADERS), set(values) - set(HEADERS)
        ws.append([values.get(h) for h in HEADERS])
    wb.save(path)
    return str(path)


def import_rows(dung_citizen_id: str) -> list[dict]:
    return [
        {
            COL_NAME: "Hoàng Văn Nam",
            COL_SEX: "Nam",
            COL_DOB: "05/03/1990",
            COL_ID: "008090001234",
            COL_COMMUNE: "Xã Trung Sơn",
            COL_SUBST: "Methamphetamine",
            COL_DETECTED: "12/01/2026",
        },
        {
            COL_NAME: "Ma Thị Lan",
            COL_SEX: "Nữ",
            COL_DOB: "1995",
            COL_COMMUNE: "2458",
            COL_SUBST: "Heroin",
            COL_DETECTED: "03/02/2026",
        },
        {  # the pre-2025 commune, merged into Trung Sơn on 01/7/2025
            COL_NAME: "Lý Văn Dũng",
            COL_SEX: "Nam",
            COL_DOB: "1988",
            COL_ID: dung_citizen_id,
            COL_COMMUNE: "Đạo Viện",
            COL_DETECTED: "20/03/2026",
        },
    ]


def upload(page, path: str) -> None:
    page.get_by_test_id("import-file").set_input_files(path)
    page.get_by_test_id("import-check").click()


def test_import_previews_errors_then_imports_once_and_reimport_updates(
    page, live_server, login_as, trung_son_officer, current_unit, tmp_path
):
    trung_son = current_unit("2458")
    bad = write_xlsx(tmp_path / "ho-so-loi.xlsx", import_rows("0080880012345"))  # 13 digits
    good = write_xlsx(tmp_path / "ho-so.xlsx", import_rows("008088001234"))
    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:casefile_list"))
    page.get_by_test_id("case-import").click()
    expect(page).to_have_url(re.compile(r"/cases/import/$"))

    # The bad file: every error with its sheet row and column, nothing to confirm, nothing written.
    upload(page, bad)
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("có 1 lỗi")
    expect(errors).to_contain_text("Không có dòng nào được nhập")
    error_rows = errors.locator("tbody tr")
    expect(error_rows).to_have_count(1)
    expect(error_rows.locator("td")).to_have_text(
        ["4", "Số CCCD/CMND", "Số CCCD phải có 12 chữ số (CMND cũ: 9 chữ số); “0080880012345” có 13 chữ số."]
    )
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    expect(page.get_by_test_id("import-preview")).to_have_count(0)
    assert CaseFile.objects.count() == 0
    assert Person.objects.count() == 0

    # The corrected file: preview, then confirm.
    upload(page, good)
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("3 dòng — 3 thêm mới, 0 cập nhật, 0 không thay đổi")
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    assert CaseFile.objects.count() == 0, "the preview must not write anything"
    page.get_by_test_id("import-confirm").click()
    expect(page).to_have_url(url(live_server, "cases:casefile_list"))
    expect(page.locator(".msg-success")).to_have_text("Đã nhập 3 dòng: 3 thêm mới, 0 cập nhật, 0 không thay đổi.")
    expect(page.get_by_test_id("case-row")).to_have_count(3)

    files = CaseFile.objects.select_related("person")
    assert sorted(files.values_list("person__full_name", flat=True)) == ["Hoàng Văn Nam", "Lý Văn Dũng", "Ma Thị Lan"]
    assert set(files.values_list("commune_id", flat=True)) == {trung_son.pk}
    assert files.get(person__full_name="Lý Văn Dũng").person.citizen_id == "008088001234"
    assert Person.objects.count() == 3

    # The same file again: recognised, updated, not duplicated.
    page.get_by_test_id("case-import").click()
    upload(page, good)
    expect(page.get_by_test_id("import-preview")).to_contain_text("3 dòng — 0 thêm mới, 0 cập nhật, 3 không thay đổi")
    page.get_by_test_id("import-confirm").click()
    expect(page.locator(".msg-success")).to_have_text("Đã nhập 3 dòng: 0 thêm mới, 0 cập nhật, 3 không thay đổi.")
    assert CaseFile.objects.count() == 3
    assert Person.objects.count() == 3


def test_import_preview_shows_each_change_old_to_new_and_blank_cells_keep_data(
    page, live_server, login_as, trung_son_officer, tmp_path
):
    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:import"))
    expect(page.get_by_test_id("import-blank-rule")).to_contain_text("Ô để trống không xóa dữ liệu")
    upload(page, write_xlsx(tmp_path / "ho-so.xlsx", import_rows("008088001234")))
    page.get_by_test_id("import-confirm").click()
    expect(page.locator(".msg-success")).to_contain_text("3 thêm mới")

    # Nam again with only the required cells (no CCCD, no substance, birth year only) and a new
    # village; Lan with a new alias; Dũng unchanged.
    rows = import_rows("008088001234")
    rows[0] = {k: v for k, v in rows[0].items() if k not in (COL_ID, COL_SUBST)} | {
        COL_DOB: "1990",
        COL_VILLAGE: "Thôn Khuổi Phầy",
    }
    rows[1][COL_ALIAS] = "Lan mập"
    page.goto(url(live_server, "cases:import"))
    upload(page, write_xlsx(tmp_path / "sua.xlsx", rows))
    expect(page.get_by_test_id("import-preview")).to_contain_text("3 dòng — 0 thêm mới, 2 cập nhật, 1 không thay đổi")
    changes = page.get_by_test_id("import-changes")
    lines = changes.get_by_test_id("import-change-row")
    expect(lines).to_have_count(2)
    expect(lines.nth(0)).to_contain_text("Hoàng Văn Nam")
    expect(lines.nth(0).locator("td")).to_have_text(
        [re.compile("^2$"), re.compile("Hoàng Văn Nam"), "Thôn/tổ dân phố", "(trống)", "Thôn Khuổi Phầy"]
    )
    expect(lines.nth(1).locator("td")).to_have_text(
        [re.compile("^3$"), re.compile("Ma Thị Lan"), "Tên gọi khác", "(trống)", "Lan mập"]
    )
    expect(changes).not_to_contain_text("Số CCCD/CMND")
    expect(changes).not_to_contain_text("Chất ma túy")
    page.get_by_test_id("import-confirm").click()
    expect(page.locator(".msg-success")).to_have_text("Đã nhập 3 dòng: 0 thêm mới, 2 cập nhật, 1 không thay đổi.")

    nam = CaseFile.objects.select_related("person").get(person__full_name="Hoàng Văn Nam")
    assert nam.person.current_village == "Thôn Khuổi Phầy"
    assert (nam.person.citizen_id, nam.person.date_of_birth) == ("008090001234", dt.date(1990, 3, 5))
    assert list(nam.substances.values_list("code", flat=True)) == ["meth"]
    assert Person.objects.get(full_name="Ma Thị Lan").aliases == "Lan mập"


# 6. Unit scope: page, list and export
# ------------------------------------------------------------------------------


def test_other_commune_cannot_open_the_file_and_lists_and_exports_are_scoped(
    page, live_server, login_as, trung_son_officer, minh_xuan_officer, current_unit
):
    trung_son, minh_xuan = current_unit("2458"), current_unit("2215")
    ours = [
        make_case(trung_son_officer, trung_son, full_name="Đặng Văn Hùng", birth_year=1992, sex="M"),
        make_case(trung_son_officer, trung_son, full_name="Ma Thị Lan", birth_year=1995, sex="F"),
    ]
    theirs = [
        make_case(minh_xuan_officer, minh_xuan, full_name="Trần Văn Phúc", birth_year=1985, sex="M"),
        make_case(minh_xuan_officer, minh_xuan, full_name="Đặng Văn Hùng", birth_year=1979, sex="M"),
    ]

    # Minh Xuân's officer: Trung Sơn's file does not exist for them.
    login_as(page, minh_xuan_officer)
    response = page.goto(url(live_server, "cases:casefile_detail", ours[0].pk))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_text(ours[0].file_number)).to_have_count(0)
    for path in (
        reverse("cases:casefile_edit", args=[ours[0].pk]),
        reverse("cases:casefile_transition", args=[ours[0].pk, "positive_test"]),
    ):
        assert page.goto(live_server.url + path).status == 404, path
    page.context.clear_cookies()

    # Trung Sơn's officer: only Trung Sơn's files, also when searching a name both communes have.
    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:casefile_list"))
    expect(page.get_by_test_id("case-count")).to_have_text("2 hồ sơ")
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(2)
    for case in ours:
        expect(rows.filter(has_text=case.file_number)).to_have_count(1)
    for case in theirs:
        expect(page.get_by_text(case.file_number)).to_have_count(0)
    expect(page.get_by_text("Phường Minh Xuân")).to_have_count(0)
    search(page, "dang van hung")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(ours[0].file_number)

    # The export follows the same scope.
    page.goto(url(live_server, "cases:casefile_list"))
    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][:2] == ["Số hồ sơ", "Họ và tên"]
    exported = {row[0] for row in table[1:]}
    assert exported == {c.file_number for c in ours}
    text = "\n".join(",".join(row) for row in table)
    for case in theirs:
        assert case.file_number not in text
    assert "Trần Văn Phúc" not in text
    assert "Phường Minh Xuân" not in text


# 7. The audit panel
# ------------------------------------------------------------------------------


def test_province_staff_see_who_viewed_and_changed_the_file_officers_do_not(
    page, second_page, live_server, login_as, make_user, trung_son_officer, current_unit
):
    staff = make_user("tinh.canbo", roles.PROVINCE_STAFF, current_unit("8"))
    case = make_case(trung_son_officer, current_unit("2458"), full_name="Đặng Văn Hùng", birth_year=1992, sex="M")
    advance(trung_son_officer, case, "positive_test", today())
    detail = url(live_server, "cases:casefile_detail", case.pk)

    login_as(page, trung_son_officer)
    page.goto(detail)
    expect(page.get_by_test_id("case-person")).to_have_text("Đặng Văn Hùng")
    expect(page.get_by_test_id("audit-panel")).to_have_count(0)
    expect(page.get_by_text("Ai đã xem, sửa hồ sơ này")).to_have_count(0)

    login_as(second_page, staff)
    second_page.goto(detail)
    # Province staff give a reason before a commune's file opens (break-glass, issue 11 §5).
    second_page.get_by_test_id("break-glass-reason").fill("Kiểm tra định kỳ của tỉnh")
    second_page.get_by_test_id("break-glass-submit").click()
    panel = second_page.get_by_test_id("audit-panel")
    expect(panel).to_be_visible()
    rows = panel.get_by_test_id("audit-row")
    officer_rows = rows.filter(has_text=trung_son_officer.username)
    expect(officer_rows.filter(has_text="Xem hồ sơ")).to_have_count(1)
    expect(officer_rows.filter(has_text="Lập hồ sơ")).to_have_count(1)
    expect(officer_rows.filter(has_text="Chuyển tình trạng")).to_contain_text("Xét nghiệm dương tính")
    expect(rows.filter(has_text=staff.username).filter(has_text="Xem hồ sơ")).to_have_count(1)
    # Province staff read only: no buttons that change the file.
    expect(second_page.get_by_test_id("case-edit")).to_have_count(0)
    expect(second_page.locator("[data-testid^='transition-']")).to_have_count(0)


def test_province_staff_give_a_reason_before_a_communes_file_opens(
    page, live_server, login_as, make_user, trung_son_officer, current_unit
):
    staff = make_user("tinh.canbo", roles.PROVINCE_STAFF, current_unit("8"))
    case = make_case(trung_son_officer, current_unit("2458"), full_name="Đặng Văn Hùng", birth_year=1992, sex="M")
    other = make_case(trung_son_officer, current_unit("2458"), full_name="Lý Thị Lan", birth_year=1995, sex="F")
    detail = url(live_server, "cases:casefile_detail", case.pk)

    login_as(page, staff)
    page.goto(detail)
    expect(page.get_by_test_id("break-glass-title")).to_have_text("Cần lý do truy cập")
    expect(page.get_by_test_id("break-glass-explanation")).to_contain_text("Xã Trung Sơn")
    expect(page.get_by_text("Đặng Văn Hùng")).to_have_count(0)

    page.get_by_test_id("break-glass-reason").fill("xem")
    page.get_by_test_id("break-glass-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Hãy ghi rõ lý do")

    page.get_by_test_id("break-glass-reason").fill("Xác minh theo công văn của Công an tỉnh")
    page.get_by_test_id("break-glass-submit").click()
    expect(page).to_have_url(detail)
    expect(page.get_by_test_id("case-person")).to_have_text("Đặng Văn Hùng")
    panel = page.get_by_test_id("audit-panel")
    expect(panel.get_by_test_id("audit-row").filter(has_text=staff.username)).to_contain_text(
        "Xác minh theo công văn của Công an tỉnh"
    )
    # Remembered for this file: reloading does not ask again; another file asks again.
    page.reload()
    expect(page.get_by_test_id("case-person")).to_have_text("Đặng Văn Hùng")
    page.goto(url(live_server, "cases:casefile_detail", other.pk))
    expect(page.get_by_test_id("break-glass-form")).to_be_visible()
    expect(page.get_by_text("Lý Thị Lan")).to_have_count(0)


# 8. Phone layout
# ------------------------------------------------------------------------------


def test_case_list_and_case_page_fit_a_phone(phone_page, live_server, login_as, trung_son_officer, current_unit):
    page = phone_page
    trung_son = current_unit("2458")
    case = make_case(
        trung_son_officer,
        trung_son,
        full_name="Nguyễn Thị Phương Thảo Hoàng Ngọc Bích",
        birth_year=1992,
        sex="F",
        aliases="Thảo Ngọc, Bích Hoàng, Thảo Phương",
        citizen_id="008192001234",
        current_village="Thôn Đồng Cầu Trên Khu Tái Định Cư",
        current_address="Số nhà 1234, ngõ 56, đường Nguyễn Tất Thành kéo dài",
        notes="Thường xuyên thay đổi nơi ở, " * 8,
        substances=["meth", "heroin", "ats"],
    )
    advance(trung_son_officer, case, "positive_test", today())
    case = advance(
        trung_son_officer,
        case,
        "management_decision",
        today(),
        decision_number="1234/QĐ-UBND-CAX",
        signer="Hoàng Văn Dũng",
    )
    for n in range(4):
        make_case(trung_son_officer, trung_son, full_name=f"Đặng Văn Hùng {n}", birth_year=1990 + n, sex="M")
    login_as(page, trung_son_officer)

    page.goto(url(live_server, "cases:casefile_list"))
    expect(page.get_by_test_id("case-row")).to_have_count(5)
    assert_fits_phone(page)

    page.get_by_test_id("case-row-link").filter(has_text="Phương Thảo").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Người sử dụng trái phép – đang quản lý")
    expect(page.get_by_test_id("timeline-item")).to_have_count(3)
    assert_fits_phone(page)
