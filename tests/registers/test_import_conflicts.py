"""Register imports: a colleague's save between the preview and the confirmation refuses the whole
file (nothing written, the row, columns and colleague named), as for case files."""

import pytest

from apps.accounts import roles
from apps.registers.models import CrimeCase, Cultivation, Hotspot
from tests.factories.accounts import UserFactory
from tests.registers.test_imports import (
    CRIME_HEADERS,
    CULTIVATION_HEADERS,
    HOTSPOT_HEADERS,
    confirm,
    crime_row,
    hotspot_row,
    import_file,
    preview,
    xlsx,
)


@pytest.fixture
def colleague(world):
    return UserFactory(
        username="colleague_a", full_name="Trần Thị Bình", role=roles.COMMUNE_OFFICER, area=world.commune_a
    )


def cultivation_row(**values):
    row = {"Xã/phường": "Trung Sơn", "Ngày phát hiện": "20/02/2026", "Loại cây": "Cây thuốc phiện", "Số cây": 10}
    row.update(values)
    return row


CASES = [
    # kind, headers, a row, what the officer's sheet changes, what the colleague saves meanwhile
    ("hotspot", HOTSPOT_HEADERS, hotspot_row, {"Thôn/tổ dân phố": "Thôn Mới"}, {"Ghi chú": "Đã dỡ lán"}),
    ("crimecase", CRIME_HEADERS, crime_row, {"Giai đoạn": "Khởi tố"}, {"Ghi chú": "Chuyển VKS"}),
    ("cultivation", CULTIVATION_HEADERS, cultivation_row, {"Ghi chú": "Theo tệp"}, {"Số cây": 25}),
]
MODELS = {"hotspot": Hotspot, "crimecase": CrimeCase, "cultivation": Cultivation}


@pytest.mark.parametrize(("kind", "headers", "make_row", "mine", "theirs"), CASES)
def test_a_colleagues_edit_between_preview_and_confirm_refuses_the_file(
    world, officer_a, colleague, client_for, kind, headers, make_row, mine, theirs
):
    client = client_for(officer_a)
    import_file(client, kind, xlsx(headers, [make_row()]))
    first = preview(client, kind, xlsx(headers, [make_row(**mine)]))
    assert first.context["report"].ok and first.context["report"].updated == 1
    import_file(client_for(colleague), kind, xlsx(headers, [make_row(**theirs)]))
    stored = MODELS[kind].objects.values().get()

    response = confirm(client, kind, first)
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.ok and report.stale
    assert MODELS[kind].objects.values().get() == stored
    [conflict] = [e for e in report.errors if e.row]
    assert conflict.row == 2
    [column] = theirs
    assert column in conflict.message and "Trần Thị Bình" in conflict.message


def test_the_register_preview_says_which_old_unit_becomes_which_new_one(world, officer_a, client_for):
    response = preview(
        client_for(officer_a), "hotspot", xlsx(HOTSPOT_HEADERS, [hotspot_row(**{"Xã/phường": "Đạo Viện, Yên Sơn"})])
    )
    report = response.context["report"]
    assert report.ok
    [conversion] = report.conversions
    assert (conversion.old, conversion.new, conversion.rows) == ("Xã Đạo Viện, Huyện Yên Sơn", "Xã Trung Sơn", [2])
    assert "Xã Đạo Viện, Huyện Yên Sơn (cũ) → Xã Trung Sơn (hiện nay)" in response.content.decode()
