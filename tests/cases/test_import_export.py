"""Spreadsheet import of case files (through the views: preview, then confirm) and the export."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.areas.models import UnitSuccession
from apps.audit.models import AuditLogEntry
from apps.cases import exports
from apps.cases.models import CaseFile, Person
from apps.cases.resources import (
    COL_COMMUNE,
    COL_DETECTED,
    COL_DOB,
    COL_ID,
    COL_NAME,
    COL_SEX,
    COL_SUBST,
    COL_VILLAGE,
    CaseResource,
)
from apps.core.imports import import_file
from tests.factories.areas import GenerationFactory, UnitFactory
from tests.factories.cases import advance, make_case

HEADERS = list(CaseResource.columns)


def row(**values):
    """A data row in header order from {header: value}; unknown headers are a test bug."""
    assert set(values) <= set(HEADERS), set(values) - set(HEADERS)
    return [values.get(h) for h in HEADERS]


def person_row(name, sex="Nam", dob="05/03/1990", commune="2458", detected="12/01/2026", **extra):
    return row(
        **{COL_NAME: name, COL_SEX: sex, COL_DOB: dob, COL_COMMUNE: commune, COL_DETECTED: detected},
        **extra,
    )


def xlsx(rows, headers=HEADERS, name="ho-so.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


URL = "cases:import"


def preview(client, upload):
    return client.post(reverse(URL), {"file": upload})


def confirm(client, response):
    return client.post(reverse(URL), {"token": response.context["token"], "confirm": "1"})


def import_ok(client, upload):
    first = preview(client, upload)
    assert first.status_code == 200
    report = first.context["report"]
    assert report.ok, [(e.row, e.column, e.message) for e in report.errors]
    done = confirm(client, first)
    assert done.status_code == 302, done.content.decode()[:2000]
    return report


def errors_of(response):
    return [(e.row, e.column, e.message) for e in response.context["report"].errors]


GOOD_ROWS = [
    person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234", COL_SUBST: "Methamphetamine, Heroin"}),
    person_row("Trần Thị Lan", sex="Nữ", dob=1995, **{COL_SUBST: "Cần sa"}),
    person_row("Đặng Văn Tuấn", dob="20/11/1988", commune="trung son"),
]


def _good_rows():
    return [list(r) for r in GOOD_ROWS]


# --- all or nothing ------------------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_names_row_and_column(world, officer_a, client_for):
    client = client_for(officer_a)
    rows = [
        person_row("Nguyễn Văn Hùng"),
        person_row("Trần Thị Lan", sex="X"),  # spreadsheet row 3
        person_row("Đặng Văn Tuấn"),
    ]
    response = preview(client, xlsx(rows))
    assert response.status_code == 200
    errors = errors_of(response)
    assert len(errors) == 1
    number, column, message = errors[0]
    assert (number, column) == (3, COL_SEX)
    assert "Giới tính phải là" in message
    assert "token" not in response.context
    assert not CaseFile.objects.exists() and not Person.objects.exists()
    assert "Dòng" in response.content.decode() or "dòng" in response.content.decode()


def test_every_bad_cell_is_reported_with_its_column(world, officer_a, client_for):
    rows = [
        person_row("", detected="31/02/2026"),  # row 2: no name, impossible date
        person_row("Lê Văn Cường", dob="năm ngoái", **{COL_ID: "12345"}),  # row 3
        person_row("Lê Văn Hải", commune="Xã Không Có"),  # row 4
        person_row("Lê Văn Sơn", **{COL_SUBST: "bột trắng"}),  # row 5
    ]
    found = {(n, c) for n, c, _m in errors_of(preview(client_for(officer_a), xlsx(rows)))}
    assert found == {
        (2, COL_NAME),
        (2, COL_DETECTED),
        (3, COL_DOB),
        (3, COL_ID),
        (4, COL_COMMUNE),
        (5, COL_SUBST),
    }
    assert not CaseFile.objects.exists()


def test_future_detection_date_is_refused_by_the_service(world, officer_a, client_for):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = preview(client_for(officer_a), xlsx([person_row("Lê Văn Cường", detected=tomorrow)]))
    errors = errors_of(response)
    assert [(n, c) for n, c, _m in errors] == [(2, COL_DETECTED)]
    assert "sau ngày hôm nay" in errors[0][2]


def test_corrected_file_imports_everything_then_reimport_updates(world, officer_a, client_for):
    client = client_for(officer_a)
    report = import_ok(client, xlsx(_good_rows()))
    assert (report.new, report.updated, report.total_rows) == (3, 0, 3)
    assert CaseFile.objects.filter(commune=world.commune_a).count() == 3
    names = set(Person.objects.values_list("full_name", flat=True))
    assert names == {"Nguyễn Văn Hùng", "Trần Thị Lan", "Đặng Văn Tuấn"}
    hung = CaseFile.objects.get(person__full_name="Nguyễn Văn Hùng")
    assert set(hung.substances.values_list("code", flat=True)) == {"meth", "heroin"}
    assert hung.person.date_of_birth == dt.date(1990, 3, 5)
    assert hung.detected_on == dt.date(2026, 1, 12)
    assert hung.events.filter(kind="opened").count() == 1
    lan = Person.objects.get(full_name="Trần Thị Lan")
    assert (lan.birth_year, lan.date_of_birth, lan.sex) == (1995, None, "F")
    assert AuditLogEntry.objects.filter(action="cases.casefile.import").count() == 1
    assert AuditLogEntry.objects.filter(action="cases.casefile.create").count() == 3

    # The same file again: recognised row by row, nothing new, nothing rewritten.
    people, files = Person.objects.count(), CaseFile.objects.count()
    versions = dict(CaseFile.objects.values_list("pk", "version"))
    again = import_ok(client, xlsx(_good_rows()))
    assert (again.new, again.updated, again.skipped) == (0, 0, 3)
    assert (Person.objects.count(), CaseFile.objects.count()) == (people, files)
    assert dict(CaseFile.objects.values_list("pk", "version")) == versions
    assert AuditLogEntry.objects.filter(action="cases.casefile.import").count() == 2
    assert not AuditLogEntry.objects.filter(action="cases.casefile.update").exists()

    # A corrected village in one row: that file is updated (audited), the others are unchanged.
    rows = _good_rows()
    rows[0][HEADERS.index(COL_VILLAGE)] = "Thôn Mới"
    third = import_ok(client, xlsx(rows))
    assert (third.new, third.updated, third.skipped) == (0, 1, 2)
    assert Person.objects.get(full_name=rows[0][0]).current_village == "Thôn Mới"
    assert AuditLogEntry.objects.filter(action="cases.casefile.update").count() == 1
    assert (Person.objects.count(), CaseFile.objects.count()) == (people, files)


def test_preview_writes_nothing(world, officer_a, client_for):
    response = preview(client_for(officer_a), xlsx(_good_rows()))
    assert response.context["report"].new == 3
    assert response.context["token"]
    assert not CaseFile.objects.exists() and not Person.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="cases.casefile").exists()


def test_duplicate_rows_in_one_file_are_an_error(world, officer_a, client_for):
    rows = [person_row("Nguyễn Văn Hùng"), person_row("Hùng Nguyễn Văn")]  # same key, word order aside
    errors = errors_of(preview(client_for(officer_a), xlsx(rows)))
    assert any(n == 3 and "dòng 2" in m for n, _c, m in errors), errors
    assert not CaseFile.objects.exists()


# --- cell formats ----------------------------------------------------------------------------------------


def test_citizen_id_typed_as_a_number_gets_its_leading_zeros_back(world, officer_a, client_for):
    import_ok(client_for(officer_a), xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: 8090001234})]))
    person = Person.objects.get()
    assert (person.citizen_id, person.citizen_id_kind) == ("008090001234", "cccd")


def test_dates_as_excel_cells_and_as_text(world, officer_a, client_for):
    rows = [
        person_row("Lê Văn Cường", dob=dt.datetime(1991, 4, 30), detected=dt.datetime(2026, 2, 3)),  # noqa: DTZ001
        person_row("Lê Văn Hải", dob="30/04/1991", detected="03/02/2026"),
        person_row("Lê Văn Sơn", dob=dt.date(1991, 4, 30), detected="2026-02-03"),
    ]
    import_ok(client_for(officer_a), xlsx(rows))
    stored = set(CaseFile.objects.values_list("person__date_of_birth", "person__birth_year", "detected_on"))
    assert stored == {(dt.date(1991, 4, 30), 1991, dt.date(2026, 2, 3))}
    assert CaseFile.objects.count() == 3


def test_commune_by_code_current_name_and_former_name(world, officer_a, client_for):
    rows = [
        person_row("Lê Văn Cường", commune="2458"),
        person_row("Lê Văn Hải", commune=2458),  # a number cell
        person_row("Lê Văn Sơn", commune="xa trung son"),
        person_row("Lê Văn Tuấn", commune="Trung Sơn"),
        person_row("Lê Văn Dũng", commune="Đạo Viện"),  # pre-2025 commune merged into Trung Sơn
        person_row("Lê Văn Thắng", commune="dao vien"),
    ]
    import_ok(client_for(officer_a), xlsx(rows))
    assert set(CaseFile.objects.values_list("commune", flat=True)) == {world.commune_a.pk}
    assert CaseFile.objects.count() == 6
    assert world.former_a.valid_to is not None  # really a former unit


def test_commune_outside_the_importers_scope_is_an_error(world, officer_a, client_for):
    rows = [person_row("Lê Văn Cường"), person_row("Lê Văn Hải", commune="2215")]
    errors = errors_of(preview(client_for(officer_a), xlsx(rows)))
    assert [(n, c) for n, c, _m in errors] == [(3, COL_COMMUNE)]
    assert "phạm vi" in errors[0][2]
    assert not CaseFile.objects.exists()


@pytest.fixture
def split_commune(world):
    """A former commune divided between Trung Sơn and Minh Xuân."""
    old_gen = GenerationFactory(code="pre2025")
    district = world.former_a.parent
    split = UnitFactory(
        generation=old_gen, parent=district, code="2470", name="Kim Phú", full_name="Xã Kim Phú", kind="xa"
    )
    day = dt.date(2025, 7, 1)
    UnitSuccession.objects.create(old=split, new=world.commune_a, effective_date=day, partly=True)
    UnitSuccession.objects.create(old=split, new=world.commune_b, effective_date=day, partly=True)
    return split


def test_split_former_commune_lists_the_candidates(world, split_commune, province_staff):
    resource = CaseResource(user=province_staff)
    content = xlsx([person_row("Lê Văn Cường", commune="Kim Phú")]).read()
    report = import_file(
        actor=province_staff,
        resource=resource,
        content=content,
        filename="ho-so.xlsx",
        dry_run=True,
        audit_action="cases.casefile.import",
    )
    assert not report.ok
    (error,) = report.errors
    assert (error.row, error.column) == (2, COL_COMMUNE)
    assert "Trung Sơn" in error.message and "Minh Xuân" in error.message
    assert not CaseFile.objects.exists()


def test_split_former_commune_through_the_view(world, split_commune, officer_a, client_for):
    errors = errors_of(preview(client_for(officer_a), xlsx([person_row("Lê Văn Cường", commune="kim phu")])))
    assert [(n, c) for n, c, _m in errors] == [(2, COL_COMMUNE)]
    assert "Trung Sơn" in errors[0][2] and "Minh Xuân" in errors[0][2]


def test_possible_duplicate_in_another_commune_is_a_warning_not_an_error(world, officer_b, officer_a, client_for):
    make_case(officer_b, world.commune_b, full_name="Nguyễn Văn Hùng", birth_year=1990, sex="M")
    response = preview(client_for(officer_a), xlsx([person_row("Nguyễn Văn Hùng")]))
    report = response.context["report"]
    assert report.ok
    assert [(w.row, w.column) for w in report.warnings] == [(2, COL_NAME)]
    assert "Phường Minh Xuân" in report.warnings[0].message


# --- bad files -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.pdf", b"%PDF-1.4"), "Chỉ nhận tệp Excel"),
        (SimpleUploadedFile("a.xlsx", b"this is not a zip"), "không phải bảng tính Excel"),
        (xlsx([], headers=[]), "không có dữ liệu"),
        (SimpleUploadedFile("a.csv", b""), "không có dữ liệu"),
        (xlsx([]), "không có dòng dữ liệu"),
        (xlsx([["Nguyễn Văn Hùng", "Nam"]], headers=["Tên", "Giới"]), "Tiêu đề cột không đúng mẫu"),
        (xlsx([person_row("Nguyễn Văn Hùng")[:3]], headers=HEADERS[:3]), "thiếu cột"),
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(world, officer_a, client_for, upload, message):
    response = preview(client_for(officer_a), upload)
    assert response.status_code == 400
    assert message.lower() in response.context["file_error"].lower()
    assert message.lower() in response.content.decode().lower()
    assert not CaseFile.objects.exists() and not Person.objects.exists()


def test_confirm_with_a_foreign_token_is_refused(world, officer_a, client_for):
    other = world.user("commune_officer", world.commune_a, "officer_a2")
    first = preview(client_for(officer_a), xlsx(_good_rows()))
    response = client_for(other).post(reverse(URL), {"token": first.context["token"], "confirm": "1"})
    assert response.status_code == 400
    assert not CaseFile.objects.exists()


def test_csv_import_works_too(world, officer_a, client_for):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    writer.writerow(person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234"}))
    upload = SimpleUploadedFile("ho-so.csv", buf.getvalue().encode("utf-8-sig"))
    import_ok(client_for(officer_a), upload)
    assert Person.objects.get().citizen_id == "008090001234"


def test_roles_without_the_import_permission_get_403(world, province_staff, steering_a, client_for):
    for user in (province_staff, steering_a):
        assert client_for(user).post(reverse(URL), {"file": xlsx(_good_rows())}).status_code == 403
    assert not CaseFile.objects.exists()


# --- export ----------------------------------------------------------------------------------------------


@pytest.fixture
def export_data(world, officer_a, officer_b):
    mine = make_case(
        officer_a,
        world.commune_a,
        full_name="Nguyễn Văn Hùng",
        aliases='=HYPERLINK("http://x","bấm")',
        current_village="+84 Đồng Cầu",
        current_address="-1 tổ 5",
        citizen_id="008090001234",
        substances=["meth"],
    )
    mine_too = make_case(officer_a, world.commune_a, full_name="Trần Thị Lan", aliases="@SUM(A1)", sex="F")
    theirs = make_case(officer_b, world.commune_b, full_name="Lê Văn Bình")
    return mine, mine_too, theirs


def _xlsx_rows(content):
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_xlsx_export_is_scoped_formula_safe_and_audited(world, officer_a, client_for, export_data):
    mine, mine_too, _theirs = export_data
    response = client_for(officer_a).get(reverse("cases:casefile_export", args=["xlsx"]))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _xlsx_rows(response.content)
    assert rows[0] == exports.HEADERS
    col = {h: i for i, h in enumerate(exports.HEADERS)}
    data = {r[col["Số hồ sơ"]]: r for r in rows[1:]}
    assert set(data) == {mine.file_number, mine_too.file_number}
    hung = data[mine.file_number]
    assert hung[col["Tên gọi khác"]] == '\'=HYPERLINK("http://x","bấm")'
    assert hung[col["Thôn/tổ"]] == "'+84 Đồng Cầu"
    assert hung[col["Địa chỉ"]] == "'-1 tổ 5"
    assert hung[col["Số CCCD/CMND"]] == "008090001234"
    assert hung[col["Xã/phường quản lý"]] == "Xã Trung Sơn"
    assert data[mine_too.file_number][col["Tên gọi khác"]] == "'@SUM(A1)"
    entry = AuditLogEntry.objects.get(action="cases.casefile.export")
    assert entry.actor == officer_a
    assert entry.after["rows"] == 2 and entry.after["format"] == "xlsx"


def test_csv_export_has_a_bom_and_is_scoped_and_formula_safe(world, officer_a, client_for, export_data):
    mine, mine_too, theirs = export_data
    response = client_for(officer_a).get(reverse("cases:casefile_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == exports.HEADERS
    assert {r[0] for r in rows[1:]} == {mine.file_number, mine_too.file_number}
    assert theirs.file_number not in text and "Lê Văn Bình" not in text
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    assert AuditLogEntry.objects.filter(action="cases.casefile.export", actor=officer_a).count() == 1


def test_export_follows_the_list_filters(world, officer_a, client_for, export_data):
    mine, _mine_too, _theirs = export_data
    response = client_for(officer_a).get(reverse("cases:casefile_export", args=["csv"]), {"q": "hung"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [mine.file_number]
    assert AuditLogEntry.objects.get(action="cases.casefile.export").after["filters"] == "q=hung"


def test_export_refused_without_permission_and_unknown_format_404(world, officer_a, steering_a, client_for):
    assert client_for(steering_a).get(reverse("cases:casefile_export", args=["csv"])).status_code == 403
    assert client_for(officer_a).get(reverse("cases:casefile_export", args=["pdf"])).status_code == 404
    assert not AuditLogEntry.objects.filter(action="cases.casefile.export").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("Nguyễn Văn Hùng", "Nguyễn Văn Hùng"),
        ("a=b", "a=b"),
        (5, 5),
        (None, None),
    ],
)
def test_neutralize(value, expected):
    assert exports.neutralize(value) == expected


def test_error_row_numbers_count_blank_rows(world, officer_a, client_for):
    """Row numbers are "as the user sees it": a blank line in the sheet must not shift them."""
    rows = [person_row("Nguyễn Văn Hùng"), [None] * len(HEADERS), person_row("Trần Thị Lan", sex="X")]
    errors = errors_of(preview(client_for(officer_a), xlsx(rows)))
    assert [(n, c) for n, c, _m in errors] == [(4, COL_SEX)]


def test_reimport_does_not_undo_the_workflow_case_type(world, officer_a, client_for):
    """ "Loại hồ sơ" is optional: a blank cell must not turn an addict (set by the determination
    result, status "awaiting registration") back into a mere user."""
    client = client_for(officer_a)
    import_ok(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234"})]))
    case = CaseFile.objects.get()
    case = advance(officer_a, case, "refer_determination", dt.date(2026, 1, 20))
    case = advance(officer_a, case, "addicted", dt.date(2026, 1, 27), facility="TTYT khu vực")
    assert case.case_type == "addict"
    again = import_ok(client, xlsx([person_row("Nguyễn Văn Hùng", **{COL_ID: "008090001234"})]))
    assert (again.new, again.skipped) == (0, 1)
    case.refresh_from_db()
    assert (case.status, case.case_type) == ("awaiting_registration", "addict")


def test_import_does_not_rewrite_a_person_managed_only_in_another_commune(world, officer_a, officer_b, client_for):
    """A CCCD match with someone whose only file is in commune B must not let commune A's officer
    overwrite that person's record (A has no access to B's file)."""
    theirs = make_case(
        officer_b,
        world.commune_b,
        full_name="Hoàng Văn Sơn",
        birth_year=1985,
        sex="M",
        citizen_id="008085004321",
        aliases="Sơn béo",
        current_village="Tổ 7",
        current_unit=world.commune_b,
    )
    row_ = person_row("Hoàng Văn Sơn", dob=1985, **{COL_ID: "008085004321"})
    first = preview(client_for(officer_a), xlsx([row_]))
    if first.context["report"].ok:
        confirm(client_for(officer_a), first)
    person = Person.objects.get(pk=theirs.person_id)
    assert (person.aliases, person.current_village, person.current_unit) == ("Sơn béo", "Tổ 7", world.commune_b)


def test_duplicate_row_message_uses_sheet_row_numbers_across_blank_rows(world, officer_a, client_for):
    blank = [None] * len(HEADERS)
    rows = [blank, person_row("Nguyễn Văn Hùng"), blank, person_row("Nguyễn Văn Hùng")]  # sheet rows 3 and 5
    errors = errors_of(preview(client_for(officer_a), xlsx(rows)))
    assert [(n, c) for n, c, _m in errors] == [(5, COL_NAME)]
    assert "dòng 3" in errors[0][2]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_rows(world, officer_a, client_for, fmt):
    client = client_for(officer_a)
    url = reverse("cases:casefile_export", args=[fmt])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        make_case(officer_a, world.commune_a, substances=["meth", "heroin"])
    client.get(url)
    few = count()
    for _ in range(27):
        make_case(officer_a, world.commune_a, substances=["cannabis"])
    assert count() == few
