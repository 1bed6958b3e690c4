"""A case import never destroys or replaces data silently (issue 11 §1).

A row matching an open file changes only the cells it fills; a CCCD that belongs to a person of
another name, sex or birth year is an error, never a change of that person's identity; the
preview lists, for every row that updates, each field's old and new value.
"""

import datetime as dt

from apps.cases.models import CaseFile, Person
from apps.cases.resources import (
    COL_ADDRESS,
    COL_ALIAS,
    COL_ETHNIC,
    COL_ID,
    COL_NOTES,
    COL_SUBST,
    COL_VILLAGE,
)
from tests.cases.test_import_export import errors_of, import_ok, person_row, preview, xlsx
from tests.factories.cases import make_case

FULL = {
    COL_ALIAS: "Hùng còi",
    COL_ETHNIC: "Tày",
    COL_ID: "008090001234",
    COL_VILLAGE: "Thôn Đồng Cầu",
    COL_ADDRESS: "Số 5 ngõ 2",
    COL_SUBST: "Methamphetamine, Heroin",
    COL_NOTES: "Đã được gia đình bảo lãnh",
}


def _stored(person: Person, case: CaseFile) -> tuple:
    return (
        person.full_name,
        person.aliases,
        person.ethnicity.name if person.ethnicity else None,
        person.citizen_id,
        person.date_of_birth,
        person.birth_year,
        person.current_village,
        person.current_address,
        case.notes,
        sorted(case.substances.values_list("code", flat=True)),
    )


def _imported_hung(client):
    import_ok(client, xlsx([person_row("Nguyễn Văn Hùng", **FULL)]))
    case = CaseFile.objects.select_related("person__ethnicity").get()
    return case, _stored(case.person, case)


def test_a_row_with_only_the_required_cells_changes_nothing(world, officer_a, client_for):
    client = client_for(officer_a)
    case, before = _imported_hung(client)
    assert before[4] == dt.date(1990, 3, 5) and before[3] == "008090001234"
    version = case.version
    # Only name, sex, birth year (not the full date), commune and detection date.
    report = import_ok(client, xlsx([person_row("Nguyễn Văn Hùng", dob=1990)]))
    assert (report.new, report.updated, report.skipped) == (0, 0, 1)
    case = CaseFile.objects.select_related("person__ethnicity").get()
    assert _stored(case.person, case) == before
    assert case.version == version


def test_a_filled_cell_updates_only_its_field_and_the_preview_shows_old_and_new(world, officer_a, client_for):
    client = client_for(officer_a)
    _case, before = _imported_hung(client)
    row = person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_VILLAGE: "Thôn Mới"})
    response = preview(client, xlsx([row]))
    report = response.context["report"]
    assert report.ok, errors_of(response)
    assert (report.new, report.updated, report.skipped) == (0, 1, 0)
    [change] = report.changes
    assert change.row == 2
    assert [(d.column, d.old, d.new) for d in change.fields] == [(COL_VILLAGE, "Thôn Đồng Cầu", "Thôn Mới")]
    html = response.content.decode()
    assert 'data-testid="import-changes"' in html
    assert "Thôn Đồng Cầu" in html and "Thôn Mới" in html

    import_ok(client, xlsx([row]))
    case = CaseFile.objects.select_related("person__ethnicity").get()
    after = _stored(case.person, case)
    assert after[6] == "Thôn Mới"
    assert after[:6] + after[7:] == before[:6] + before[7:]


def test_unchanged_rows_are_not_counted_as_updates_nor_listed(world, officer_a, client_for):
    client = client_for(officer_a)
    _imported_hung(client)
    report = preview(client, xlsx([person_row("Nguyễn Văn Hùng", **FULL)])).context["report"]
    assert (report.updated, report.skipped, report.changes) == (0, 1, [])


def test_a_citizen_id_of_a_person_with_another_identity_is_an_error(world, officer_a, client_for):
    client = client_for(officer_a)
    case, before = _imported_hung(client)
    # Another person's data carrying Hùng's CCCD: other name, sex and birth year.
    row = person_row("Trần Thị Mai", sex="Nữ", dob="01/02/2001", **{COL_ID: "008090001234"})
    response = preview(client, xlsx([row]))
    errors = errors_of(response)
    assert [(n, c) for n, c, _m in errors] == [(2, COL_ID)]
    message = errors[0][2]
    assert "CCCD" in message
    for word in ("họ tên", "giới tính", "năm sinh"):
        assert word in message
    assert "token" not in response.context
    case = CaseFile.objects.select_related("person__ethnicity").get()
    assert _stored(case.person, case) == before
    assert Person.objects.count() == 1


def test_only_the_differing_attribute_is_named(world, officer_a, client_for):
    client = client_for(officer_a)
    _imported_hung(client)
    row = person_row("Nguyễn Văn Hùng", dob=1991, **{COL_ID: "008090001234"})
    errors = errors_of(preview(client, xlsx([row])))
    assert [(n, c) for n, c, _m in errors] == [(2, COL_ID)]
    assert "năm sinh" in errors[0][2] and "giới tính" not in errors[0][2] and "họ tên" not in errors[0][2]


def test_a_citizen_id_of_someone_filed_elsewhere_with_another_identity_is_an_error(
    world, officer_a, officer_b, client_for
):
    theirs = make_case(
        officer_b,
        world.commune_b,
        full_name="Hoàng Văn Sơn",
        birth_year=1985,
        sex="M",
        citizen_id="008085004321",
        current_unit=world.commune_b,
    )
    row = person_row("Lý Thị Hoa", sex="Nữ", dob=1999, **{COL_ID: "008085004321"})
    errors = errors_of(preview(client_for(officer_a), xlsx([row])))
    assert [(n, c) for n, c, _m in errors] == [(2, COL_ID)]
    assert "Hoàng Văn Sơn" not in errors[0][2]  # another commune's person is not revealed
    person = Person.objects.get(pk=theirs.person_id)
    assert (person.full_name, person.sex, person.birth_year) == ("Hoàng Văn Sơn", "M", 1985)
    assert CaseFile.objects.count() == 1


def test_two_rows_of_one_file_with_one_citizen_id_and_two_identities_are_an_error(world):
    from apps.cases.resources import CaseResource
    from apps.core.imports import import_file
    from tests.factories.accounts import UserFactory

    rows = [
        person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234"}),
        person_row("Trần Thị Mai", sex="Nữ", dob=2001, commune="Phường Minh Xuân", **{COL_ID: "008090001234"}),
    ]
    admin = UserFactory(username="import_root", is_superuser=True, area=world.province)
    report = import_file(
        actor=admin,
        resource=CaseResource(user=admin),
        content=xlsx(rows).read(),
        filename="ho-so.xlsx",
        dry_run=True,
        audit_action="cases.casefile.import",
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, COL_ID)]
    assert not Person.objects.exists()


def test_the_template_explains_that_blank_cells_keep_stored_values(world, officer_a, client_for):
    from django.urls import reverse

    html = client_for(officer_a).get(reverse("cases:import")).content.decode()
    assert "Ô để trống" in html
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(client_for(officer_a).get(reverse("cases:import_template")).content))
    assert wb.sheetnames[0] != "Hướng dẫn"
    assert "Ô để trống" in " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row)
