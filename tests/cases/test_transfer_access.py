"""Issue 11 §3: a transfer moves the person. The sending commune keeps reading its own closed
file's history, but not what the receiving commune records about the person afterwards, and it
cannot write anything any more (the services refuse, not only the templates). The person, shared
by the files of several communes, has its own optimistic version check."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.cases import services
from apps.cases.models import CaseFile
from tests.factories.cases import make_case


def _transfer(actor, case, to):
    return services.case_transfer(
        actor=actor, case=case, to_commune=to, data=services.EventInput(event_date=dt.date(2026, 1, 20))
    )


@pytest.fixture
def moved(world, officer_a, officer_b):
    """A file of commune A transferred to commune B, where B then records a new phone and address."""
    sent = make_case(officer_a, world.commune_a, phone="0911000111", current_address="Số 1 đường cũ")
    received = _transfer(officer_a, sent, world.commune_b)
    services.case_update(
        actor=officer_b,
        case=received,
        data=services.CaseInput(
            person={"phone": "0988777666", "current_address": "Số 9 đường mới"}, case={}, substances=[]
        ),
        expected_version=received.version,
    )
    return CaseFile.objects.get(pk=sent.pk), CaseFile.objects.get(pk=received.pk)


def test_sending_commune_reads_its_history_but_not_the_new_data(moved, officer_a, client_for):
    sent, _received = moved
    response = client_for(officer_a).get(reverse("cases:casefile_detail", args=[sent.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert sent.person.full_name in page
    assert "0911000111" in page and "Số 1 đường cũ" in page  # as recorded when the file was closed
    assert "0988777666" not in page and "Số 9 đường mới" not in page
    assert [e.kind for e in response.context["timeline"]][0] == "transfer"


def test_receiving_commune_and_province_see_the_current_data(moved, officer_b, client_for):
    _sent, received = moved
    page = client_for(officer_b).get(reverse("cases:casefile_detail", args=[received.pk])).content.decode()
    assert "0988777666" in page and "Số 9 đường mới" in page


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, case: services.case_update(
            actor=actor,
            case=case,
            data=services.CaseInput(person={"phone": "0900000000"}, case={"notes": "x"}, substances=[]),
            expected_version=case.version,
        ),
        lambda actor, case: services.case_add_event(
            actor=actor, case=case, kind="note", data=services.EventInput(event_date=dt.date(2026, 2, 1), notes="x")
        ),
        lambda actor, case: services.case_add_event(
            actor=actor, case=case, kind="home_visit", data=services.EventInput(event_date=dt.date(2026, 2, 1))
        ),
        lambda actor, case: services.case_transfer(
            actor=actor,
            case=case,
            to_commune=case.commune,
            data=services.EventInput(event_date=dt.date(2026, 2, 1)),
        ),
    ],
    ids=["update", "note", "visit", "transfer"],
)
def test_every_write_on_the_closed_file_is_refused_by_the_services(moved, officer_a, write):
    sent, received = moved
    with pytest.raises(ValidationError) as refused:
        write(officer_a, sent)
    assert "Hồ sơ đã chuyển sang xã, phường khác" in " ".join(refused.value.messages)
    received.person.refresh_from_db()
    assert received.person.phone == "0988777666"


def test_the_edit_page_of_a_closed_file_sends_back_to_the_file(moved, officer_a, client_for):
    sent, _received = moved
    response = client_for(officer_a).get(reverse("cases:casefile_edit", args=[sent.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:casefile_detail", args=[sent.pk])


# --- the person's version ----------------------------------------------------------------------------


def test_a_stale_person_edit_is_refused_with_what_changed(world, officer_a, officer_b, client_for):
    """Two communes hold open files of one person (e.g. before a duplicate is resolved): each
    file's version is current, but the person changed under officer A's open form."""
    mine = make_case(officer_a, world.commune_a, full_name="Triệu Văn Chung", birth_year=1988, sex="M")
    theirs = make_case(officer_b, world.commune_b, person=mine.person)
    client = client_for(officer_a)
    url = reverse("cases:casefile_edit", args=[mine.pk])
    form = client.get(url).context["person_form"]
    opened_version = form["version"].value()
    assert opened_version == mine.person.version

    services.case_update(
        actor=officer_b,
        case=theirs,
        data=services.CaseInput(person={"phone": "0977000111"}, case={}, substances=[]),
        expected_version=theirs.version,
    )

    data = {
        "p-full_name": mine.person.full_name,
        "p-sex": "M",
        "p-birth_year": "1988",
        "p-education": mine.person.education,
        "p-marital_status": mine.person.marital_status,
        "p-phone": "",
        "p-occupation": "Làm ruộng",
        "p-version": str(opened_version),
        "c-case_type": mine.case_type,
        "c-whereabouts": mine.whereabouts,
        "c-detected_on": mine.detected_on.strftime("%d/%m/%Y"),
        "c-version": str(mine.version),
    }
    response = client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "đã được người khác lưu" in page and officer_b.get_full_name() in page and "điện thoại" in page
    mine.person.refresh_from_db()
    assert (mine.person.phone, mine.person.occupation) == ("0977000111", "")


def test_a_current_person_version_saves_and_moves_the_version(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, full_name="Triệu Văn Chung", birth_year=1988, sex="M")
    version = case.person.version
    services.case_update(
        actor=officer_a,
        case=case,
        data=services.CaseInput(person={"phone": "0977000111"}, case={}, substances=[]),
        expected_version=case.version,
        expected_person_version=version,
    )
    case.person.refresh_from_db()
    assert case.person.version == version + 1


def test_the_sending_communes_export_shows_the_person_as_recorded(moved, officer_a, officer_b, client_for):
    sent, received = moved
    text = client_for(officer_a).get(reverse("cases:casefile_export", kwargs={"fmt": "csv"}), {"status": "closed"})
    content = text.content.decode("utf-8-sig")
    assert sent.file_number in content
    assert "Số 1 đường cũ" in content and "Số 9 đường mới" not in content
    theirs = client_for(officer_b).get(reverse("cases:casefile_export", kwargs={"fmt": "csv"}))
    assert "Số 9 đường mới" in theirs.content.decode("utf-8-sig")


def test_the_new_address_does_not_find_the_sending_communes_file(moved, officer_a, client_for):
    sent, _received = moved
    client = client_for(officer_a)
    by_address = client.get(reverse("cases:casefile_list"), {"q": "duong moi", "status": "closed"})
    assert sent.file_number not in by_address.content.decode()
    by_name = client.get(reverse("cases:casefile_list"), {"q": sent.person.full_name, "status": "closed"})
    assert sent.file_number in by_name.content.decode()
