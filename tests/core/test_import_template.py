"""Issue 12 §4: the import templates. No sample person where the importer reads (the example lives
on its own, marked sheet), a drop-down list on every coded column backed by a sheet of allowed
values, Vietnamese sheet names, and the importer still finds the data sheet (older templates too)."""

import io

import openpyxl
import pytest

from apps.areas.resources import PopulationResource
from apps.cases import resources as cr
from apps.cases.models import Person
from apps.core.imports import import_file
from apps.core.resources import DATA_SHEET, EXAMPLE_SHEET, GUIDE_SHEET, LISTS_SHEET
from apps.prevention.models import Activity
from apps.prevention.resources import ActivityResource, ReachResource
from apps.registers import resources as register_resources
from apps.registers.models import Cultivation, Hotspot
from apps.registers.resources.crimecases import CrimeCaseResource
from apps.registers.resources.cultivation import CultivationResource
from apps.registers.resources.hotspots import HotspotResource

ALL = [cr.CaseResource, *register_resources.kinds(), ActivityResource, ReachResource]


def workbook(resource_class):
    return openpyxl.load_workbook(io.BytesIO(resource_class.template_xlsx()))


def validations(ws) -> dict[str, object]:
    """Header of the validated column → its data validation."""
    headers = [c.value for c in ws[1]]
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            found[headers[cell_range.min_col - 1]] = dv
    return found


def list_values(wb, dv) -> list[str]:
    sheet, ref = dv.formula1.rsplit("!", 1)
    assert sheet.strip("'") == LISTS_SHEET
    return [c.value for row in wb[LISTS_SHEET][ref.replace("$", "")] for c in row]


@pytest.mark.parametrize("resource_class", [*ALL, PopulationResource])
def test_sheet_names_have_diacritics_and_the_data_sheet_holds_only_headers(world, resource_class):
    wb = workbook(resource_class)
    assert wb.sheetnames[0] == DATA_SHEET == "Dữ liệu"
    assert GUIDE_SHEET == "Hướng dẫn" and GUIDE_SHEET in wb.sheetnames
    assert LISTS_SHEET == "Danh mục" and LISTS_SHEET in wb.sheetnames
    data = wb[DATA_SHEET]
    assert [c.value for c in data[1]] == resource_class.expected_headers()
    assert data.max_row == 1, "no example (nor anyone) on the data sheet"
    if resource_class.example_row:
        example = wb[EXAMPLE_SHEET]
        assert "VÍ DỤ" in example["A1"].value and "không được nhập" in example["A1"].value
        assert [c.value for c in example[2]] == resource_class.expected_headers()


def test_case_template_has_a_drop_down_on_every_coded_column(world):
    wb = workbook(cr.CaseResource)
    found = validations(wb[DATA_SHEET])
    assert set(found) == {cr.COL_SEX, cr.COL_ETHNIC, cr.COL_COMMUNE, cr.COL_CURRENT, cr.COL_TYPE, cr.COL_SUBST}
    assert list_values(wb, found[cr.COL_SEX]) == ["Nam", "Nữ"]
    assert found[cr.COL_SEX].errorStyle == "stop"
    ethnic = list_values(wb, found[cr.COL_ETHNIC])
    assert len(ethnic) == 54 and "Mông" in ethnic
    # aliases ("H'Mông") and former communes are read too: these lists help, they do not refuse
    assert found[cr.COL_ETHNIC].errorStyle == "warning"
    assert set(list_values(wb, found[cr.COL_COMMUNE])) == {"Xã Trung Sơn", "Phường Minh Xuân"}
    assert "Người nghiện ma túy" in list_values(wb, found[cr.COL_TYPE])
    for dv in found.values():  # down to the last row an import takes
        assert all(r.max_row >= 10_001 for r in dv.sqref.ranges)


