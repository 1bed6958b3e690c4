"""An import confirmation writes only what the preview showed (issue 11, review follow-up).

The preview records the version and a digest of every record a row will change, as they were
then. A colleague's save between the preview and the confirmation refuses the whole file, naming
the row, the record, the columns that changed and who changed them; nothing is written and the
same upload can be checked again against the current data.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.cases import services
from apps.cases.choices import CloseReason
from apps.cases.models import CaseFile
from apps.cases.resources import COL_ADDRESS, COL_ID, COL_NOTES, COL_VILLAGE
from apps.core.imports import baseline_conflicts, lock_targets
from tests.cases.test_import_export import URL, confirm, errors_of, import_ok, person_row, preview, xlsx
from tests.factories.accounts import UserFactory
from tests.factories.cases import advance


def _colleague(world):
    return UserFactory(
        username="colleague_a", full_name="Trần Thị Bình", role=roles.COMMUNE_OFFICER, area=world.commune_a
    )


def _edit(actor, case: CaseFile, *, person=None, **case_fields) -> CaseFile:
    """A colleague's edit through the service, as the case form saves it."""
    case = CaseFile.objects.select_related("person").get(pk=case.pk)
    return services.case_update(
        actor=actor,
        case=case,
        data=services.CaseInput(
            person=person or {}, case=case_fields, substances=list(case.substances.values_list("code", flat=True))
        ),
        expected_version=case.version,
        expected_person_version=case.person.version,
    )


def _filed(client):
    import_ok(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_VILLAGE: "Thôn Cũ"})]))
    return CaseFile.objects.select_related("person").get()


def test_a_colleagues_edit_between_preview_and_confirm_refuses_the_whole_file(world, officer_a, client_for):
    client = client_for(officer_a)
    case = _filed(client)
    sheet = xlsx(
        [
            person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_NOTES: "Theo tệp"}),
            person_row("Lê Văn Mới", dob="1992"),
        ]
    )
    first = preview(client, sheet)
    assert first.context["report"].ok and first.context["report"].updated == 1
    _edit(_colleague(world), case, notes="Gia đình đã bảo lãnh", person={"current_address": "Số 9"})

    response = confirm(client, first)
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.ok
    # Nothing of the file is written: neither the update nor the new row.
    case.refresh_from_db()
    assert case.notes == "Gia đình đã bảo lãnh" and case.person.current_address == "Số 9"
    assert CaseFile.objects.count() == 1
    [(row, _column, message)] = [e for e in errors_of(response) if e[0]]
    assert row == 2
    assert case.file_number in message and "Nguyễn Văn Hùng" in message
    assert COL_NOTES in message and COL_ADDRESS in message
    assert "Trần Thị Bình" in message
    html = response.content.decode()
    assert "Trần Thị Bình" in html and 'data-testid="import-recheck"' in html


def test_a_row_unchanged_at_preview_is_protected_too(world, officer_a, client_for):
    """The row matched the file and changed nothing; confirming it now would put the old village
    back over the colleague's correction."""
    client = client_for(officer_a)
    case = _filed(client)
    first = preview(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_VILLAGE: "Thôn Cũ"})]))
    assert first.context["report"].skipped == 1
    _edit(_colleague(world), case, person={"current_village": "Thôn Mới"})
    response = confirm(client, first)
    assert not response.context["report"].ok
    case.person.refresh_from_db()
    assert case.person.current_village == "Thôn Mới"
    assert any(COL_VILLAGE in e[2] for e in errors_of(response))


def test_a_file_created_by_a_colleague_after_the_preview_is_not_overwritten(world, officer_a, client_for):
    client = client_for(officer_a)
    first = preview(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_NOTES: "Theo tệp"})]))
    assert first.context["report"].new == 1
    import_ok(
        client_for(_colleague(world)),
        xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_NOTES: "Của đồng nghiệp"})]),
    )
    response = confirm(client, first)
    assert not response.context["report"].ok
    assert list(CaseFile.objects.values_list("notes", flat=True)) == ["Của đồng nghiệp"]
    assert any(e[0] == 2 for e in errors_of(response))


