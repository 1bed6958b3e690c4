"""Issue 12 §4: a case form reports every error at once, each on its field (aria-invalid,
aria-describedby to the message under it), the CCCD check with the others, and a stale edit never
offers a button that silently throws away what was typed."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from apps.cases import services
from apps.cases.models import CaseFile
from tests.factories.cases import make_case


def html(response):
    return response.content.decode()


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


def field_errors(response) -> dict[str, list[str]]:
    out = {}
    for name in ("person_form", "case_form"):
        for field, errors in response.context[name].errors.items():
            out[f"{name[0]}-{field}"] = errors
    return out


def test_person_and_case_errors_come_back_together(world, officer_a, client_for):
    """A missing name (person form) no longer hides a missing detection date (case form), and the
    CCCD is checked with them, not after they are fixed."""
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"),
        create_data(
            **{"c-commune": str(world.commune_a.pk), "p-full_name": "", "p-citizen_id": "12AB", "c-detected_on": ""}
        ),
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert {"p-full_name", "p-citizen_id", "c-detected_on"} <= errors.keys(), errors
    assert "chữ số" in " ".join(errors["p-citizen_id"])
    assert not CaseFile.objects.exists()


def test_rule_errors_of_the_service_come_with_the_cccd_error(world, officer_a, client_for):
    """A detection date before the birth year (a service rule) and a bad CCCD: both at once."""
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"),
        create_data(**{"c-commune": str(world.commune_a.pk), "p-citizen_id": "12345", "c-detected_on": "05/01/1980"}),
    )
    errors = field_errors(response)
    assert "p-citizen_id" in errors and "c-detected_on" in errors, errors
    assert "trước năm sinh" in " ".join(errors["c-detected_on"])


def test_rule_errors_show_even_when_another_field_is_invalid(world, officer_a, client_for):
    """A service rule (detection before birth) is reported in the same round trip as a plain
    field error elsewhere (a missing sex)."""
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"),
        create_data(**{"c-commune": str(world.commune_a.pk), "p-sex": "", "c-detected_on": "05/01/1980"}),
    )
    errors = field_errors(response)
    assert "p-sex" in errors and "c-detected_on" in errors, errors


def test_each_error_is_on_its_field_with_aria(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"),
        create_data(**{"c-commune": str(world.commune_a.pk), "p-citizen_id": "12AB", "c-detected_on": ""}),
    )
    page = html(response)
    for field_id in ("id_p-citizen_id", "id_c-detected_on"):
        tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag, tag
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        assert f"{field_id}_error" in described, tag
        # the message is right under the field, in the element the input points at
        assert re.search(rf'id="{field_id}_error"[^>]*>\s*<li>[^<]+</li>', page), field_id
    # the field's row is outlined
    assert page.count("form-row has-error") >= 2


def test_duplicate_warning_comes_with_the_other_errors(world, officer_a, officer_b, client_for):
    make_case(officer_b, world.commune_b, full_name="Hoàng Văn Sơn", birth_year=1985, sex="M")
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"), create_data(**{"c-commune": str(world.commune_a.pk), "c-detected_on": ""})
    )
    page = html(response)
    assert 'data-testid="duplicate-warning"' in page
    assert "c-detected_on" in field_errors(response)


# --- stale edit ---------------------------------------------------------------------------------------


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


@pytest.fixture
def stale_response(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    typed = edit_data(case, **{"c-notes": "Nội dung tôi vừa gõ", "p-occupation": "Thợ xây"})
    colleague = world.user("commune_officer", world.commune_a, "officer_a2")
    services.case_update(
        actor=colleague,
        case=case,
        data=services.CaseInput(person={}, case={"notes": "Sửa trước"}, substances=[]),
        expected_version=1,
    )
    return case, client_for(officer_a).post(reverse("cases:casefile_edit", args=[case.pk]), typed)


def test_stale_edit_keeps_what_was_typed(stale_response):
    _case, response = stale_response
    assert response.status_code == 409
    page = html(response)
    assert "Nội dung tôi vừa gõ" in page and 'value="Thợ xây"' in page


def test_stale_edit_names_the_discarding_button_explicitly(stale_response):
    case, response = stale_response
    page = html(response)
    assert "Bỏ nội dung đã nhập và tải lại bản mới" in page
    # no other link to the fresh form that would drop the input without saying so
    assert "Tải lại hồ sơ mới nhất" not in page
    links = re.findall(rf'<a[^>]*href="{reverse("cases:casefile_edit", args=[case.pk])}"[^>]*>([^<]*)</a>', page)
    assert links and all("Bỏ nội dung đã nhập" in text for text in links), links


def test_the_summary_lists_every_error_with_a_link_to_its_field(world, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("cases:casefile_create"),
        create_data(**{"c-commune": str(world.commune_a.pk), "p-full_name": "", "p-citizen_id": "12AB"}),
    )
    summary = re.search(r'<ul class="error-summary"[^>]*>(.*?)</ul>', html(response), re.S).group(1)
    assert re.findall(r'href="#([^"]+)"', summary) == ["id_p-full_name", "id_p-citizen_id"]
