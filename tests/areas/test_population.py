import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.areas.models import UnitPopulation
from apps.areas.services import population_set
from apps.audit.models import AuditLogEntry
from apps.core.locking import StaleObjectError
from tests.factories.accounts import UserFactory


def _xlsx(rows, headers=("Mã đơn vị", "Tên đơn vị", "Năm", "Dân số đang cư trú", "Nguồn số liệu")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("dan-so.xlsx", buf.getvalue())


def test_population_set_creates_updates_and_audits(world, province_staff):
    record = population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12000)
    assert record.version == 1
    updated = population_set(
        actor=province_staff, unit=world.commune_a, year=2025, population=12500, expected_version=1
    )
    assert (updated.population, updated.version) == (12500, 2)
    entries = AuditLogEntry.objects.filter(action="areas.unitpopulation.set", object_id=str(record.pk))
    assert [(e.before, e.after["population"]) for e in entries.order_by("time", "pk")] == [
        (None, 12000),
        ({"population": 12000, "source": ""}, 12500),
    ]
    assert entries.first().area == world.commune_a


def test_stale_edit_is_refused_and_nothing_is_overwritten(world, province_staff):
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12000)
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12100, expected_version=1)
    with pytest.raises(StaleObjectError) as exc:
        population_set(actor=province_staff, unit=world.commune_a, year=2025, population=99999, expected_version=1)
    assert "12.100" in exc.value.messages[0]
    assert UnitPopulation.objects.get(unit=world.commune_a, year=2025).population == 12100


def test_unchanged_value_writes_no_audit_row(world, province_staff):
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12000)
    count = AuditLogEntry.objects.count()
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12000)
    assert AuditLogEntry.objects.count() == count


def test_out_of_scope_unit_is_refused(world):
    editor = UserFactory(username="editor_a", role="province_staff", area=world.commune_a)
    with pytest.raises(ValidationError):
        population_set(actor=editor, unit=world.commune_b, year=2025, population=100)
    assert not UnitPopulation.objects.exists()


def test_edit_form_reports_concurrent_change(world, province_staff, client_for):
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12000)
    url = reverse("areas:population_edit", args=[world.commune_a.pk])
    # Both editors opened version 1; the first save wins, the second is refused with the new value.
    client = client_for(province_staff)
    ok = client.post(url, {"year": 2025, "population": "12.300", "source": "", "version": 1})
    assert ok.status_code == 302
    stale = client.post(url, {"year": 2025, "population": "15000", "source": "", "version": 1})
    assert stale.status_code == 200
    assert "12.300" in stale.content.decode()
    assert UnitPopulation.objects.get(unit=world.commune_a, year=2025).population == 12300


def test_import_preview_then_confirm(world, province_staff, client_for):
    client = client_for(province_staff)
    url = reverse("areas:population_import")
    upload = _xlsx([("2458", "", 2025, "12.345", "UBND xã"), ("", "Minh Xuân", 2025, 20000, "")])
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.ok, report.new) == (True, 2)
    assert not UnitPopulation.objects.exists()  # the preview writes nothing
    done = client.post(url, {"token": preview.context["token"], "confirm": "1"})
    assert done.status_code == 302
    assert dict(UnitPopulation.objects.values_list("unit__code", "population")) == {"2458": 12345, "2215": 20000}
    assert AuditLogEntry.objects.filter(action="areas.unitpopulation.import").count() == 1


def test_reimport_updates_instead_of_duplicating(world, province_staff, client_for):
    client = client_for(province_staff)
    url = reverse("areas:population_import")
    for value in (12000, 13000):
        preview = client.post(url, {"file": _xlsx([("2458", "", 2025, value, "")])})
        client.post(url, {"token": preview.context["token"], "confirm": "1"})
    assert list(UnitPopulation.objects.values_list("population", flat=True)) == [13000]


def test_import_with_one_bad_row_writes_nothing_and_names_row_and_column(world, province_staff, client_for):
    client = client_for(province_staff)
    upload = _xlsx([("2458", "", 2025, 12000, ""), ("", "Xã Không Có", 2025, 5000, ""), ("2215", "", 2025, "abc", "")])
    response = client.post(reverse("areas:population_import"), {"file": upload})
    report = response.context["report"]
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {(3, "Mã đơn vị"), (4, "Dân số đang cư trú")}
    assert "Không tìm thấy" in " ".join(e.message for e in report.errors)
    assert "token" not in response.context
    assert not UnitPopulation.objects.exists()


