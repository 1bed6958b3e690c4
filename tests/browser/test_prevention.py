"""Issue #5 journeys in a real browser: a commune officer records an activity reaching three
registered high-risk people and sees the coverage change; an officer of another commune cannot
open it (404); a tip-off's informant is hidden from the commune officer and shown to province staff
holding the permission, whose viewing appears in the audit log; a target goes from at-risk to met
when data is added.

Needs the app wired (until then: ``--ds=tuyenquang_pcmt.settings.prevention_dev``)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

if "apps.prevention" not in settings.INSTALLED_APPS:
    pytest.skip("apps.prevention is not installed", allow_module_level=True)

from django.urls import reverse  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from apps.accounts import roles  # noqa: E402
from apps.audit.models import AuditLogEntry  # noqa: E402
from apps.prevention import services  # noqa: E402
from apps.prevention.models import Activity, AudienceGroup, Target, TipOff  # noqa: E402
from tests.factories.prevention import make_activity, make_person  # noqa: E402
from tests.prevention.conftest import grant_informant_permission, grant_prevention_permissions  # noqa: E402

TRUNG_SON, MINH_XUAN, PROVINCE = "2458", "2215", "8"


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def prevention_reference(units):
    """Audience groups and targets (rows of the data migration): transactional tests empty the
    tables, so they are synchronised again here."""
    from apps.prevention.reference import sync_reference

    sync_reference()


@pytest.fixture
def person_maker(make_user):
    """``make(username, role, code)``: a user whose role holds the prevention permissions (make_user
    re-synchronises the roles, which drops them until the app is wired)."""
    from apps.areas.models import AdministrativeUnit

    def make(username, role, code):
        user = make_user(username, role, AdministrativeUnit.objects.get(generation_id="2025", code=code))
        grant_prevention_permissions()
        return user

    return make


@pytest.fixture
def officer(prevention_reference, person_maker):
    return person_maker("trungson.congan", roles.COMMUNE_OFFICER, TRUNG_SON)


def test_officer_records_an_activity_reaching_three_people_and_coverage_changes(
    page, second_page, live_server, login_as, officer, person_maker, current_unit
):
    trung_son = current_unit(TRUNG_SON)
    people = [
        make_person(officer, trung_son, full_name=name, birth_year=year, village=village)
        for name, year, village in (
            ("Lý Văn Páo", 1998, "Thôn Nà Mè"),
            ("Hoàng Thị Mai", 2003, "Thôn Đồng Cầu"),
            ("Triệu Văn Chí", 1990, "Tổ 7"),
            ("Nông Văn Lâm", 1985, "Thôn Lũng Pù"),
        )
    ]
    login_as(page, officer)

    page.goto(url(live_server, "prevention:coverage"))
    expect(page.get_by_test_id("coverage-reached")).to_have_text("0/4")
    expect(page.get_by_test_id("not-reached-row")).to_have_count(4)

    page.goto(url(live_server, "prevention:activity_list"))
    page.get_by_test_id("activity-add").click()
    expect(page).to_have_url(re.compile(r"/prevention/activities/new/$"))
    page.locator("#id_title").fill("Tư vấn, tuyên truyền tại nhà văn hóa thôn Nà Mè")
    page.locator("#id_date_from").fill(vn(timezone.localdate()))
    expect(page.get_by_label("Xã Trung Sơn", exact=True)).to_be_checked()
    page.locator("#id_kind").select_option("village_meeting")
    page.get_by_label("Tác hại của ma túy tổng hợp, chất hướng thần mới").check()
    page.get_by_label("Quy định pháp luật về phòng, chống ma túy").check()
    page.locator("#id_organiser").fill("Công an xã Trung Sơn")
    students = AudienceGroup.objects.get(code="general_public")
    page.locator(f"#id_group_{students.pk}").fill("85")
    for person in people[:3]:
        page.get_by_role("checkbox", name=f"{person.full_name} ({person.birth_year})").check()
    page.get_by_test_id("activity-save").click()

    activity = Activity.objects.get()
    expect(page).to_have_url(url(live_server, "prevention:activity_detail", activity.pk))
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu hoạt động")
    expect(page.get_by_test_id("reached-person")).to_have_count(3)
    expect(page.get_by_test_id("activity-participants")).to_have_text("85")

    page.goto(url(live_server, "prevention:coverage"))
    expect(page.get_by_test_id("coverage-reached")).to_have_text("3/4")
    expect(page.get_by_test_id("coverage-ratio")).to_have_text("75,0%")
    expect(page.get_by_test_id("not-reached-row")).to_have_count(1)
    expect(page.get_by_test_id("not-reached-row")).to_contain_text("Nông Văn Lâm")

    # An officer of another commune cannot see it: not listed, and its address answers 404.
    other = person_maker("minhxuan.congan", roles.COMMUNE_OFFICER, MINH_XUAN)
    login_as(second_page, other)
    second_page.goto(url(live_server, "prevention:activity_list"))
    expect(second_page.get_by_test_id("activity-count")).to_have_text("0 hoạt động")
    response = second_page.goto(url(live_server, "prevention:activity_detail", activity.pk))
    assert response.status == 404
    assert "Tư vấn, tuyên truyền" not in second_page.content()


def test_informant_hidden_from_the_officer_shown_to_staff_with_the_permission_and_audited(
    page, second_page, live_server, login_as, officer, person_maker
):
    login_as(page, officer)
    page.goto(url(live_server, "prevention:tipoff_list"))
    page.get_by_test_id("tipoff-add").click()
    page.locator("#id_channel").select_option("hotline")
    page.locator("#id_summary").fill("Nghi có người mua bán ma túy đá tại quán nước đầu cầu")
    expect(page.get_by_test_id("informant-section")).to_be_visible()
    page.locator("#id_inf-full_name").fill("Vàng Thị Mỷ")
    page.locator("#id_inf-phone").fill("0912345678")
    page.get_by_test_id("tipoff-save").click()

    tip = TipOff.objects.get()
    expect(page).to_have_url(url(live_server, "prevention:tipoff_detail", tip.pk))
    expect(page.get_by_test_id("tipoff-summary")).to_contain_text("ma túy đá")
    expect(page.get_by_test_id("informant-show")).to_have_count(0)
    for name in ("prevention:tipoff_detail", "prevention:tipoff_edit"):
        page.goto(url(live_server, name, tip.pk))
        assert "Vàng Thị Mỷ" not in page.content() and "0912345678" not in page.content()
    expect(page.get_by_test_id("informant-section")).to_have_count(0)
    assert page.goto(url(live_server, "prevention:tipoff_informant", tip.pk)).status == 403

    # Province staff without the permission: no button, 403.
    staff = person_maker("tinh.canbo", roles.PROVINCE_STAFF, PROVINCE)
    login_as(second_page, staff)
    second_page.goto(url(live_server, "prevention:tipoff_detail", tip.pk))
    expect(second_page.get_by_test_id("tipoff-title")).to_be_visible()
    expect(second_page.get_by_test_id("informant-show")).to_have_count(0)
    assert second_page.goto(url(live_server, "prevention:tipoff_informant", tip.pk)).status == 403

    # Granted personally: the button, the identity, and the audit log shows who looked.
    grant_informant_permission(staff)
    second_page.goto(url(live_server, "prevention:tipoff_detail", tip.pk))
    second_page.get_by_test_id("informant-show").click()
    expect(second_page.get_by_test_id("informant-name")).to_have_text("Vàng Thị Mỷ")
    expect(second_page.get_by_test_id("informant-phone")).to_have_text("0912345678")
    entry = AuditLogEntry.objects.get(action="prevention.informant.view")
    assert entry.actor_username == "tinh.canbo"

    second_page.goto(url(live_server, "audit:entry_list"))
    row = second_page.locator("[data-testid='audit-table'] tbody tr").filter(has_text=str(tip))
    expect(row.first).to_contain_text(re.compile("Xem thông tin người báo tin|prevention.informant.view"))
    expect(row.first).to_contain_text("tinh.canbo")
    assert "Vàng Thị Mỷ" not in second_page.content()


def test_targets_page_shows_a_target_going_from_at_risk_to_met(page, live_server, login_as, officer, current_unit):
    today = timezone.localdate()
    trung_son = current_unit(TRUNG_SON)
    # An administrator adds a target (targets are data): everyone in the register reached by tomorrow.
    Target.objects.create(
        code="thu-bao-phu",
        title="Chỉ tiêu thử: 100% người nguy cơ cao được tiếp cận",
        plan="Kế hoạch thử",
        indicator="high_risk_coverage",
        baseline_value=0,
        baseline_date=today - dt.timedelta(days=200),
        target_value=100,
        comparison="gte",
        recurrence="once",
        deadline=today + dt.timedelta(days=1),
        order=1,
    )
    people = [make_person(officer, trung_son, full_name=f"Người Nguy Cơ {i}") for i in range(2)]
    activity = make_activity(officer, trung_son, date_from=today - dt.timedelta(days=3), reached=people[:1])
    login_as(page, officer)

    page.goto(url(live_server, "prevention:target_list"))
    row = page.locator("[data-testid='target-row'][data-target='thu-bao-phu']")
    expect(row.get_by_test_id("target-current")).to_have_text("50%")
    expect(row.get_by_test_id("target-status")).to_have_attribute("data-status", "at_risk")
    expect(row.get_by_test_id("target-status")).to_have_text("Có nguy cơ không đạt")
    # Shipped targets whose baseline is unknown say so.
    expect(page.locator("[data-target='kh63-communes-with-problems']")).to_contain_text("cần bổ sung số liệu nền")

    services.activity_set_reaches(actor=officer, activity=activity, persons=people)
    page.reload()
    expect(row.get_by_test_id("target-current")).to_have_text("100%")
    expect(row.get_by_test_id("target-status")).to_have_attribute("data-status", "met")
    expect(row.get_by_test_id("target-status")).to_have_text("Đã đạt")


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_officer_adds_then_edits_a_high_risk_person_through_one_form(
    device, request, live_server, login_as, officer, current_unit
):
    """The kind's one form view: the new page adds, the edit page changes the record it names, a
    phone as well as a desktop."""
    from apps.prevention.models import HighRiskPerson

    page = request.getfixturevalue(device)
    login_as(page, officer)
    page.goto(url(live_server, "prevention:highrisk_create"))
    expect(page.locator("h1")).to_contain_text("Thêm người vào sổ nhóm nguy cơ cao")
    page.get_by_label("Họ và tên").fill("Lò Văn Thử")
    page.get_by_label("Năm sinh").fill("1999")
    page.locator("input[name=sex]").first.check()
    page.get_by_label("Nhóm nguy cơ").select_option(index=1)
    page.get_by_label("Thôn, tổ dân phố").fill("Thôn Cũ")
    page.get_by_test_id("form-save").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu")
    person = HighRiskPerson.objects.get(full_name="Lò Văn Thử")
    assert (person.commune_id, person.village, person.version) == (current_unit(TRUNG_SON).pk, "Thôn Cũ", 1)

    page.goto(url(live_server, "prevention:highrisk_edit", person.pk))
    expect(page.locator("h1")).to_contain_text("Sửa thông tin người nguy cơ cao")
    expect(page.get_by_label("Họ và tên")).to_have_value("Lò Văn Thử")
    page.get_by_label("Thôn, tổ dân phố").fill("Thôn Mới")
    page.get_by_test_id("form-save").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu")
    person.refresh_from_db()
    assert (person.village, person.version) == ("Thôn Mới", 2)
    assert HighRiskPerson.objects.count() == 1
