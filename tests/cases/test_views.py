"""Case pages: audit of every view, who sees the audit panel, duplicate warning without leaking
personal data, refusals shown in Vietnamese, stale edits, scoping (404/403), query counts."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.cases import services
from apps.cases.choices import Status
from apps.cases.models import CaseFile, Person
from apps.cases.resources import CaseResource
from tests.factories.cases import advance, make_case


def detail_url(case):
    return reverse("cases:casefile_detail", args=[case.pk])


def html(response):
    return response.content.decode()


# --- audit of reads ----------------------------------------------------------------------------------


def test_each_opening_of_a_case_page_is_audited(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a)
    client = client_for(officer_a)
    for expected in (1, 2):
        response = client.get(detail_url(case))
        assert response.status_code == 200
        entries = AuditLogEntry.objects.filter(action="cases.casefile.view", object_id=str(case.pk))
        assert entries.count() == expected
    entry = entries.first()
    assert (entry.actor, entry.area) == (officer_a, world.commune_a)


def test_audit_panel_only_for_the_audit_permission(world, officer_a, province_staff, client_for):
    case = make_case(officer_a, world.commune_a)
    staff = client_for(province_staff)
    # Province staff open a commune's file only after giving a reason (break-glass, issue 11 §5).
    staff.post(detail_url(case), {"break_glass_reason": "Kiểm tra định kỳ của tỉnh"})
    staff_page = staff.get(detail_url(case))
    assert staff_page.status_code == 200
    assert 'data-testid="audit-panel"' in html(staff_page)
    assert "Kiểm tra định kỳ của tỉnh" in html(staff_page)
    # the panel lists the creation and this very view
    actions = [e.action for e in staff_page.context["audit_entries"]]
    assert "cases.casefile.create" in actions and "cases.casefile.view" in actions
    assert "officer_a" in html(staff_page)

    officer_page = client_for(officer_a).get(detail_url(case))
    assert officer_page.status_code == 200
    assert officer_page.context["audit_entries"] is None
    assert 'data-testid="audit-panel"' not in html(officer_page)


def test_detail_shows_the_timeline_and_allowed_steps(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, full_name="Nguyễn Văn Hùng")
    page = html(client_for(officer_a).get(detail_url(case)))
    assert "Nguyễn Văn Hùng" in page and case.file_number in page
    assert 'data-testid="transition-positive_test"' in page
    assert 'data-testid="transition-addicted"' not in page  # not allowed from SIGNS
    assert 'data-kind="opened"' in page


# --- create: duplicate warning ---------------------------------------------------------------------------


def create_data(**overrides):
    data = {
        "p-full_name": "Hoàng Văn Sơn",
        "p-sex": "M",
        "p-birth_year": "1985",
        "p-education": "unknown",
        "p-marital_status": "unknown",
        "c-case_type": "user",
        "c-whereabouts": "community",
        "c-detected_on": "05/01/2026",
    }
    data.update(overrides)
    return data


@pytest.fixture
def son_in_b(world, officer_b):
    return make_case(
        officer_b,
        world.commune_b,
        full_name="Hoàng Văn Sơn",
        birth_year=1985,
        date_of_birth=dt.date(1985, 7, 14),
        sex="M",
        citizen_id="008085004321",
        phone="0912345678",
        current_village="Tổ 7",
    )


def test_create_warns_about_a_person_in_another_commune_without_leaking(world, officer_a, client_for, son_in_b):
    client = client_for(officer_a)
    url = reverse("cases:casefile_create")
    data = create_data(**{"c-commune": str(world.commune_a.pk)})
    response = client.post(url, data)
    assert response.status_code == 200
    page = html(response)
    assert 'data-testid="duplicate-warning"' in page
    assert "Phường Minh Xuân" in page
    for secret in ("14/07/1985", "1985-07-14", "008085004321", "0912345678", son_in_b.file_number):
        assert secret not in page, secret
    assert reverse("cases:casefile_detail", args=[son_in_b.pk]) not in page
    assert CaseFile.objects.count() == 1

    confirmed = client.post(url, {**data, "confirm_new_person": "1"})
    assert confirmed.status_code == 302
    new = CaseFile.objects.exclude(pk=son_in_b.pk).get()
    assert confirmed["Location"] == detail_url(new)
    assert new.commune == world.commune_a
    assert new.person_id != son_in_b.person_id
    assert Person.objects.filter(full_name="Hoàng Văn Sơn").count() == 2


def test_create_without_duplicates_saves_directly(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"),
        create_data(**{"c-commune": str(world.commune_a.pk), "p-citizen_id": "008085004321", "c-substances": "meth"}),
    )
    assert response.status_code == 302
    case = CaseFile.objects.get()
    assert case.person.citizen_id == "008085004321"
    assert list(case.substances.values_list("code", flat=True)) == ["meth"]
    assert case.events.count() == 1


def test_create_in_another_commune_is_refused(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"), create_data(**{"c-commune": str(world.commune_b.pk)})
    )
    assert response.status_code == 200
    assert "commune" in response.context["case_form"].errors
    assert not CaseFile.objects.exists()


def test_create_refuses_bad_citizen_id_with_vietnamese_message(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"),
        create_data(**{"c-commune": str(world.commune_a.pk), "p-citizen_id": "12AB"}),
    )
    assert response.status_code == 200
    assert "chữ số" in html(response)
    assert not CaseFile.objects.exists()


# --- transitions ---------------------------------------------------------------------------------------


def test_transition_view_shows_the_refusal_in_vietnamese(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    url = reverse("cases:casefile_transition", args=[case.pk, "addicted"])
    client = client_for(officer_a)
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="transition-not-allowed"' in html(page)
    response = client.post(url, {"event_date": "10/01/2026", "facility": "TTYT khu vực", "version": "1"})
    assert response.status_code == 200
    assert "Không thể “Kết quả: nghiện ma túy” khi hồ sơ đang ở tình trạng" in html(response)
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == (Status.SIGNS, 1, 1)


def test_transition_view_records_an_allowed_step(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    response = client_for(officer_a).post(
        reverse("cases:casefile_transition", args=[case.pk, "positive_test"]),
        {"event_date": "12/01/2026", "version": "1"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.POSITIVE, 2)


def test_transition_view_refuses_a_stale_version(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    advance(officer_a, case, "positive_test", dt.date(2026, 1, 12))  # version 2
    response = client_for(officer_a).post(
        reverse("cases:casefile_transition", args=[case.pk, "refer_determination"]),
        {"event_date": "15/01/2026", "version": "1"},
    )
    assert response.status_code == 409
    assert CaseFile.objects.get(pk=case.pk).status == Status.POSITIVE


# --- edit with a stale version ------------------------------------------------------------------------------


def edit_data(case, **overrides):
    data = {
        "p-full_name": case.person.full_name,
        "p-sex": case.person.sex,
        "p-birth_year": str(case.person.birth_year),
        "p-education": case.person.education,
        "p-marital_status": case.person.marital_status,
        "c-case_type": case.case_type,
        "c-whereabouts": case.whereabouts,
        "c-detected_on": case.detected_on.strftime("%d/%m/%Y"),
        "c-version": str(case.version),
        "p-version": str(case.person.version),
    }
    data.update(overrides)
    return data


def test_edit_with_a_stale_version_shows_the_message_and_keeps_the_database(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, occupation="")
    client = client_for(officer_a)
    url = reverse("cases:casefile_edit", args=[case.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert form_page.context["case_form"]["version"].value() == 1
    stale_form = edit_data(case, **{"c-notes": "Sửa của tôi", "p-occupation": "Thợ xây"})

    colleague = world.user("commune_officer", world.commune_a, "officer_a2")
    services.case_update(
        actor=colleague,
        case=case,
        data=services.CaseInput(person={"occupation": "Làm ruộng"}, case={"notes": "Sửa trước"}, substances=[]),
        expected_version=1,
    )

    response = client.post(url, stale_form)
    assert response.status_code in (200, 409)
    assert "Hồ sơ đã được người khác lưu" in html(response)
    case.refresh_from_db()
    assert case.notes == "Sửa trước"
    assert case.person.occupation == "Làm ruộng"
    assert case.version == 2


def test_edit_with_the_current_version_saves(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a)
    response = client_for(officer_a).post(
        reverse("cases:casefile_edit", args=[case.pk]), edit_data(case, **{"c-notes": "Đã thăm gia đình"})
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.notes, case.version) == ("Đã thăm gia đình", 2)


# --- scoping ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("cases:casefile_detail", []),
        ("cases:casefile_edit", []),
        ("cases:casefile_transition", ["positive_test"]),
        ("cases:casefile_event", ["home_visit"]),
        ("cases:casefile_transfer", []),
    ],
)
def test_other_communes_case_answers_404(world, officer_a, officer_b, client_for, name, extra):
    theirs = make_case(officer_b, world.commune_b, detected_on=dt.date(2026, 1, 5))
    url = reverse(name, args=[theirs.pk, *extra])
    client = client_for(officer_a)
    assert client.get(url).status_code == 404
    if name != "cases:casefile_detail":  # the detail page is read-only
        assert client.post(url, {"event_date": "12/01/2026", "version": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.version, theirs.events.count()) == (Status.SIGNS, 1, 1)
    assert not AuditLogEntry.objects.filter(action="cases.casefile.view").exists()


def test_steering_member_gets_403_on_case_pages(world, officer_a, steering_a, client_for):
    case = make_case(officer_a, world.commune_a)
    client = client_for(steering_a)
    assert client.get(reverse("cases:casefile_list")).status_code == 403
    assert client.get(reverse("cases:worklist")).status_code == 403
    assert client.get(detail_url(case)).status_code == 403
    assert not AuditLogEntry.objects.filter(action="cases.casefile.view").exists()


def test_list_shows_only_own_commune(world, officer_a, officer_b, client_for):
    mine = make_case(officer_a, world.commune_a, full_name="Nguyễn Văn Hùng")
    theirs = make_case(officer_b, world.commune_b, full_name="Lê Văn Bình")
    response = client_for(officer_a).get(reverse("cases:casefile_list"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["object_list"]] == [mine.pk]
    assert "Lê Văn Bình" not in html(response) and theirs.file_number not in html(response)


# --- query counts ------------------------------------------------------------------------------------------------


def _files(world, officer, n):
    made = []
    for i in range(n):
        case = make_case(officer, world.commune_a, substances=["meth"] if i % 2 else ["heroin", "cannabis"])
        if i % 3 == 0:
            case = advance(officer, case, "positive_test", dt.date(2026, 1, 10))
        made.append(case)
    return made


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_page_query_count_is_constant(world, officer_a, client_for):
    client = client_for(officer_a)
    url = reverse("cases:casefile_list")
    _files(world, officer_a, 3)
    client.get(url)
    few = _queries(client, url)
    _files(world, officer_a, 27)
    many = _queries(client, url)
    assert few == many


def test_worklist_page_query_count_is_constant(world, officer_a, client_for):
    client = client_for(officer_a)
    url = reverse("cases:worklist")
    _files(world, officer_a, 3)
    client.get(url)
    few = _queries(client, url)
    _files(world, officer_a, 27)
    many = _queries(client, url)
    assert few == many


def test_detail_page_query_count_is_constant(world, officer_a, province_staff, client_for):
    """More files in the commune, more events on the timeline, more audit rows: same queries."""
    (case,) = _files(world, officer_a, 1)
    case = advance(officer_a, case, "management_decision", dt.date(2026, 1, 12), decision_number="1/QĐ")
    for client in (client_for(officer_a), client_for(province_staff)):
        url = detail_url(case)
        # Province staff give a reason first, so the file page is measured, not the prompt.
        client.post(url, {"break_glass_reason": "Kiểm tra định kỳ của tỉnh"})
        client.get(url)
        few = _queries(client, url)
        _files(world, officer_a, 29)
        for day in range(13, 28):
            services.case_add_event(
                actor=officer_a,
                case=case,
                kind="home_visit",
                data=services.EventInput(event_date=dt.date(2026, 1, day)),
            )
            client.get(url)
        many = _queries(client, url)
        assert few == many


# --- events and transfers through the pages -------------------------------------------------------------------


def test_home_visit_page_records_the_visit(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    case = advance(officer_a, case, "positive_test", dt.date(2026, 1, 12))
    case = advance(officer_a, case, "management_decision", dt.date(2026, 1, 19), decision_number="2/QĐ-UBND")
    response = client_for(officer_a).post(
        reverse("cases:casefile_event", args=[case.pk, "home_visit"]),
        {"event_date": "10/02/2026", "result": "Có mặt, làm ruộng"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.last_visit_on == dt.date(2026, 2, 10)
    assert case.due_date == dt.date(2026, 2, 10) + dt.timedelta(days=30)


def test_unknown_event_kind_or_transition_code_is_404(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a)
    client = client_for(officer_a)
    assert client.get(reverse("cases:casefile_event", args=[case.pk, "opened"])).status_code == 404
    assert client.get(reverse("cases:casefile_transition", args=[case.pk, "teleport"])).status_code == 404


def test_transfer_page_hands_the_file_to_the_other_commune(world, officer_a, officer_b, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    response = client_for(officer_a).post(
        reverse("cases:casefile_transfer", args=[case.pk]),
        {"to_commune": str(world.commune_b.pk), "event_date": "01/02/2026", "notes": "Chuyển về nhà vợ"},
    )
    assert response.status_code == 302
    new = CaseFile.objects.get(transferred_from=case)
    assert new.commune == world.commune_b
    assert client_for(officer_a).get(detail_url(new)).status_code == 404
    page = client_for(officer_b).get(detail_url(new))
    assert page.status_code == 200
    assert 'data-testid="transferred-from"' in html(page)
    assert 'data-testid="timeline-earlier-file"' in html(page)  # A's events, seen from B's file
    old_page = client_for(officer_a).get(detail_url(case))
    assert 'data-testid="transferred-to"' in html(old_page)


def test_import_template_has_the_resource_headers(world, officer_a, client_for):
    response = client_for(officer_a).get(reverse("cases:import_template"))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == list(CaseResource.columns)