def test_import_rejects_rows_outside_scope(world, client_for):
    editor = UserFactory(username="editor_a", role="province_staff", area=world.commune_a)
    response = client_for(editor).post(
        reverse("areas:population_import"), {"file": _xlsx([("2215", "", 2025, 100, "")])}
    )
    assert not response.context["report"].ok
    assert not UnitPopulation.objects.exists()


def test_duplicate_rows_in_one_file_are_an_error(world, province_staff, client_for):
    upload = _xlsx([("2458", "", 2025, 100, ""), ("2458", "", 2025, 200, "")])
    response = client_for(province_staff).post(reverse("areas:population_import"), {"file": upload})
    messages = [e.message for e in response.context["report"].errors]
    assert any("dòng 2" in m for m in messages)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.pdf", b"%PDF-1.4"), "Chỉ nhận tệp Excel"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "không phải bảng tính Excel"),
        (SimpleUploadedFile("a.csv", "Năm,Dân số đang cư trú\n".encode()), "không có dòng dữ liệu"),
        (SimpleUploadedFile("a.csv", b""), "không có dữ liệu"),
        (SimpleUploadedFile("a.csv", b"Foo,Bar\n1,2\n"), "Tiêu đề cột không đúng mẫu"),
        (SimpleUploadedFile("a.csv", "Năm,Dân số đang cư trú\n".encode("utf-16")), "UTF-8"),
    ],
)
def test_bad_files_get_a_clear_message(world, province_staff, client_for, upload, message):
    response = client_for(province_staff).post(reverse("areas:population_import"), {"file": upload})
    assert response.status_code == 400
    assert message.lower() in response.context["file_error"].lower()
    assert not UnitPopulation.objects.exists()


def test_too_large_file_is_refused(world, province_staff, client_for, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 10))
    response = client_for(province_staff).post(reverse("areas:population_import"), {"file": big})
    assert response.status_code == 400
    assert "quá lớn" in response.context["file_error"]


def test_template_download_has_the_headers(world, province_staff, client_for):
    response = client_for(province_staff).get(reverse("areas:population_template"))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ["Mã đơn vị", "Tên đơn vị", "Năm", "Dân số đang cư trú", "Nguồn số liệu"]


def test_confirm_token_of_another_user_is_refused(world, province_staff, administrator, client_for):
    preview = client_for(province_staff).post(
        reverse("areas:population_import"), {"file": _xlsx([("2458", "", 2025, 100, "")])}
    )
    response = client_for(administrator).post(
        reverse("areas:population_import"), {"token": preview.context["token"], "confirm": "1"}
    )
    assert response.status_code == 400
    assert not UnitPopulation.objects.exists()


def test_confirm_rolls_back_everything_when_a_row_became_invalid_after_the_preview(world, province_staff, client_for):
    """The preview passed, then the data changed (here: the importer lost a commune from their
    scope): the confirmation must write nothing, not the rows that are still valid."""
    editor = UserFactory(username="editor_ab", role="province_staff", area=world.province)
    client = client_for(editor)
    url = reverse("areas:population_import")
    preview = client.post(url, {"file": _xlsx([("2458", "", 2025, 100, ""), ("2215", "", 2025, 200, "")])})
    assert preview.context["report"].ok
    editor.area = world.commune_a
    editor.save()
    response = client_for(editor).post(url, {"token": preview.context["token"], "confirm": "1"})
    assert response.status_code == 200
    assert not response.context["report"].ok
    assert not UnitPopulation.objects.exists()


def test_import_with_a_blank_source_keeps_the_stored_source(world, province_staff, client_for):
    """Issue 11 §1: a blank optional cell on a row matching a stored figure keeps the stored value."""
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12000, source="UBND xã")
    client = client_for(province_staff)
    url = reverse("areas:population_import")
    first = client.post(url, {"file": _xlsx([("2458", "", 2025, 12000, "")])})
    report = first.context["report"]
    assert (report.ok, report.updated, report.skipped) == (True, 0, 1), report.errors
    client.post(url, {"token": first.context["token"], "confirm": "1"})
    assert UnitPopulation.objects.get(unit=world.commune_a, year=2025).source == "UBND xã"
