"""Spreadsheet import (dry run → confirm, all or nothing, natural keys) and export (scoped,
formula-safe, audited, re-importable) of the three registers."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.areas.models import UnitSuccession
from apps.audit.models import AuditLogEntry
from apps.registers import actions, resources
from apps.registers.choices import HotspotKind, PlantSpecies
from apps.registers.models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange
from apps.registers.resources.crimecases import CrimeCaseResource
from apps.registers.resources.cultivation import CultivationResource
from apps.registers.resources.hotspots import HotspotResource
from apps.registers.resources.parsing import parse_article, parse_choice, parse_decimal
from tests.factories.areas import UnitFactory
from tests.factories.registers import (
    every_kind,
    factory_of,
    make_crime_case,
    make_hotspot,
    make_record,
    offender,
)

D = dt.date
HOTSPOT_HEADERS = HotspotResource.expected_headers()
CRIME_HEADERS = CrimeCaseResource.expected_headers()
CULTIVATION_HEADERS = CultivationResource.expected_headers()


def xlsx(headers, rows, name="so.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def hotspot_row(**values):
    row = {
        "Xã/phường": "Xã Trung Sơn",
        "Tên điểm, tụ điểm": "Nhà nghỉ Hoa Mai",
        "Loại": "Tụ điểm",
        "Ngày phát hiện": "02/03/2025",
    }
    row.update(values)
    return row


def preview(client, kind, upload):
    return client.post(reverse(f"registers:{kind}_import"), {"file": upload})


def confirm(client, kind, response):
    return client.post(reverse(f"registers:{kind}_import"), {"token": response.context["token"], "confirm": "1"})


def import_file(client, kind, upload):
    first = preview(client, kind, upload)
    assert first.context["report"].ok, [(e.row, e.column, e.message) for e in first.context["report"].errors]
    done = confirm(client, kind, first)
    assert done.status_code == 302
    return first.context["report"]


# --- cell parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,5", Decimal("1.500")),
        ("1.5", Decimal("1.500")),
        ("0,250", Decimal("0.250")),
        ("1.234,5", Decimal("1234.500")),
        ("1,234.5", Decimal("1234.500")),
        ("1.234.567", Decimal("1234567.000")),
        ("12 345", Decimal("12345.000")),
        (1.5, Decimal("1.500")),
        (1500, Decimal("1500.000")),
        ("", None),
    ],
)
def test_parse_decimal_reads_vietnamese_numbers(raw, expected):
    assert parse_decimal(raw, places=3) == expected


@pytest.mark.parametrize("raw", ["1.500", "2,750", "abc", "1,2,3x"])
def test_parse_decimal_refuses_ambiguous_or_bad_text(raw):
    with pytest.raises(ValueError, match="không"):
        parse_decimal(raw, places=3)


def test_coordinates_are_never_read_as_thousands():
    assert parse_decimal("105.214", places=6, allow_grouping=False) == Decimal("105.214000")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("251", "251"),
        ("Điều 251", "251"),
        ("đ.256a BLHS", "256a"),
        (249.0, "249"),
        ("Mua bán trái phép", "251"),
        ("khác", "other"),
    ],
)
def test_parse_article(raw, expected):
    assert parse_article(raw) == expected


def test_parse_choice_by_label_beginning_or_part():
    assert parse_choice("tu diem", HotspotKind) == "hotspot"
    assert parse_choice("Điểm", HotspotKind) == "point"
    assert parse_choice("chứa chấp", HotspotKind) == "harbouring"
    assert parse_choice("thuoc phien", PlantSpecies) == "opium_poppy"
    with pytest.raises(ValueError, match="Giá trị hợp lệ"):
        parse_choice("cây thuốc lá", PlantSpecies)


# --- hotspots ------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_then_confirm_imports_and_audits(world, officer_a, client_for):
    client = client_for(officer_a)
    upload = xlsx(
        HOTSPOT_HEADERS, [hotspot_row(), hotspot_row(**{"Tên điểm, tụ điểm": "Lán bãi sông", "Loại": "Điểm"})]
    )
    first = preview(client, "hotspot", upload)
    report = first.context["report"]
    assert (report.ok, report.new, report.updated) == (True, 2, 0)
    assert not Hotspot.objects.exists() and not AuditLogEntry.objects.filter(action__startswith="registers.").exists()
    assert 'data-testid="import-help"' in first.content.decode()
    assert confirm(client, "hotspot", first).status_code == 302
    assert sorted(Hotspot.objects.values_list("name", "kind")) == [
        ("Lán bãi sông", "point"),
        ("Nhà nghỉ Hoa Mai", "hotspot"),
    ]
    assert HotspotStatusChange.objects.count() == 2
    assert AuditLogEntry.objects.filter(action=actions.HOTSPOT_CREATE).count() == 2
    entry = AuditLogEntry.objects.get(action=actions.HOTSPOT_IMPORT)
    assert entry.after["new"] == 2


def test_one_bad_row_writes_nothing_and_names_row_column_and_problem(world, officer_a, client_for):
    client = client_for(officer_a)
    rows = [
        hotspot_row(),
        hotspot_row(**{"Tên điểm, tụ điểm": "Điểm 2", "Ngày phát hiện": "31/02/2025"}),
        hotspot_row(**{"Tên điểm, tụ điểm": "Điểm 3", "Xã/phường": "Xã Không Có"}),
        hotspot_row(**{"Tên điểm, tụ điểm": "Điểm 4", "Loại": "Quán karaoke"}),
        hotspot_row(**{"Tên điểm, tụ điểm": "Điểm 5", "Xã/phường": "Phường Minh Xuân"}),
        hotspot_row(**{"Tên điểm, tụ điểm": "nhà nghỉ hoa mai"}),
    ]
    response = preview(client, "hotspot", xlsx(HOTSPOT_HEADERS, rows))
    report = response.context["report"]
    assert not report.ok and "token" not in response.context
    found = {(e.row, e.column): e.message for e in report.errors}
    assert set(found) == {
        (3, "Ngày phát hiện"),
        (4, "Xã/phường"),
        (5, "Loại"),
        (6, "Xã/phường"),
        (7, "Tên điểm, tụ điểm"),
    }
    assert "dd/mm/yyyy" in found[(3, "Ngày phát hiện")]
    assert "Không tìm thấy" in found[(4, "Xã/phường")]
    assert "Giá trị hợp lệ" in found[(5, "Loại")]
    assert "phạm vi" in found[(6, "Xã/phường")]
    assert "Trùng với dòng 2" in found[(7, "Tên điểm, tụ điểm")]
    assert not Hotspot.objects.exists()
    # The corrected file goes through.
    fixed = [rows[0], hotspot_row(**{"Tên điểm, tụ điểm": "Điểm 2", "Ngày phát hiện": "28/02/2025"})]
    report = import_file(client, "hotspot", xlsx(HOTSPOT_HEADERS, fixed))
    assert report.new == 2 and Hotspot.objects.count() == 2


def test_reimport_updates_instead_of_duplicating(world, officer_a, client_for):
    client = client_for(officer_a)
    rows = [hotspot_row(**{"Thôn/tổ dân phố": "Thôn Đồng Cầu"})]
    import_file(client, "hotspot", xlsx(HOTSPOT_HEADERS, rows))
    again = import_file(client, "hotspot", xlsx(HOTSPOT_HEADERS, rows))
    assert (again.new, again.updated, again.skipped) == (0, 0, 1)
    changed = import_file(
        client,
        "hotspot",
        xlsx(
            HOTSPOT_HEADERS,
            [hotspot_row(**{"Tên điểm, tụ điểm": "NHA NGHI HOA MAI", "Thôn/tổ dân phố": "Thôn Nà Mè"})],
        ),
    )
    assert (changed.new, changed.updated) == (0, 1)
    hotspot = Hotspot.objects.get()
    assert (hotspot.village, hotspot.name, hotspot.version) == ("Thôn Nà Mè", "NHA NGHI HOA MAI", 2)


def test_status_changes_through_import_follow_the_transitions(world, officer_a, client_for):
    client = client_for(officer_a)
    import_file(client, "hotspot", xlsx(HOTSPOT_HEADERS, [hotspot_row()]))
    no_date = preview(client, "hotspot", xlsx(HOTSPOT_HEADERS, [hotspot_row(**{"Tình trạng": "Đã triệt xóa"})]))
    assert [(e.column, "ngày" in e.message) for e in no_date.context["report"].errors] == [
        ("Tình trạng từ ngày", True)
    ]
    illegal = preview(
        client,
        "hotspot",
        xlsx(
            HOTSPOT_HEADERS, [hotspot_row(**{"Tình trạng": "Hoạt động trở lại", "Tình trạng từ ngày": "01/06/2025"})]
        ),
    )
    [error] = illegal.context["report"].errors
    assert error.column == "Tình trạng" and "Không thể chuyển" in error.message
    import_file(
        client,
        "hotspot",
        xlsx(HOTSPOT_HEADERS, [hotspot_row(**{"Tình trạng": "da triet xoa", "Tình trạng từ ngày": "01/06/2025"})]),
    )
    hotspot = Hotspot.objects.get()
    assert (hotspot.status, hotspot.eliminated_on) == ("eliminated", D(2025, 6, 1))


def test_former_communes_in_the_file(world, officer_a, client_for):
    split = UnitFactory(
        generation=world.former_a.generation, parent=world.former_a.parent, name="Thắng Quân", code="2470"
    )
    for new in (world.commune_a, world.commune_b):
        UnitSuccession.objects.create(old=split, new=new, partly=True, effective_date=D(2025, 7, 1))
    client = client_for(officer_a)
    rows = [
        hotspot_row(**{"Xã/phường": "Dao Vien, Yen Son", "Tên điểm, tụ điểm": "A"}),
        hotspot_row(**{"Xã/phường": "Xã Thắng Quân", "Tên điểm, tụ điểm": "B"}),
    ]
    response = preview(client, "hotspot", xlsx(HOTSPOT_HEADERS, rows))
    [error] = response.context["report"].errors
    assert (error.row, error.column) == (3, "Xã/phường hiện nay")
    assert "Phường Minh Xuân" in error.message and "Xã/phường hiện nay" in error.message
    rows[1]["Xã/phường hiện nay"] = "Trung Sơn"
    import_file(client, "hotspot", xlsx(HOTSPOT_HEADERS, rows))
    assert dict(Hotspot.objects.values_list("name", "recorded_unit")) == {"A": world.former_a.pk, "B": split.pk}
    assert set(Hotspot.objects.values_list("commune", flat=True)) == {world.commune_a.pk}


def test_import_needs_the_import_permission(world, province_staff, client_for):
    response = client_for(province_staff).post(
        reverse("registers:hotspot_import"), {"file": xlsx(HOTSPOT_HEADERS, [hotspot_row()])}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("resource", resources.kinds(), ids=lambda r: r._meta.model._meta.model_name)
def test_templates_have_the_headers_and_a_valid_example(world, officer_a, client_for, resource):
    kind, headers = resource._meta.model._meta.model_name, resource.expected_headers()
    client = client_for(officer_a)
    response = client.get(reverse(f"registers:{kind}_import_template"))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert [c.value for c in ws[1]] == headers
    # The example sits on its own sheet (issue 12 §4); copied to the data sheet it imports as it is.
    example = [c.value for c in wb["Ví dụ"][3]]
    ws.append(example)
    buf = io.BytesIO()
    wb.save(buf)
    report = import_file(client, kind, SimpleUploadedFile("mau.xlsx", buf.getvalue()))
    assert report.new == 1


# --- crime cases ---------------------------------------------------------------------------------


def crime_row(**values):
    row = {
        "Xã/phường": "Trung Sơn",
        "Ngày xảy ra, phát hiện": "12/01/2026",
        "Tội danh (điều BLHS)": "Điều 251",
        "Tóm tắt vụ việc": "Bắt quả tang mua bán tại thôn Đồng Cầu",
        "Đối tượng bị bắt": "Nguyễn Văn Hùng, 1990, Nam; Lý Thị Mai, 1995, Nữ, 13/01/2026",
        "Heroin (gam)": "1,5",
        "Ma túy tổng hợp (viên)": 40,
    }
    row.update(values)
    return row


def test_crime_cases_import_with_offenders_and_update_on_reimport(world, officer_a, client_for):
    client = client_for(officer_a)
    import_file(client, "crimecase", xlsx(CRIME_HEADERS, [crime_row()]))
    case = CrimeCase.objects.get()
    assert (case.number, case.heroin_g, case.synthetic_tablets, case.offenders_count) == (
        "VA-2458-2026-0001",
        Decimal("1.500"),
        40,
        2,
    )
    assert list(case.offenders.values_list("full_name", "birth_year", "sex", "arrested_on")) == [
        ("Nguyễn Văn Hùng", 1990, "M", D(2026, 1, 12)),
        ("Lý Thị Mai", 1995, "F", D(2026, 1, 13)),
    ]
    offender_ids = list(case.offenders.values_list("pk", flat=True))
    same = import_file(client, "crimecase", xlsx(CRIME_HEADERS, [crime_row()]))
    assert (same.new, same.skipped) == (0, 1)
    by_number = import_file(
        client,
        "crimecase",
        xlsx(
            CRIME_HEADERS,
            [crime_row(**{"Số hiệu": case.number, "Tóm tắt vụ việc": "Nội dung đã sửa", "Giai đoạn": "Khởi tố"})],
        ),
    )
    assert (by_number.new, by_number.updated) == (0, 1)
    case.refresh_from_db()
    assert (case.summary, case.stage, CrimeCase.objects.count()) == ("Nội dung đã sửa", "prosecuted", 1)
    assert list(case.offenders.values_list("pk", flat=True)) == offender_ids  # kept, not re-created


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"Heroin (gam)": "1.500"}, "Heroin (gam)", "không rõ"),
        ({"Heroin (gam)": "-2"}, "Heroin (gam)", "âm"),
        ({"Tội danh (điều BLHS)": "Điều 999"}, "Tội danh (điều BLHS)", "Không nhận ra"),
        ({"Đối tượng bị bắt": "Nguyễn Văn A, 1990"}, "Đối tượng bị bắt", "thiếu giới tính"),
        ({"Đối tượng bị bắt": "Nguyễn Văn A, 2020, Nam"}, "Đối tượng bị bắt", "không hợp lý"),
        ({"Số đối tượng bị bắt": 1}, "Số đối tượng bị bắt", "ít hơn"),
        ({"Số hiệu": "VA-9999-2026-0001"}, "Số hiệu", "Không có vụ án"),
        ({"Ngày xảy ra, phát hiện": "01/01/2099"}, "Ngày xảy ra, phát hiện", "sau ngày hôm nay"),
    ],
)
def test_crime_case_row_errors_name_the_column(world, officer_a, client_for, values, column, fragment):
    response = preview(client_for(officer_a), "crimecase", xlsx(CRIME_HEADERS, [crime_row(**values)]))
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(2, column)], [(e.column, e.message) for e in errors]
    assert fragment in errors[0].message
    assert not CrimeCase.objects.exists()


# --- cultivation ---------------------------------------------------------------------------------


def test_cultivation_import_and_reimport(world, officer_a, client_for):
    client = client_for(officer_a)
    row = {
        "Xã/phường": "2458",
        "Ngày phát hiện": "20/02/2026",
        "Loại cây": "thuốc phiện",
        "Số cây": "1.200",
        "Diện tích (m²)": "350,5",
        "Đã triệt phá": "Có",
        "Thôn/tổ dân phố": "Thôn Khuôn Khoai",
    }
    import_file(client, "cultivation", xlsx(CULTIVATION_HEADERS, [row]))
    find = Cultivation.objects.get()
    assert (find.plants, find.area_m2, find.destroyed, find.species) == (1200, Decimal("350.50"), True, "opium_poppy")
    again = import_file(
        client, "cultivation", xlsx(CULTIVATION_HEADERS, [{**row, "Số cây": 1300, "Đã triệt phá": "Không"}])
    )
    assert (again.new, again.updated) == (0, 1)
    find.refresh_from_db()
    assert (find.plants, find.destroyed, Cultivation.objects.count()) == (1300, False, 1)
    bad = preview(
        client, "cultivation", xlsx(CULTIVATION_HEADERS, [{**row, "Đã triệt phá": "có lẽ", "Số cây": "1,5"}])
    )
    assert {e.column for e in bad.context["report"].errors} == {"Đã triệt phá", "Số cây"}


# --- export --------------------------------------------------------------------------------------


def read_xlsx(response):
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_export_is_scoped_formula_safe_and_audited(world, officer_a, officer_b, client_for):
    make_hotspot(officer_a, world.commune_a, name='=HYPERLINK("http://x","bấm")', notes="+1 ghi chú")
    make_hotspot(officer_b, world.commune_b, name="Điểm của phường Minh Xuân")
    response = client_for(officer_a).get(reverse("registers:hotspot_export", args=["xlsx"]), {"q": ""})
    rows = read_xlsx(response)
    assert rows[0] == HOTSPOT_HEADERS
    assert len(rows) == 2
    name, notes = rows[1][HOTSPOT_HEADERS.index("Tên điểm, tụ điểm")], rows[1][HOTSPOT_HEADERS.index("Ghi chú")]
    assert name.startswith("'=HYPERLINK") and notes == "'+1 ghi chú"
    entry = AuditLogEntry.objects.get(action=actions.HOTSPOT_EXPORT)
    assert (entry.actor, entry.area, entry.after["rows"], entry.after["format"]) == (
        officer_a,
        world.commune_a,
        1,
        "xlsx",
    )


def test_export_follows_the_list_filters(world, officer_a, client_for):
    make_crime_case(officer_a, world.commune_a, article="249")
    make_crime_case(officer_a, world.commune_a, article="251")
    response = client_for(officer_a).get(reverse("registers:crimecase_export", args=["xlsx"]), {"article": "249"})
    rows = read_xlsx(response)
    assert len(rows) == 2 and rows[1][CRIME_HEADERS.index("Tội danh (điều BLHS)")].startswith("Điều 249")


def test_csv_export_uses_the_vietnamese_decimal_comma(world, officer_a, client_for):
    make_crime_case(
        officer_a, world.commune_a, heroin_g=Decimal("1.5"), offenders=[offender("Nguyễn Văn Hùng", birth_year=1990)]
    )
    response = client_for(officer_a).get(reverse("registers:crimecase_export", args=["csv"]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][CRIME_HEADERS.index("Heroin (gam)")] == "1,5"
    assert rows[1][CRIME_HEADERS.index("Đối tượng bị bắt")] == "Nguyễn Văn Hùng, 1990, Nam, 05/01/2026"


def test_unknown_export_format_is_404(world, officer_a, client_for):
    assert client_for(officer_a).get(reverse("registers:hotspot_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("model", every_kind())
def test_an_exported_file_imports_back_unchanged(world, officer_a, client_for, model, fmt):
    """Export → import round trip: every row matches its record and nothing changes. The records
    are the kind's factory samples, the first written under a former commune."""
    samples = factory_of(model).samples
    for i, fields in enumerate(samples):
        recorded = {"recorded_unit": world.former_a} if i == 0 else {}
        make_record(model, officer_a, world.commune_a, **recorded, **fields)
    kind = model._meta.model_name
    updates = AuditLogEntry.objects.filter(action=f"registers.{kind}.update")
    before = updates.count()
    client = client_for(officer_a)
    exported = client.get(reverse(f"registers:{kind}_export", args=[fmt]))
    report = import_file(client, kind, SimpleUploadedFile(f"xuat.{fmt}", exported.content))
    assert (report.new, report.updated, report.skipped) == (0, 0, len(samples))
    assert updates.count() == before
    assert model.objects.count() == len(samples)
