"""Pages of the registers: their rules over the permission-matrix entries
(tests/registers/permission_matrix.py), constant list queries, and the create / edit / status flows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import URLPattern, get_resolver, reverse

from apps.areas.models import UnitSuccession
from apps.audit.models import AuditLogEntry
from apps.registers import actions
from apps.registers.models import CrimeCase, Cultivation, Hotspot
from apps.registers.services import hotspots as hotspot_services
from tests.factories.areas import UnitFactory
from tests.factories.cases import make_case
from tests.factories.registers import (
    every_kind,
    factory_of,
    make_crime_case,
    make_hotspot,
    make_record,
    offender,
    register_models,
)
from tests.registers.permission_matrix import SCOPED_URLS as REGISTER_URLS
from tests.utils import assert_query_budget

D = dt.date


# --- the permission matrix -----------------------------------------------------------------------
# The four checks of every entry (anonymous, no role, in scope, out of scope) run in
# tests/test_permission_matrix.py; here the registers' own rules over the same entries.


def _url(entry, world, commune):
    return reverse(entry.name, kwargs=entry.kwargs(world, commune) if entry.kwargs else {})


def test_every_registers_url_is_in_the_matrix():
    resolver = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "registers")
    names = {f"registers:{p.name}" for p in resolver.url_patterns if isinstance(p, URLPattern)}
    assert names == {e.name for e in REGISTER_URLS}


@pytest.mark.parametrize("entry", REGISTER_URLS, ids=lambda e: e.name)
def test_steering_member_gets_403(entry, world, steering_a, client_for):
    assert client_for(steering_a).get(_url(entry, world, world.commune_a)).status_code == 403


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("list", 200),
        ("detail", 200),
        ("export", 200),
        ("create", 403),
        ("edit", 403),
        ("import", 403),
        ("import_template", 403),
    ],
)
@pytest.mark.parametrize("model", every_kind())
def test_province_staff_read_and_export_only(world, province_staff, client_for, model, name, expected):
    entry = next(e for e in REGISTER_URLS if e.name == f"registers:{model._meta.model_name}_{name}")
    assert client_for(province_staff).get(_url(entry, world, world.commune_b)).status_code == expected


def test_province_staff_cannot_change_a_hotspots_status(world, province_staff, client_for):
    url = _url(next(e for e in REGISTER_URLS if e.name == "registers:hotspot_status"), world, world.commune_a)
    assert client_for(province_staff).get(url).status_code == 403


def test_province_staff_list_shows_every_commune(world, officer_a, officer_b, province_staff, client_for):
    make_hotspot(officer_a, world.commune_a)
    make_hotspot(officer_b, world.commune_b)
    response = client_for(province_staff).get(reverse("registers:hotspot_list"))
    assert response.context["paginator"].count == 2
    content = response.content.decode()
    assert 'data-testid="hotspot-add"' not in content and 'data-testid="export-xlsx"' in content


# --- lists ---------------------------------------------------------------------------------------


def _page_queries(client, url) -> int:
    with assert_query_budget() as queries:
        assert client.get(url).status_code == 200
    return queries.count


def _add(officer, world, n):
    for i in range(n):
        former = world.former_a if i % 2 else None
        for model in register_models():
            samples = factory_of(model).samples
            make_record(model, officer, world.commune_a, recorded_unit=former, **samples[i % len(samples)])


def test_list_pages_cost_the_same_queries_for_3_and_30_rows(world, officer_a, client_for):
    client = client_for(officer_a)
    urls = [reverse(f"registers:{model._meta.model_name}_list") for model in register_models()]
    client.get(urls[0])  # warm the session
    _add(officer_a, world, 3)
    with_3 = [_page_queries(client, url) for url in urls]
    _add(officer_a, world, 27)
    with_30 = [_page_queries(client, url) for url in urls]
    assert with_3 == with_30, (with_3, with_30)
    response = client.get(reverse("registers:crimecase_list"))
    assert len(response.context["object_list"]) == 25  # one page
    assert 'data-testid="crimecase-row"' in response.content.decode()


def test_list_filters_and_search_from_the_page(world, officer_a, client_for):
    make_hotspot(officer_a, world.commune_a, name="Nhà nghỉ Hoa Mai")
    make_hotspot(officer_a, world.commune_a, name="Lán bãi sông")
    response = client_for(officer_a).get(reverse("registers:hotspot_list"), {"q": "hoa mai"})
    assert [h.name for h in response.context["object_list"]] == ["Nhà nghỉ Hoa Mai"]


# --- hotspots ------------------------------------------------------------------------------------


def test_create_a_hotspot_from_the_form(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("registers:hotspot_create"),
        {
            "commune": world.commune_a.pk,
            "kind": "hotspot",
            "name": "Nhà nghỉ Hoa Mai",
            "village": "Thôn Đồng Cầu",
            "latitude": "21,8233",
            "longitude": "105.2142",
            "discovered_on": "02/03/2025",
            "status": "surveillance",
            "status_since": "01/04/2025",
            "notes": "",
        },
    )
    hotspot = Hotspot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "registers:hotspot_detail", args=[hotspot.pk]
    )
    assert (hotspot.latitude, hotspot.longitude) == (Decimal("21.823300"), Decimal("105.214200"))
    assert (hotspot.status, hotspot.status_since, hotspot.discovered_on) == (
        "surveillance",
        D(2025, 4, 1),
        D(2025, 3, 2),
    )
    page = client_for(officer_a).get(response["Location"]).content.decode()
    assert 'data-testid="hotspot-history"' in page and "Nhà nghỉ Hoa Mai" in page


def test_the_form_explains_a_split_former_commune(world, officer_a, client_for):
    split = UnitFactory(
        generation=world.former_a.generation, parent=world.former_a.parent, name="Thắng Quân", code="2470"
    )
    for new in (world.commune_a, world.commune_b):
        UnitSuccession.objects.create(old=split, new=new, partly=True, effective_date=D(2025, 7, 1))
    response = client_for(officer_a).post(
        reverse("registers:hotspot_create"),
        {"recorded_unit": split.pk, "kind": "point", "name": "Bãi đá", "discovered_on": "02/03/2025"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["commune"][0]
    assert "chia cho nhiều" in errors and "Phường Minh Xuân" in errors
    assert not Hotspot.objects.exists()


def test_a_stale_edit_answers_409_and_keeps_the_first_save(world, officer_a, client_for):
    hotspot = make_hotspot(officer_a, world.commune_a, name="Lán tạm")
    url = reverse("registers:hotspot_edit", args=[hotspot.pk])
    client = client_for(officer_a)
    form = {
        "commune": world.commune_a.pk,
        "kind": "point",
        "name": "Lán tạm",
        "discovered_on": "05/01/2026",
        "version": 1,
    }
    assert client.post(url, {**form, "notes": "Lần 1"}).status_code == 302
    stale = client.post(url, {**form, "notes": "Lần 2"})
    assert stale.status_code == 409
    assert "CHƯA được lưu" in stale.content.decode()
    hotspot.refresh_from_db()
    assert (hotspot.notes, hotspot.version) == ("Lần 1", 2)


def test_status_change_from_the_page(world, officer_a, client_for):
    hotspot = make_hotspot(officer_a, world.commune_a, discovered_on=D(2025, 1, 1))
    client = client_for(officer_a)
    url = reverse("registers:hotspot_status", args=[hotspot.pk])
    page = client.get(url, {"to": "eliminated"})
    assert page.context["form"]["to_status"].value() == "eliminated"
    detail = client.get(reverse("registers:hotspot_detail", args=[hotspot.pk])).content.decode()
    assert 'data-testid="status-eliminated"' in detail and 'data-testid="status-reemerged"' not in detail
    illegal = client.post(url, {"to_status": "reemerged", "changed_on": "01/02/2025", "version": 1})
    assert illegal.status_code == 200 and "to_status" in illegal.context["form"].errors
    done = client.post(
        url, {"to_status": "eliminated", "changed_on": "01/02/2025", "reason": "Đã xử lý", "version": 1}
    )
    assert done.status_code == 302
    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.eliminated_on) == ("eliminated", D(2025, 2, 1))
    too_early = client.post(url, {"to_status": "reemerged", "changed_on": "01/01/2025", "version": 2})
    assert "01/02/2025" in too_early.context["form"].errors["changed_on"][0]


def test_linked_case_files_are_shown_only_if_visible(world, officer_a, province_staff, client_for):
    case = make_case(officer_a, world.commune_a)
    hotspot = make_hotspot(officer_a, world.commune_a, linked_cases=[case])
    page = client_for(officer_a).get(reverse("registers:hotspot_detail", args=[hotspot.pk])).content.decode()
    assert case.file_number in page


# --- crime cases ---------------------------------------------------------------------------------


def _crime_form(world, **extra):
    data = {
        "commune": world.commune_a.pk,
        "occurred_on": "05/01/2026",
        "article": "251",
        "stage": "prosecuted",
        "summary": "Bắt quả tang mua bán",
        "heroin_g": "1,5",
        "synthetic_g": "",
        "synthetic_tablets": "40",
        "o-TOTAL_FORMS": "2",
        "o-INITIAL_FORMS": "0",
        "o-MIN_NUM_FORMS": "0",
        "o-MAX_NUM_FORMS": "1000",
        "o-0-full_name": "Nguyễn Văn Hùng",
        "o-0-birth_year": "1990",
        "o-0-sex": "M",
        "o-0-arrested_on": "05/01/2026",
        "o-1-full_name": "",
    }
    data.update(extra)
    return data


def test_create_a_crime_case_with_offenders_and_view_it(world, officer_a, client_for):
    client = client_for(officer_a)
    response = client.post(reverse("registers:crimecase_create"), _crime_form(world))
    case = CrimeCase.objects.get()
    assert response.status_code == 302
    assert (case.heroin_g, case.synthetic_tablets, case.offenders_count) == (Decimal("1.500"), 40, 1)
    assert list(case.offenders.values_list("full_name", "birth_year")) == [("Nguyễn Văn Hùng", 1990)]
    page = client.get(reverse("registers:crimecase_detail", args=[case.pk]))
    assert 'data-testid="offender-row"' in page.content.decode()
    assert AuditLogEntry.objects.filter(action=actions.CRIMECASE_VIEW, object_id=str(case.pk)).count() == 1


def test_an_offender_row_needs_sex_and_arrest_date(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("registers:crimecase_create"), _crime_form(world, **{"o-0-sex": "", "o-0-arrested_on": ""})
    )
    assert response.status_code == 200
    assert set(response.context["formset"].forms[0].errors) == {"sex", "arrested_on"}
    assert not CrimeCase.objects.exists()


def test_viewing_a_case_without_named_people_is_not_recorded(world, officer_a, client_for):
    case = make_crime_case(officer_a, world.commune_a, offenders_count=2)
    assert client_for(officer_a).get(reverse("registers:crimecase_detail", args=[case.pk])).status_code == 200
    assert not AuditLogEntry.objects.filter(action=actions.CRIMECASE_VIEW).exists()


def test_edit_a_crime_case_removing_an_offender(world, officer_a, client_for):
    case = make_crime_case(officer_a, world.commune_a, offenders=[offender("A Một"), offender("B Hai")])
    first, second = case.offenders.order_by("pk")
    client = client_for(officer_a)
    url = reverse("registers:crimecase_edit", args=[case.pk])
    page = client.get(url)
    assert page.context["formset"].forms[1]["full_name"].value() == "B Hai"
    form = _crime_form(
        world,
        summary=case.summary,
        version=1,
        **{
            "o-TOTAL_FORMS": "2",
            "o-INITIAL_FORMS": "2",
            "o-0-id": first.pk,
            "o-0-full_name": "A Một",
            "o-1-id": second.pk,
            "o-1-full_name": "B Hai",
            "o-1-sex": "M",
            "o-1-arrested_on": "05/01/2026",
            "o-1-DELETE": "on",
        },
    )
    assert client.post(url, form).status_code == 302
    case.refresh_from_db()
    assert list(case.offenders.values_list("pk", flat=True)) == [first.pk]
    assert case.version == 2


def test_offender_with_a_case_file_links_to_it(world, officer_a, client_for):
    file = make_case(officer_a, world.commune_a)
    case = make_crime_case(officer_a, world.commune_a, offenders=[offender(file.person.full_name, person=file.person)])
    page = client_for(officer_a).get(reverse("registers:crimecase_detail", args=[case.pk])).content.decode()
    assert reverse("cases:casefile_detail", args=[file.pk]) in page


# --- cultivation ---------------------------------------------------------------------------------


def test_create_and_edit_a_cultivation_find(world, officer_a, client_for):
    client = client_for(officer_a)
    form = {
        "commune": world.commune_a.pk,
        "found_on": "20/02/2026",
        "species": "opium_poppy",
        "plants": "1200",
        "area_m2": "350,5",
        "destroyed": "on",
        "village": "Thôn Khuôn Khoai",
    }
    assert client.post(reverse("registers:cultivation_create"), form).status_code == 302
    find = Cultivation.objects.get()
    assert (find.area_m2, find.plants, find.destroyed) == (Decimal("350.50"), 1200, True)
    edit = client.post(reverse("registers:cultivation_edit", args=[find.pk]), {**form, "plants": "1300", "version": 1})
    assert edit.status_code == 302
    find.refresh_from_db()
    assert (find.plants, find.version) == (1300, 2)
    empty = client.post(reverse("registers:cultivation_create"), {**form, "plants": "", "area_m2": ""})
    assert "plants" in empty.context["form"].errors


def test_former_commune_choice_in_the_form(world, officer_a, client_for):
    client = client_for(officer_a)
    page = client.get(reverse("registers:cultivation_create")).content.decode()
    assert "Xã Đạo Viện" in page  # the former commune merged into A is offered
    response = client.post(
        reverse("registers:cultivation_create"),
        {"recorded_unit": world.former_a.pk, "found_on": "20/02/2026", "species": "cannabis", "plants": "5"},
    )
    assert response.status_code == 302
    assert (Cultivation.objects.get().commune, Cultivation.objects.get().recorded_unit) == (
        world.commune_a,
        world.former_a,
    )


def test_services_data_round_trip_through_the_edit_form_changes_nothing(world, officer_a, client_for):
    """Opening an edit form and saving it untouched writes no version and no audit row."""
    hotspot = make_hotspot(officer_a, world.commune_a, latitude=Decimal("21.8233"), longitude=Decimal("105.2"))
    client = client_for(officer_a)
    url = reverse("registers:hotspot_edit", args=[hotspot.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["discovered_on"] = hotspot.discovered_on.strftime("%d/%m/%Y")
    assert client.post(url, data).status_code == 302
    hotspot.refresh_from_db()
    assert hotspot.version == 1
    assert not AuditLogEntry.objects.filter(action=actions.HOTSPOT_UPDATE).exists()
    assert hotspot_services.allowed_statuses(hotspot.status) == ("surveillance", "eliminated")


# --- admin ---------------------------------------------------------------------------------------


def test_admin_is_read_only(world, officer_a, client_for):
    from apps.accounts.models import User

    root = User.objects.create_superuser("root_admin")
    records = {
        model._meta.model_name: make_record(model, officer_a, world.commune_a, **factory_of(model).samples[0])
        for model in register_models()
    }
    client = client_for(root)
    for model, record in records.items():
        assert client.get(reverse(f"admin:registers_{model}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:registers_{model}_change", args=[record.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert client.get(reverse(f"admin:registers_{model}_add")).status_code == 403
