"""Units typed by people (issue 10 §6): names that begin like a kind word, diacritics that tell two
units apart, a current name over a former one, a unit with no successor."""

import pytest

from apps.areas import selectors
from apps.areas.selectors import UnitResolutionError, resolve_current_unit


def current(text: str) -> str:
    return resolve_current_unit(text).full_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quản Bạ", "Xã Quản Bạ"),
        ("Xã Quản Bạ", "Xã Quản Bạ"),
        ("quan ba", "Xã Quản Bạ"),
        ("Phương Độ", "Phường Hà Giang 1"),
        ("Xã Phương Thiện", "Phường Hà Giang 1"),
        ("phuong thien", "Phường Hà Giang 1"),
        ("Phương Tiến", "Xã Thanh Thủy"),
        ("Xà Phìn", "Xã Sà Phìn"),
        ("xa xa phin", "Xã Sà Phìn"),
        # The former communes of huyện Quản Bạ, written with their district.
        ("Tả Ván, Quản Bạ", "Xã Tùng Vài"),
        ("Xã Quyết Tiến (huyện Quản Bạ)", "Xã Quản Bạ"),
        ("Thị trấn Tam Sơn - Huyện Quản Bạ", "Xã Quản Bạ"),
        ("Xã Quản Bạ, huyện Quản Bạ", "Xã Quản Bạ"),
    ],
)
def test_names_beginning_like_a_kind_word_resolve(real_units, text, expected):
    assert current(text) == expected


def test_a_kind_word_with_its_diacritics_is_still_a_prefix(real_units):
    # "Phường Tân Quang" is the former ward (now Minh Xuân), "Xã Tân Quang" today's commune.
    assert current("Phường Tân Quang") == "Phường Minh Xuân"
    assert current("Xã Tân Quang") == "Xã Tân Quang"
    assert current("P. Tân Quang") == "Phường Minh Xuân"


def test_diacritics_typed_decide_between_units(real_units):
    assert current("Tân Thanh") == "Xã Tân Thanh"
    # Tân Thành (Hàm Yên) and Tân Thành (Bắc Quang) are former communes; neither is Tân Thanh.
    with pytest.raises(UnitResolutionError) as exc:
        current("Tân Thành")
    assert {u.full_name for u in exc.value.candidates} == {"Xã Hàm Yên", "Xã Tân Quang"}
    assert current("Tân Thành, Hàm Yên") == "Xã Hàm Yên"
    # Without diacritics they may be ignored: then the name is ambiguous and says so.
    with pytest.raises(UnitResolutionError) as exc:
        current("tan thanh")
    assert "Xã Tân Thanh" in {u.full_name for u in exc.value.candidates}
    assert len(exc.value.candidates) == 3
    # The old and new placements of a tone mark are the same word.
    assert selectors.tone_key("Thuỷ") == selectors.tone_key("Thủy")
    assert selectors.tone_key("Thanh") != selectors.tone_key("Thành")


@pytest.mark.parametrize(("text", "code"), [("Thái Bình", "2494"), ("Việt Lâm", "967"), ("Tân Tiến", "1051")])
def test_an_exact_current_name_wins_over_a_former_unit_of_the_same_name(real_units, text, code):
    unit = resolve_current_unit(text)
    assert (unit.generation_id, unit.code, unit.name) == ("2025", code, text)


def test_the_former_unit_of_a_current_name_is_still_reached_through_its_district(real_units):
    assert current("Tân Tiến, Yên Sơn") == "Xã Tân Long"
    # Former Thái Bình (Yên Sơn) was split: its district lists the new communes to choose from.
    with pytest.raises(UnitResolutionError) as exc:
        current("Thái Bình, Yên Sơn")
    assert {u.full_name for u in exc.value.candidates} == {"Phường Nông Tiến", "Xã Thái Bình"}


def test_a_unit_without_successor_gets_a_message_naming_it(real_units):
    with pytest.raises(UnitResolutionError) as exc:
        resolve_current_unit("Phú Thịnh")
    message = exc.value.message
    assert "Xã Phú Thịnh" in message and "2482" in message and "không có đơn vị kế thừa" in message
    assert "nhiều đơn vị" not in message


def test_a_diacritic_slip_is_refused_and_names_the_near_units(real_units):
    with pytest.raises(UnitResolutionError) as exc:
        current("Tân Thạnh")
    assert "Không tìm thấy" in exc.value.message and "Xã Tân Thanh" in exc.value.message
    assert exc.value.candidates == []