def test_checking_again_after_a_conflict_shows_the_current_data_then_imports(world, officer_a, client_for):
    client = client_for(officer_a)
    case = _filed(client)
    first = preview(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_NOTES: "Theo tệp"})]))
    _edit(_colleague(world), case, notes="Gia đình đã bảo lãnh")
    refused = confirm(client, first)
    token = refused.context["token"]
    again = client.post(reverse(URL), {"token": token, "recheck": "1"})
    report = again.context["report"]
    assert report.ok
    [change] = report.changes
    assert [(f.column, f.old, f.new) for f in change.fields] == [(COL_NOTES, "Gia đình đã bảo lãnh", "Theo tệp")]
    done = client.post(reverse(URL), {"token": again.context["token"], "confirm": "1"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.notes == "Theo tệp"


def test_a_confirmation_without_intervening_edits_still_imports(world, officer_a, client_for):
    client = client_for(officer_a)
    case = _filed(client)
    first = preview(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_NOTES: "Theo tệp"})]))
    assert confirm(client, first).status_code == 302
    case.refresh_from_db()
    assert case.notes == "Theo tệp"


def test_a_background_import_is_refused_the_same_way_and_can_be_checked_again(world, officer_a, client_for, settings):
    client = client_for(officer_a)
    case = _filed(client)
    settings.IMPORT_BACKGROUND_ROWS = 1
    rows = [
        person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_NOTES: "Theo tệp"}),
        person_row("Lê Văn Mới", dob="1992"),
    ]
    queued = client.post(reverse(URL), {"file": xlsx(rows)})
    token = queued.url.split("?job=")[1]
    assert client.get(reverse(URL), {"job": token}).context["report"].ok
    _edit(_colleague(world), case, notes="Gia đình đã bảo lãnh")

    client.post(reverse(URL), {"token": token, "confirm": "1"})
    page = client.get(reverse(URL), {"job": token})
    report = page.context["report"]
    assert report.stale and page.context["token"] == token
    assert any("Trần Thị Bình" in e.message and COL_NOTES in e.message for e in report.errors)
    assert CaseFile.objects.count() == 1
    case.refresh_from_db()
    assert case.notes == "Gia đình đã bảo lãnh"

    client.post(reverse(URL), {"token": token, "recheck": "1"})
    rechecked = client.get(reverse(URL), {"job": token}).context["report"]
    assert rechecked.ok and not rechecked.stale
    client.post(reverse(URL), {"token": token, "confirm": "1"})
    client.get(reverse(URL), {"job": token})
    case.refresh_from_db()
    assert case.notes == "Theo tệp" and CaseFile.objects.count() == 2


def test_checking_an_unchanged_baseline_costs_no_query_per_row(
    world, officer_a, client_for, django_assert_num_queries
):
    client = client_for(officer_a)
    import_ok(client, xlsx([person_row(f"Nguyễn Văn {chr(65 + i)}", dob=1990 + i) for i in range(6)]))
    first = preview(client, xlsx([person_row(f"Nguyễn Văn {chr(65 + i)}", dob=1990 + i) for i in range(6)]))
    baseline = first.context["report"].baseline
    assert len(baseline["targets"]) == 6
    with django_assert_num_queries(0):
        assert baseline_conflicts(baseline, baseline, failed_rows=set(), until=timezone.now()) == []
    # The records are locked with one query per model, not one per row.
    with django_assert_num_queries(2):
        lock_targets(baseline)


def test_a_file_closed_after_the_preview_is_not_reopened_as_a_new_one(world, officer_a, client_for):
    """The row updated an open file at preview time; once a colleague closed it, the same row would
    open a second file for the person: refused, naming the file."""
    client = client_for(officer_a)
    case = _filed(client)
    first = preview(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_NOTES: "Theo tệp"})]))
    advance(_colleague(world), case, "close", dt.date(2026, 2, 1), close_reason=CloseReason.DEATH)
    response = confirm(client, first)
    report = response.context["report"]
    assert report.stale
    assert CaseFile.objects.count() == 1
    [conflict] = [e for e in report.errors if e.row]
    assert case.file_number in conflict.message and "Trần Thị Bình" in conflict.message