@pytest.mark.parametrize(
    ("resource_class", "coded"),
    [
        (HotspotResource, {"Xã/phường", "Xã/phường hiện nay", "Loại", "Tình trạng"}),
        (CrimeCaseResource, {"Xã/phường", "Xã/phường hiện nay", "Tội danh (điều BLHS)", "Giai đoạn"}),
        (CultivationResource, {"Xã/phường", "Xã/phường hiện nay", "Loại cây", "Đã triệt phá"}),
        (ActivityResource, {"Xã, phường", "Hình thức", "Chủ đề"}),
        (ReachResource, {"Xã, phường"}),
        (PopulationResource, {"Tên đơn vị"}),
    ],
)
def test_other_templates_have_their_drop_downs(world, resource_class, coded):
    wb = workbook(resource_class)
    found = validations(wb[DATA_SHEET])
    assert set(found) == coded
    for dv in found.values():
        assert list_values(wb, dv)


def _fill(content: bytes, rows: list[list], *, sheet: str = DATA_SHEET) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for row in rows:
        wb[sheet].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _import(user, resource_class, content, *, dry_run=False):
    return import_file(
        actor=user,
        resource=resource_class(user=user),
        content=content,
        filename="mau.xlsx",
        dry_run=dry_run,
        audit_action="test.import",
    )


def test_a_filled_template_imports_its_rows_and_never_the_example(world, officer_a):
    template = cr.CaseResource.template_xlsx()
    row = [None] * len(cr.CaseResource.expected_headers())
    headers = cr.CaseResource.expected_headers()
    for col, value in {
        cr.COL_NAME: "Giàng Seo Sủ",
        cr.COL_SEX: "Nam",
        cr.COL_DOB: "1991",
        cr.COL_ETHNIC: "Mông",
        cr.COL_COMMUNE: "Xã Trung Sơn",
        cr.COL_DETECTED: "12/01/2026",
    }.items():
        row[headers.index(col)] = value
    report = _import(officer_a, cr.CaseResource, _fill(template, [row]))
    assert report.ok, [(e.row, e.column, e.message) for e in report.errors]
    assert (report.total_rows, report.new) == (1, 1)
    person = Person.objects.get()
    assert (person.full_name, person.ethnicity.name) == ("Giàng Seo Sủ", "Mông")
    assert not Person.objects.filter(full_name=cr.CaseResource.example_row[0]).exists()


@pytest.mark.parametrize(
    ("resource_class", "model"),
    [(HotspotResource, Hotspot), (CultivationResource, Cultivation), (ActivityResource, Activity)],
)
def test_the_example_is_a_valid_row_when_copied_to_the_data_sheet(world, officer_a, resource_class, model):
    content = _fill(resource_class.template_xlsx(), [list(resource_class.example_row)])
    report = _import(officer_a, resource_class, content)
    assert report.ok, [(e.row, e.column, e.message) for e in report.errors]
    assert model.objects.count() == 1


def test_an_older_template_with_the_data_sheet_not_first_is_still_read(world, officer_a):
    """Templates before issue 12 named the sheet "Du lieu"; a user may also move the sheets."""
    wb = openpyxl.Workbook()
    wb.active.title = "Huong dan"
    wb.active.append(["Hướng dẫn cũ"])
    data = wb.create_sheet("Du lieu")
    data.append(cr.CaseResource.expected_headers())
    headers = cr.CaseResource.expected_headers()
    row = [None] * len(headers)
    for col, value in {
        cr.COL_NAME: "Lò Văn Pao",
        cr.COL_SEX: "Nam",
        cr.COL_DOB: 1989,
        cr.COL_COMMUNE: "2458",
        cr.COL_DETECTED: "12/01/2026",
    }.items():
        row[headers.index(col)] = value
    data.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    report = _import(officer_a, cr.CaseResource, buf.getvalue(), dry_run=True)
    assert report.ok, [(e.row, e.column, e.message) for e in report.errors]
    assert (report.total_rows, report.new) == (1, 1)
