"""In a real browser: a colleague saves a file between the import preview and its confirmation;
the confirmation is refused whole, naming the file, the columns and the colleague; "Kiểm tra thử
lại" shows the current values, and the file then imports."""

import pytest
from playwright.sync_api import expect

from apps.accounts import roles
from apps.cases import services
from apps.cases.models import CaseFile
from apps.cases.resources import COL_VILLAGE
from tests.browser.test_cases import import_rows, upload, url, write_xlsx


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """The import needs the substances, legal durations and holidays."""


def test_a_colleagues_edit_refuses_the_confirmation_and_the_file_can_be_checked_again(
    page, live_server, login_as, trung_son_officer, make_user, current_unit, tmp_path
):
    colleague = make_user("trungson.canbo2", roles.COMMUNE_OFFICER, current_unit("2458"))
    colleague.full_name = "Trần Thị Bình"
    colleague.save(update_fields=["full_name"])
    login_as(page, trung_son_officer)
    page.goto(url(live_server, "cases:import"))
    upload(page, write_xlsx(tmp_path / "ho-so.xlsx", import_rows("008088001234")))
    page.get_by_test_id("import-confirm").click()
    expect(page.locator(".msg-success")).to_contain_text("3 thêm mới")

    rows = import_rows("008088001234")
    rows[0][COL_VILLAGE] = "Thôn Khuổi Phầy"
    page.goto(url(live_server, "cases:import"))
    upload(page, write_xlsx(tmp_path / "sua.xlsx", rows))
    expect(page.get_by_test_id("import-preview")).to_contain_text("1 cập nhật")

    nam = CaseFile.objects.select_related("person").get(person__full_name="Hoàng Văn Nam")
    services.case_update(
        actor=colleague,
        case=nam,
        data=services.CaseInput(
            person={"current_village": "Thôn Nà Khá"},
            case={},
            substances=list(nam.substances.values_list("code", flat=True)),
        ),
        expected_version=nam.version,
        expected_person_version=nam.person.version,
    )
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-stale")).to_contain_text("chưa được nhập")
    refusal = page.locator('[data-testid="import-error"][data-row="2"]')
    expect(refusal).to_contain_text(nam.file_number)
    expect(refusal).to_contain_text("Trần Thị Bình")
    expect(refusal).to_contain_text(COL_VILLAGE)
    nam.person.refresh_from_db()
    assert nam.person.current_village == "Thôn Nà Khá"

    page.get_by_test_id("import-recheck").click()
    line = page.get_by_test_id("import-change-row")
    expect(line).to_have_count(1)
    expect(line.locator("td").nth(3)).to_have_text("Thôn Nà Khá")
    expect(line.locator("td").nth(4)).to_have_text("Thôn Khuổi Phầy")
    page.get_by_test_id("import-confirm").click()
    expect(page.locator(".msg-success")).to_contain_text("1 cập nhật")
    nam.person.refresh_from_db()
    assert nam.person.current_village == "Thôn Khuổi Phầy"
