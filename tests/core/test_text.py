import unicodedata

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


# --- one canonical form for names, whatever keyboard, encoding or copy-paste produced them ----------------

DECOMPOSED = "Nguye\u0302\u0303n Va\u0306n Hu\u0300ng"  # NFD, as macOS and some IMEs type it
ZERO_WIDTH = "Nguy\u200bễn\u200c Văn\u200d Hù\u2060ng\ufeff\u00ad"
LEGACY_D = "\u00d0ặng Thị \u00f0ào"  # Ð/ð (Latin eth) from legacy Vietnamese encodings instead of Đ/đ


def test_clean_name_gives_one_stored_form():
    from apps.core.text import clean_name

    assert clean_name(DECOMPOSED) == "Nguyễn Văn Hùng"
    assert clean_name(DECOMPOSED) == unicodedata.normalize("NFC", "Nguyễn Văn Hùng")
    assert clean_name(ZERO_WIDTH) == "Nguyễn Văn Hùng"
    assert clean_name(LEGACY_D) == "Đặng Thị đào"
    assert clean_name("  Lò\u00a0Văn\tSáng \n") == "Lò Văn Sáng"
    assert clean_name(None) == ""


@pytest.mark.parametrize("raw", [DECOMPOSED, ZERO_WIDTH, "NGUYỄN VĂN HÙNG"])
def test_invisible_characters_and_decomposed_marks_do_not_defeat_matching(raw):
    assert normalize(raw) == "nguyen van hung"


def test_legacy_eth_folds_like_d_stroke():
    assert normalize(LEGACY_D) == normalize("Đặng Thị đào") == "dang thi dao"
    assert strip_diacritics("\u00d0ội") == "Doi"


def test_nfc_used_by_the_services_also_strips_invisible_characters():
    from apps.core.text import nfc

    assert nfc(ZERO_WIDTH) == "Nguyễn Văn Hùng"
    assert nfc("Dòng 1\nDòng 2") == "Dòng 1\nDòng 2"  # multi-line notes keep their line breaks
