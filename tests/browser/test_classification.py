"""Issue #4 journeys in a real browser: province staff run the classification of a year under
QĐ 28/2025, override one commune with a reason (refused without one), approve, and find the run,
the override and the approval in the audit log; a commune officer sees only their own commune's
level and its explanation, and another commune's result does not exist for them."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts import roles
from apps.areas.services import population_set
from apps.audit.models import AuditLogEntry
from apps.classification import services
from apps.classification.choices import AssessmentStatus
from apps.classification.models import Assessment, AssessmentResult, RuleSet
from apps.classification.selectors import current_communes
from tests.factories.cases import make_managed_case

CODE = "QD-28-2025"
YEAR = 2026
TRUNG_SON, MINH_XUAN = "2458", "2215"
REASON = "Theo Báo cáo số 12/BC-CAX ngày 05/01/2027: phát hiện thêm 2 điểm tập kết ma túy trên tuyến QL2."
ASSESSMENT_URL_RE = re.compile(r"/runs/(\d+)/$")


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


@pytest.fixture
def rule_sets(units):
    """The shipped rule sets (fixtures/rulesets/*.json): transactional tests empty the tables the
    data migration filled, so they are loaded again here."""
    services.ruleset_load_shipped()
    return RuleSet.objects.get(code=CODE)


@pytest.fixture
def staff(make_user, current_unit):
    """Province staff with the whole province (today's Tuyên Quang, code 8) as area."""
    return make_user("tinh.canbo", roles.PROVINCE_STAFF, current_unit("8"))


@pytest.fixture
def data(case_reference, rule_sets, staff, trung_son_officer, minh_xuan_officer, current_unit):
    """Year 2026: Trung Sơn has 2 people with records out of 1 000 residents (0,2 %: criterion a of
    Loại III) and lies on a key route; Minh Xuân 1 out of 5 000 (0,02 %: Loại III too). Every other
    commune has nothing recorded and no approved report: "chưa đủ số liệu", never "không ma túy"
    (issue 10 §2), published as such."""
    trung_son, minh_xuan = current_unit(TRUNG_SON), current_unit(MINH_XUAN)
    population_set(actor=staff, unit=trung_son, year=YEAR, population=1000)
    population_set(actor=staff, unit=minh_xuan, year=YEAR, population=5000)
    for n, name in enumerate(("Hoàng Văn Nam", "Ma Thị Lan")):
        make_managed_case(
            trung_son_officer, trung_son, full_name=name, birth_year=1990 + n, detected_on=dt.date(YEAR, 2, 3)
        )
    make_managed_case(
        minh_xuan_officer, minh_xuan, full_name="Trần Văn Phúc", birth_year=1985, detected_on=dt.date(YEAR, 3, 4)
    )
    services.keyroute_create(
        actor=staff, data={"commune": trung_son, "year": YEAR, "name": "Quốc lộ 2 (Hà Giang – Tuyên Quang)"}
    )
    return rule_sets


def row(page, code: str):
    return page.locator(f"[data-testid='classification-row'][data-commune='{code}']")


# 1. Run, override with a reason, approve, audit
# ------------------------------------------------------------------------------


def test_province_staff_run_override_with_a_reason_approve_and_the_log_shows_it(
    page, live_server, login_as, staff, data, current_unit
):
    communes = current_communes().count()
    login_as(page, staff)

    # Run from the classification page.
    page.goto(url(live_server, "classification:table"))
    expect(page.get_by_test_id("no-assessment")).to_be_visible()
    page.get_by_test_id("run-link").click()
    expect(page).to_have_url(re.compile(r"/runs/new/\?"))
    page.get_by_label("Năm đánh giá").fill(str(YEAR))
    page.get_by_label("Bộ tiêu chí").select_option(label=str(data))
    page.get_by_label("Ghi chú").fill("Phân loại năm 2026 (kiểm thử)")
    page.get_by_test_id("run-submit").click()

    expect(page).to_have_url(ASSESSMENT_URL_RE)
    assessment = Assessment.objects.get()
    assert page.url == url(live_server, "classification:assessment_detail", assessment.pk)
    assert (assessment.year, assessment.rule_set_id, assessment.status) == (YEAR, data.pk, AssessmentStatus.PROPOSED)
    expect(page.locator(".msg-success")).to_contain_text(
        f"Đã chạy phân loại năm {YEAR} theo {CODE} cho {communes} xã, phường (đề xuất, chưa phê duyệt)."
    )
    expect(page.get_by_test_id("assessment-status")).to_have_attribute("data-status", "proposed")
    expect(page.get_by_test_id("diff-first")).to_be_visible()
    rows = page.get_by_test_id("classification-row")
    expect(rows).to_have_count(communes)
    codes = {rows.nth(i).get_attribute("data-commune") for i in range(communes)}
    assert codes == set(current_communes().values_list("code", flat=True))
    expect(row(page, TRUNG_SON)).to_have_attribute("data-level", "type_3")
    expect(row(page, MINH_XUAN)).to_have_attribute("data-level", "type_3")
    expect(page.locator("[data-testid='classification-row'][data-level='drug_free']")).to_have_count(0)
    expect(page.locator("[data-testid='classification-row'][data-level='undetermined']")).to_have_count(communes - 2)
    expect(page.locator("[data-testid='level-count'][data-level='type_3'] .value")).to_have_text("2")
    # the criteria met out of the level's criteria and what it needs, never "1/1" (issue 12 §5)
    met = re.compile(r"1/\d+ tiêu chí \(cần ≥ 1\)")
    expect(row(page, TRUNG_SON).get_by_test_id("criteria-met")).to_contain_text(met)

    # Override Trung Sơn: refused without a reason, nothing changes.
    row(page, TRUNG_SON).get_by_test_id("override-link").click()
    expect(page).to_have_url(re.compile(r"/results/\d+/override/$"))
    override_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Điều chỉnh loại của Xã Trung Sơn")
    expect(page.get_by_test_id("proposed-level")).to_have_text("Loại III")
    page.get_by_label("Loại chính thức").select_option(label="Loại II")
    page.get_by_test_id("override-submit").click()
    expect(page).to_have_url(override_url)
    reason_row = page.locator(".form-row.has-error").filter(has=page.get_by_label("Lý do điều chỉnh"))
    expect(reason_row.locator(".errorlist")).to_have_text("Trường này là bắt buộc.")
    expect(page.locator(".alert-error")).to_contain_text("Biểu mẫu có lỗi")
    trung_son_result = AssessmentResult.objects.get(assessment=assessment, commune__code=TRUNG_SON)
    assert (trung_son_result.final_level, trung_son_result.override_reason) == ("type_3", "")
    assert not AuditLogEntry.objects.filter(action=services.RESULT_OVERRIDE).exists()

    # A reason of blanks only is refused too.
    page.get_by_label("Lý do điều chỉnh").fill("   ")
    page.get_by_test_id("override-submit").click()
    expect(reason_row.locator(".errorlist")).to_have_text("Trường này là bắt buộc.")

    # With the written reason: saved.
    page.get_by_label("Loại chính thức").select_option(label="Loại II")
    page.get_by_label("Lý do điều chỉnh").fill(REASON)
    page.get_by_test_id("override-submit").click()
    expect(page).to_have_url(url(live_server, "classification:assessment_detail", assessment.pk))
    expect(page.locator(".msg-success")).to_contain_text("Đã điều chỉnh loại của Xã Trung Sơn.")
    expect(row(page, TRUNG_SON)).to_have_attribute("data-level", "type_2")
    expect(row(page, TRUNG_SON).get_by_test_id("overridden")).to_have_attribute("title", REASON)
    expect(row(page, MINH_XUAN)).to_have_attribute("data-level", "type_3")
    trung_son_result.refresh_from_db()
    assert (trung_son_result.proposed_level, trung_son_result.final_level) == ("type_3", "type_2")
    assert (trung_son_result.override_reason, trung_son_result.overridden_by) == (REASON, staff)

    # Approve.
    page.get_by_test_id("approve-link").click()
    expect(page).to_have_url(re.compile(r"/runs/\d+/approve/$"))
    expect(page.get_by_test_id("approve-counts")).to_contain_text("Loại II: 1")
    page.get_by_label("Tôi đã xem kết quả và các thay đổi so với lần phê duyệt trước").check()
    page.get_by_test_id("approve-submit").click()
    expect(page).to_have_url(url(live_server, "classification:assessment_detail", assessment.pk))
    expect(page.locator(".msg-success")).to_contain_text("Đã phê duyệt kết quả phân loại.")
    expect(page.get_by_test_id("assessment-status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("assessment-status")).to_have_text("Đã phê duyệt")
    expect(page.get_by_test_id("approve-link")).to_have_count(0)
    expect(page.get_by_test_id("override-link")).to_have_count(0)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.approved_by) == (AssessmentStatus.APPROVED, staff)

    # The published table: approved, Trung Sơn at its final level, marked as overridden.
    page.goto(url(live_server, "classification:table"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Phân loại địa bàn năm {YEAR}")
    expect(page.get_by_test_id("assessment-info")).to_contain_text(f"Theo {CODE} (phiên bản 1)")
    expect(page.get_by_test_id("assessment-info")).to_contain_text("Phê duyệt:")
    expect(page.get_by_test_id("classification-row")).to_have_count(communes)
    expect(row(page, TRUNG_SON)).to_have_attribute("data-level", "type_2")
    expect(row(page, TRUNG_SON).get_by_test_id("level-badge")).to_have_text("Loại II")
    expect(row(page, TRUNG_SON).get_by_test_id("overridden")).to_have_text("đã điều chỉnh")
    expect(page.get_by_test_id("run-row")).to_have_attribute("data-status", "approved")

    # The explanation page shows the proposal, the final level and the reason.
    row(page, TRUNG_SON).get_by_test_id("result-link").click()
    expect(page).to_have_url(url(live_server, "classification:result_detail", trung_son_result.pk))
    expect(page.get_by_test_id("final-level")).to_have_text("Loại II")
    override_info = page.get_by_test_id("override-info")
    expect(override_info).to_contain_text("Hệ thống đề xuất “Loại III”")
    expect(override_info).to_contain_text(REASON)
    expect(page.get_by_test_id("assessment-status")).to_have_attribute("data-status", "approved")

    # The audit log: the run, the override (with its reason) and the approval, by this user.
    page.goto(url(live_server, "audit:entry_list"))
    log = page.get_by_test_id("audit-table").locator("tbody tr")
    for label in ("Chạy phân loại địa bàn", "Điều chỉnh loại của xã", "Phê duyệt kết quả phân loại địa bàn"):
        entry = log.filter(has_text=label)
        expect(entry).to_have_count(1)
        expect(entry.locator("td").nth(1)).to_have_text(staff.username)
    override_entry = log.filter(has_text="Điều chỉnh loại của xã")
    expect(override_entry).to_contain_text(REASON)
    expect(override_entry).to_contain_text("Xã Trung Sơn")
    entries = AuditLogEntry.objects.filter(actor=staff, action__startswith="classification.assessment")
    assert sorted(entries.values_list("action", flat=True)) == sorted(
        [services.ASSESSMENT_RUN, services.RESULT_OVERRIDE, services.ASSESSMENT_APPROVE]
    )
    override = entries.get(action=services.RESULT_OVERRIDE)
    assert override.before == {"final_level": "type_3", "override_reason": ""}
    assert override.after == {"final_level": "type_2", "proposed_level": "type_3", "override_reason": REASON}


# 2. A commune officer: own commune only
# ------------------------------------------------------------------------------


def test_commune_officer_sees_own_level_and_explanation_but_not_another_commune(
    page, live_server, login_as, staff, data, trung_son_officer
):
    assessment = services.assessment_run(actor=staff, rule_set=data, year=YEAR)
    services.assessment_approve(actor=staff, assessment=assessment)
    own = assessment.results.get(commune__code=TRUNG_SON)
    other = assessment.results.get(commune__code=MINH_XUAN)
    criteria = sum(len(level.criteria) for level in assessment.spec.levels)
    login_as(page, trung_son_officer)

    # The table: only Trung Sơn, at its level; nothing to run or override.
    page.goto(url(live_server, "classification:table"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Phân loại địa bàn năm {YEAR}")
    rows = page.get_by_test_id("classification-row")
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-commune", TRUNG_SON)
    expect(rows).to_have_attribute("data-level", "type_3")
    expect(rows.get_by_test_id("level-badge")).to_have_text("Loại III")
    expect(page.get_by_text("Phường Minh Xuân")).to_have_count(0)
    expect(page.get_by_test_id("run-link")).to_have_count(0)
    expect(page.get_by_test_id("override-link")).to_have_count(0)
    expect(page.get_by_test_id("runs")).to_have_count(0)

    # The explanation: every criterion of every level with its value and threshold.
    rows.get_by_test_id("result-link").click()
    expect(page).to_have_url(url(live_server, "classification:result_detail", own.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xã Trung Sơn – phân loại năm {YEAR}")
    expect(page.get_by_test_id("final-level")).to_have_text("Loại III")
    expect(page.get_by_test_id("outcome-reason")).to_contain_text("Loại III")
    expect(page.get_by_test_id("override-link")).to_have_count(0)
    expect(page.get_by_test_id("explanation-level")).to_have_count(len(assessment.spec.levels))
    items = page.get_by_test_id("explanation-criterion")
    expect(items).to_have_count(criteria)
    for i in range(criteria):
        cells = items.nth(i).locator("td")
        value, threshold = cells.nth(1).inner_text().strip(), cells.nth(2).inner_text().strip()
        assert value and value != "—", f"criterion {i}: no value"
        assert threshold and threshold != "—", f"criterion {i}: no threshold"
    type_3_a = page.locator("[data-testid='explanation-level'][data-level='type_3']").locator(
        "[data-testid='explanation-criterion'][data-code='a']"
    )
    expect(type_3_a).to_have_attribute("data-met", "yes")
    expect(type_3_a.locator("td").nth(1)).to_have_text("0,2%")
    expect(type_3_a.locator("td").nth(2)).to_have_text("trên 0% đến dưới 0,3%")
    route = page.locator("[data-testid='explanation-level'][data-level='type_1']").locator(
        "[data-testid='explanation-criterion'][data-code='đ']"
    )
    expect(route).to_have_attribute("data-met", "no")
    expect(route.locator("td").nth(1)).to_contain_text("trên tuyến")
    expect(page.locator("[data-testid='indicator'][data-code='addicts_users_ratio']")).to_contain_text(
        "2 người / 1.000 dân năm 2026"
    )

    # Another commune's result does not exist for them.
    response = page.goto(url(live_server, "classification:result_detail", other.pk))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_text("Phường Minh Xuân")).to_have_count(0)
    response = page.goto(url(live_server, "classification:commune_history", other.commune_id))
    assert response.status == 404
