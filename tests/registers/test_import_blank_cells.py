"""Register imports: a blank optional cell on a row matching an existing record keeps the
stored value (issue 11 §1); only rows that change something count as updates, with their
field-by-field difference in the preview."""

from decimal import Decimal

from apps.registers.models import CrimeCase, Cultivation, Hotspot
from tests.registers.test_imports import (
    CRIME_HEADERS,
    CULTIVATION_HEADERS,
    HOTSPOT_HEADERS,
    crime_row,
    hotspot_row,
    import_file,
    preview,
    xlsx,
)


def test_hotspot_blank_cells_keep_stored_values_and_changes_are_listed(world, officer_a, client_for):
    client = client_for(officer_a)
    full = hotspot_row(
        **{
            "Thôn/tổ dân phố": "Thôn Đồng Cầu",
            "Địa chỉ, vị trí": "Bãi sông",
            "Vĩ độ": "21,823300",
            "Kinh độ": "105,214200",
            "Ghi chú": "Có camera",
        }
    )
    import_file(client, "hotspot", xlsx(HOTSPOT_HEADERS, [full]))
    before = Hotspot.objects.values("village", "address", "latitude", "longitude", "notes", "version").get()
    again = import_file(client, "hotspot", xlsx(HOTSPOT_HEADERS, [hotspot_row()]))
    assert (again.new, again.updated, again.skipped) == (0, 0, 1)
    assert Hotspot.objects.values("village", "address", "latitude", "longitude", "notes", "version").get() == before

    response = preview(client, "hotspot", xlsx(HOTSPOT_HEADERS, [hotspot_row(**{"Ghi chú": "Đã dỡ lán"})]))
    report = response.context["report"]
    assert (report.updated, report.skipped) == (1, 0)
    [change] = report.changes
    assert [(f.column, f.old, f.new) for f in change.fields] == [("Ghi chú", "Có camera", "Đã dỡ lán")]
    assert 'data-testid="import-changes"' in response.content.decode()


def test_crime_case_blank_cells_keep_stage_offenders_and_amounts(world, officer_a, client_for):
    client = client_for(officer_a)
    import_file(
        client, "crimecase", xlsx(CRIME_HEADERS, [crime_row(**{"Giai đoạn": "Khởi tố", "Ghi chú": "Chuyển VKS"})])
    )
    case = CrimeCase.objects.get()
    offenders = list(case.offenders.values_list("pk", "full_name"))
    bare = {
        "Số hiệu": case.number,
        "Xã/phường": "Trung Sơn",
        "Ngày xảy ra, phát hiện": "12/01/2026",
        "Tội danh (điều BLHS)": "Điều 251",
        "Tóm tắt vụ việc": case.summary,
    }
    again = import_file(client, "crimecase", xlsx(CRIME_HEADERS, [bare]))
    assert (again.new, again.updated, again.skipped) == (0, 0, 1)
    case.refresh_from_db()
    assert (case.stage, case.heroin_g, case.synthetic_tablets, case.offenders_count, case.notes) == (
        "prosecuted",
        Decimal("1.500"),
        40,
        2,
        "Chuyển VKS",
    )
    assert list(case.offenders.values_list("pk", "full_name")) == offenders


def test_cultivation_blank_cells_keep_stored_values(world, officer_a, client_for):
    client = client_for(officer_a)
    row = {
        "Xã/phường": "2458",
        "Ngày phát hiện": "20/02/2026",
        "Loại cây": "thuốc phiện",
        "Số cây": "1.200",
        "Diện tích (m²)": "350,5",
        "Đã triệt phá": "Không",
        "Thôn/tổ dân phố": "Thôn Khuôn Khoai",
        "Ghi chú": "Trên nương",
    }
    import_file(client, "cultivation", xlsx(CULTIVATION_HEADERS, [row]))
    find = Cultivation.objects.get()
    bare = {"Số hiệu": find.number, "Xã/phường": "2458", "Ngày phát hiện": "20/02/2026", "Loại cây": "thuốc phiện"}
    again = import_file(client, "cultivation", xlsx(CULTIVATION_HEADERS, [bare]))
    assert (again.new, again.updated, again.skipped) == (0, 0, 1)
    find.refresh_from_db()
    assert (find.plants, find.area_m2, find.destroyed, find.village, find.notes) == (
        1200,
        Decimal("350.50"),
        False,
        "Thôn Khuôn Khoai",
        "Trên nương",
    )
