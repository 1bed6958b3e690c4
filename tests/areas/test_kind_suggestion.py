"""Issue 12 §4: a unit typed with the wrong kind word ("Xã Minh Xuân" for "Phường Minh Xuân") is not
silently taken, but the refusal suggests the unit that was meant."""

import pytest

from apps.areas.selectors import UnitResolutionError, resolve_current_unit, resolve_unit
from apps.cases import resources as cr
from tests.core.test_import_every_error import case_row, preview


@pytest.mark.parametrize("resolve", [resolve_current_unit, resolve_unit])
def test_wrong_kind_word_suggests_the_unit(world, resolve):
    with pytest.raises(UnitResolutionError) as caught:
        resolve("Xã Minh Xuân")
    assert caught.value.message.startswith("Không có Xã Minh Xuân; có phải Phường Minh Xuân?")


def test_without_diacritics_too(world):
    with pytest.raises(UnitResolutionError) as caught:
        resolve_current_unit("xa minh xuan")
    assert "có phải Phường Minh Xuân?" in caught.value.message


def test_the_right_kind_word_and_no_kind_word_still_resolve(world):
    assert resolve_current_unit("Phường Minh Xuân") == world.commune_b
    assert resolve_current_unit("Minh Xuân") == world.commune_b


def test_an_unknown_name_is_still_not_found(world):
    with pytest.raises(UnitResolutionError) as caught:
        resolve_current_unit("Xã Không Có")
    assert caught.value.message.startswith("Không tìm thấy đơn vị hành chính")


def test_the_import_preview_shows_the_suggestion(world, province_staff):
    _found, report = preview(province_staff, cr.CaseResource, [case_row(**{cr.COL_COMMUNE: "Xã Minh Xuân"})])
    messages = [e.message for e in report.errors if e.column == cr.COL_COMMUNE]
    assert messages and "có phải Phường Minh Xuân?" in messages[0]
