"""Pages: forms saving through the services, scope (404 outside, a multi-commune activity visible
to both communes but editable only with every commune in scope), stale edits (409), the register
synchronised when opened, and a constant number of queries on every list (3 vs 30 rows)."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.prevention.models import Activity, HighRiskPerson, TipOff, Training
from tests.factories.cases import make_case
from tests.factories.prevention import (
    group,
    make_activity,
    make_model_point,
    make_person,
    make_tip_off,
    make_training,
)
from tests.utils import assert_query_budget


def html(response) -> str:
    return response.content.decode()


def activity_post(world, **overrides):
    data = {
        "title": "Tuyên truyền tác hại của ma túy tổng hợp",
        "date_from": "02/03/2026",
        "date_to": "",
        "communes": [world.commune_a.pk],
        "kind": "school",
        "topics": ["synthetic_nps", "prevention"],
        "sessions": "2",
        "materials_count": "100",
        "materials_description": "Tờ rơi",
        "organiser": "Công an xã Trung Sơn",
        "reporting_officer": "",
        "notes": "",
        f"group_{group('students').pk}": "320",
        f"group_{group('drug_users').pk}": "2",
    }
    data.update(overrides)
    return data


# --- forms ---------------------------------------------------------------------------------------


def test_officer_records_an_activity_with_reached_people(world, officer_a, client_for):
    people = [make_person(officer_a, world.commune_a) for _i in range(3)]
    client = client_for(officer_a)
    form = client.get(reverse("prevention:activity_create"))
    assert form.status_code == 200
    assert form.context["form"].initial["communes"] == [world.commune_a.pk]
    response = client.post(
        reverse("prevention:activity_create"), activity_post(world, reached=[p.pk for p in people[:2]])
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "prevention:activity_detail", args=[activity.pk]
    )
    assert (activity.participants_total, activity.sessions, activity.reporting_officer) == (322, 2, officer_a)
    assert sorted(activity.reaches.values_list("person_id", flat=True)) == sorted(p.pk for p in people[:2])
    page = client.get(response["Location"])
    assert html(page).count('data-testid="reached-person"') == 2
    assert "Học sinh, sinh viên" in html(page)


def test_form_errors_are_shown_in_vietnamese_and_nothing_is_saved(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("prevention:activity_create"),
        activity_post(world, communes=[world.commune_b.pk], topics=[], date_to="01/03/2026"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "communes" in errors and "topics" in errors
    assert not Activity.objects.exists()


def test_stale_activity_edit_answers_409(world, officer_a, client_for):
    activity = make_activity(officer_a, world.commune_a)
    client = client_for(officer_a)
    url = reverse("prevention:activity_edit", args=[activity.pk])
    data = activity_post(world, title=activity.title, version="1")
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "sessions": "9"})
    assert stale.status_code == 409
    assert "đã được người khác lưu" in html(stale)
    assert Activity.objects.get().sessions == 2


# --- scope -----------------------------------------------------------------------------------------


def test_out_of_scope_records_answer_404(world, officer_a, officer_b, client_for):
    records = {
        "activity_detail": make_activity(officer_b, world.commune_b),
        "highrisk_detail": make_person(officer_b, world.commune_b),
        "training_detail": make_training(officer_b, (world.commune_b, 4)),
        "modelpoint_detail": make_model_point(officer_b, world.commune_b),
        "tipoff_detail": make_tip_off(officer_b, world.commune_b),
    }
    client = client_for(officer_a)
    for name, obj in records.items():
        assert client.get(reverse(f"prevention:{name}", args=[obj.pk])).status_code == 404, name
    assert client.get(reverse("prevention:coverage"), {"commune": world.commune_b.pk}).status_code == 200
    assert client.get(reverse("prevention:coverage"), {"commune": world.commune_b.pk}).context["coverage"] is None


def test_multi_commune_activity_visible_to_both_editable_only_with_every_commune(
    world, officer_a, officer_b, province_staff, client_for
):
    activity = make_activity(province_staff, world.commune_a, world.commune_b, title="Mít tinh 26/6")
    a_person, b_person = make_person(officer_a, world.commune_a), make_person(officer_b, world.commune_b)
    detail = reverse("prevention:activity_detail", args=[activity.pk])
    edit = reverse("prevention:activity_edit", args=[activity.pk])
    reaches = reverse("prevention:activity_reaches", args=[activity.pk])
    for officer, mine, theirs in ((officer_a, a_person, b_person), (officer_b, b_person, a_person)):
        client = client_for(officer)
        page = client.get(detail)
        assert page.status_code == 200
        assert 'data-testid="activity-partly-outside"' in html(page)
        assert 'data-testid="activity-edit"' not in html(page)
        assert client.get(edit).status_code == 403
        assert client.post(edit, activity_post(world, version="1")).status_code == 403
        form = client.get(reaches)
        assert form.status_code == 200
        assert [p.pk for p in form.context["form"].fields["reached"].queryset] == [mine.pk]
        assert client.post(reaches, {"reached": [mine.pk]}).status_code == 302
        assert client.post(reaches, {"reached": [theirs.pk]}).status_code == 200  # not a valid choice
        assert theirs.full_name not in html(client.get(detail))
        listed = client.get(reverse("prevention:activity_list"))
        assert [a.pk for a in listed.context["object_list"]] == [activity.pk]
    assert sorted(activity.reaches.values_list("person_id", flat=True)) == sorted([a_person.pk, b_person.pk])
    staff = client_for(province_staff)
    assert staff.get(edit).status_code == 200
    assert staff.post(edit, activity_post(world, communes=[world.commune_a.pk, world.commune_b.pk], version="1"))
    assert Activity.objects.get().title == "Tuyên truyền tác hại của ma túy tổng hợp"


def test_steering_member_sees_targets_only(world, steering_a, client_for):
    client = client_for(steering_a)
    assert client.get(reverse("prevention:target_list")).status_code == 200
    for name in ("index", "activity_list", "highrisk_list", "coverage", "tipoff_list"):
        assert client.get(reverse(f"prevention:{name}")).status_code == 403, name


def test_register_page_synchronises_open_case_files(world, officer_a, client_for):
    make_case(officer_a, world.commune_a, full_name="Hà Văn Đồng", birth_year=1991)
    response = client_for(officer_a).get(reverse("prevention:highrisk_list"))
    assert [p.full_name for p in response.context["object_list"]] == ["Hà Văn Đồng"]
    assert "từ hồ sơ" in html(response)
    assert HighRiskPerson.objects.get().category.code == "drug_users"


def test_coverage_page_defaults_to_the_officers_commune_and_current_year(world, officer_a, client_for):
    people = [make_person(officer_a, world.commune_a, full_name=f"Người {i}") for i in range(3)]
    make_activity(officer_a, world.commune_a, date_from=world.today, reached=people[:1])
    response = client_for(officer_a).get(reverse("prevention:coverage"))
    cov = response.context["coverage"]
    assert (cov.commune, cov.start, cov.end) == (
        world.commune_a,
        dt.date(world.today.year, 1, 1),
        dt.date(world.today.year, 12, 31),
    )
    assert (cov.reached_count, cov.total) == (1, 3)
    assert html(response).count('data-testid="not-reached-row"') == 2


def test_tip_off_form_records_the_informant_write_only(world, officer_a, client_for):
    client = client_for(officer_a)
    assert 'data-testid="informant-section"' in html(client.get(reverse("prevention:tipoff_create")))
    response = client.post(
        reverse("prevention:tipoff_create"),
        {
            "received_on": "02/03/2026",
            "channel": "hotline",
            "commune": world.commune_a.pk,
            "summary": "Nghi tụ tập sử dụng ma túy",
            "status": "received",
            "inf-full_name": "Sùng A Páo",
            "inf-phone": "0987654321",
        },
    )
    tip = TipOff.objects.get()
    assert response.status_code == 302
    assert tip.informant.full_name == "Sùng A Páo"
    assert "Sùng A Páo" not in html(client.get(response["Location"]))


def test_training_form_with_units(world, officer_a, client_for):
    client = client_for(officer_a)
    assert client.get(reverse("prevention:training_create")).status_code == 200
    response = client.post(
        reverse("prevention:training_create"),
        {
            "held_on": "02/03/2026",
            "topic": "Kỹ năng tư vấn",
            "organiser": "Công an xã",
            "notes": "",
            "units-TOTAL_FORMS": "3",
            "units-INITIAL_FORMS": "0",
            "units-0-unit": world.commune_a.pk,
            "units-0-count": "14",
        },
    )
    assert response.status_code == 302
    assert Training.objects.get().participants_total == 14


def test_model_point_evaluation_page(world, officer_a, client_for):
    point = make_model_point(officer_a, world.commune_a)
    response = client_for(officer_a).post(
        reverse("prevention:modelpoint_evaluate", args=[point.pk]), {"year": "2026", "result": "good", "notes": "Tốt"}
    )
    assert response.status_code == 302
    assert point.evaluations.get().result == "good"
    assert AuditLogEntry.objects.filter(action="prevention.modelpoint.evaluate").exists()


# --- query counts --------------------------------------------------------------------------------------


def _queries(client, url, params=None):
    with assert_query_budget() as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return queries.count


def _fill(kind, world, officer_a, province_staff, n):
    for _i in range(n):
        if kind == "activity":
            person = make_person(officer_a, world.commune_a)
            make_activity(province_staff, world.commune_a, world.commune_b, reached=[person])
        elif kind == "highrisk":
            make_person(officer_a, world.commune_a)
        elif kind == "training":
            make_training(province_staff, (world.commune_a, 3), (world.commune_b, 2))
        elif kind == "modelpoint":
            point = make_model_point(officer_a, world.commune_a)
            from apps.prevention import services

            services.modelpoint_evaluate(actor=officer_a, point=point, year=2026, result="good")
        elif kind == "tipoff":
            make_tip_off(officer_a, world.commune_a, informant={"full_name": "X"})
        elif kind == "case":
            make_case(officer_a, world.commune_a)


@pytest.mark.parametrize(
    ("url_name", "kind"),
    [
        ("activity_list", "activity"),
        ("highrisk_list", "highrisk"),
        ("highrisk_list", "case"),
        ("coverage", "highrisk"),
        ("training_list", "training"),
        ("modelpoint_list", "modelpoint"),
        ("tipoff_list", "tipoff"),
        ("index", "activity"),
    ],
)
@pytest.mark.parametrize("who", ["officer_a", "province_staff"])
def test_list_pages_keep_a_constant_number_of_queries(url_name, kind, who, world, request, client_for):
    officer_a, province_staff = request.getfixturevalue("officer_a"), request.getfixturevalue("province_staff")
    client = client_for(request.getfixturevalue(who))
    url = reverse(f"prevention:{url_name}")
    params = {"commune": world.commune_a.pk} if url_name == "coverage" else None
    _fill(kind, world, officer_a, province_staff, 3)
    client.get(url, params)  # first opening may synchronise the register
    few = _queries(client, url, params)
    _fill(kind, world, officer_a, province_staff, 27)
    client.get(url, params)
    many = _queries(client, url, params)
    assert few == many


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("activity_detail", lambda w, o, p: make_activity(p, w.commune_a, w.commune_b)),
        ("training_detail", lambda w, o, p: make_training(p, (w.commune_a, 3), (w.commune_b, 2))),
    ],
)
def test_detail_pages_of_multi_unit_records_keep_constant_queries(
    url_name, factory, world, officer_a, province_staff, client_for
):
    obj = factory(world, officer_a, province_staff)
    client = client_for(province_staff)
    url = reverse(f"prevention:{url_name}", args=[obj.pk])
    client.get(url)
    few = _queries(client, url)
    if url_name == "activity_detail":
        from apps.prevention import services

        people = [make_person(officer_a, world.commune_a) for _i in range(10)]
        services.activity_set_reaches(actor=province_staff, activity=obj, persons=people)
    many = _queries(client, url)
    assert few == many


def test_admin_lists_a_multi_commune_activity_once_and_without_the_people(
    world, province_staff, officer_a, client_for
):
    from tests.factories.accounts import UserFactory

    person = make_person(officer_a, world.commune_a, full_name="Ma Văn Riêng Tư")
    activity = make_activity(province_staff, world.commune_a, world.commune_b, reached=[person])
    root = UserFactory(username="root_admin", area=world.province)
    root.is_superuser = root.is_staff = True
    root.save()
    client = client_for(root)
    changelist = client.get(reverse("admin:prevention_activity_changelist"))
    assert changelist.status_code == 200
    assert [a.pk for a in changelist.context["cl"].result_list] == [activity.pk]
    page = client.get(reverse("admin:prevention_activity_change", args=[activity.pk]))
    assert page.status_code == 200 and "Ma Văn Riêng Tư" not in html(page)


@pytest.mark.parametrize(
    ("kind", "make", "add_title", "edit_title"),
    [
        (
            "highrisk",
            lambda o, c: make_person(o, c),
            "Thêm người vào sổ nhóm nguy cơ cao",
            "Sửa thông tin người nguy cơ cao",
        ),
        ("training", lambda o, c: make_training(o, (c, 12)), "Thêm lớp tập huấn", "Sửa lớp tập huấn"),
        ("modelpoint", lambda o, c: make_model_point(o, c), "Thêm mô hình điểm", "Sửa mô hình điểm"),
        ("tipoff", lambda o, c: make_tip_off(o, c), "Tiếp nhận tin báo, tố giác", "Cập nhật xử lý tin báo"),
    ],
)
def test_one_form_view_serves_the_new_and_the_edit_page(
    kind, make, add_title, edit_title, world, officer_a, client_for
):
    """The kind's single form view: the new page is an ``add``, the edit page a ``change`` of the
    record it names, each with its own title."""
    record = make(officer_a, world.commune_a)
    client = client_for(officer_a)
    new = client.get(reverse(f"prevention:{kind}_create"))
    edit = client.get(reverse(f"prevention:{kind}_edit", args=[record.pk]))
    assert new.status_code == edit.status_code == 200
    assert (new.context["title"], new.context["object"]) == (add_title, None)
    assert (edit.context["title"], edit.context["object"]) == (edit_title, record)
    assert new.context["view"].permission_action == "add" and edit.context["view"].permission_action == "change"
