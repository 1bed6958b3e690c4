"""Vietnamese number/date formats and the prefilled sentences (no database)."""

import datetime as dt

import pytest

from apps.reports import documents, narrative
from apps.reports.formatting import document_date, place_and_date, vn_number, vn_percent


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (7, "7"), (1234, "1.234"), (1234567, "1.234.567"), (12.5, "12,5"), (1234.75, "1.234,75"), (-3, "-3")],
)
def test_vn_number(value, expected):
    assert vn_number(value) == expected


def test_missing_values_print_a_dash():
    assert vn_number(None) == "—" and vn_percent(None) == "—"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
        (dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 12, 25), "ngày 25 tháng 12 năm 2026"),
    ],
)
def test_document_date_pads_days_below_10_and_months_1_2(day, expected):
    assert document_date(day) == expected


def test_place_and_date():
    assert place_and_date("Tuyên Quang", dt.date(2026, 9, 16)) == "Tuyên Quang, ngày 16 tháng 9 năm 2026"


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (1234, 1222, "tăng 12 người (1,0%) so với kỳ trước"),
        (10, 12, "giảm 2 người (16,7%) so với kỳ trước"),
        (5, 5, "không thay đổi so với kỳ trước"),
        (3, 0, "tăng 3 người so với kỳ trước"),
    ],
)
def test_change_text(current, previous, expected):
    assert narrative.change_text(current, previous, "người", "so với kỳ trước") == expected


def test_recipients_end_with_the_archive_line():
    lines = documents.recipient_lines("Như trên\n- Công an tỉnh (PC04);\nLưu: VT, CAX\nĐảng ủy xã")
    assert lines == ["- Như trên;", "- Công an tỉnh (PC04);", "- Đảng ủy xã;", "- Lưu: VT, CAX."]
    assert documents.recipient_lines("")[-1] == "- Lưu: VT."


def test_number_line():
    assert documents.number_line("125", "/BC-CAX") == "Số: 125/BC-CAX"
    assert documents.number_line("125/BC-UBND", "/BC-CAX") == "Số: 125/BC-UBND"
    assert documents.number_line("", "/BC-CAX").endswith("/BC-CAX")


def test_area_word():
    assert narrative.area_word({"level": "province"}) == "Toàn tỉnh"
    assert narrative.area_word({"level": "commune", "full_name": "Phường Minh Xuân"}) == "Toàn phường"
    assert narrative.area_word({"level": "commune", "full_name": "Xã Trung Sơn"}) == "Toàn xã"
