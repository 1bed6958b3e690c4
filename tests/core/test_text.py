import pytest

from apps.core.text import normalize, strip_diacritics


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn Hùng", "nguyen van hung"),
        ("ĐẶNG  Thị   Đào", "dang thi dao"),
        ("Xã Trung Sơn", "xa trung son"),
        ("Thuận Hoà", "thuan hoa"),
        ("Thuận Hòa", "thuan hoa"),  # both tone-mark placements normalise alike
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_strip_diacritics_keeps_case_and_maps_d_stroke():
    assert strip_diacritics("Đội Cấn") == "Doi Can"
