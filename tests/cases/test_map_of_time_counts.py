"""Issue 10 §4: figures of a past year on the map of that time, from the one counting module.

Old Tuyên Lộ (2019) is part of Tân Thanh (2020, formed with Thanh Phát) and of today's Xã Tân
Thanh (formed from three early-2025 communes): each file is counted in its unit on each map, and
a file whose old unit cannot be told shows in the explicit "unknown" row, never in a wrong unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.accounts import roles
from apps.areas import selectors as areas
from apps.areas.models import AdministrativeUnit
from apps.cases import stocks
from apps.cases.models import CaseFile
from tests.factories.accounts import UserFactory
from tests.factories.cases import make_managed_case


def unit(generation: str, name: str, province: str = "8") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(
        generation_id=generation, level="commune", name=name, path__startswith=f"{generation}:{province}/"
    )


@pytest.fixture
def tan_thanh(real_units):
    roles.sync_roles()
    today = AdministrativeUnit.objects.get(generation_id="2025", level="commune", full_name="Xã Tân Thanh")
    officer = UserFactory(username="tanthanh.congan", role=roles.COMMUNE_OFFICER, area=today)
    day = dt.date(2019, 3, 1)
    files = {
        "tuan_lo": make_managed_case(officer, today, detected_on=day, recorded_unit=unit("2019", "Tuân Lộ")),
        "thanh_phat": make_managed_case(officer, today, detected_on=day, recorded_unit=unit("2019", "Thanh Phát")),
        "tan_thanh_2025": make_managed_case(
            officer, today, detected_on=dt.date(2020, 3, 1), recorded_unit=unit("pre2025", "Tân Thanh")
        ),
        "unknown": make_managed_case(officer, today, detected_on=day),
    }
    return today, officer, files


def test_each_file_in_its_unit_on_each_map(tan_thanh):
    today, _officer, _files = tan_thanh
    ids = [today.pk]
    on_2019 = stocks.counts_in_window_on_map(
        ids, dt.date(2019, 1, 1), dt.date(2019, 12, 31), areas.map_projection("2019", root_codes=["8"])
    )
    assert on_2019 == {unit("2019", "Tuân Lộ").pk: (1, 0), unit("2019", "Thanh Phát").pk: (1, 0), None: (1, 0)}
    on_2020 = stocks.counts_in_window_on_map(
        ids, dt.date(2020, 1, 1), dt.date(2020, 12, 31), areas.map_projection("2020", root_codes=["8"])
    )
    # Tuân Lộ and Thanh Phát became Tân Thanh: one unit of the 2020 map holds both, and the early-2025
    # Tân Thanh (the same commune) goes back to it; the file without a recorded unit stays unknown
    # (today's Tân Thanh was formed from three communes).
    assert on_2020 == {unit("2020", "Tân Thanh").pk: (3, 0), None: (1, 0)}
    # converted to today's communes: every file in today's commune, as before
    assert stocks.counts_in_window(ids, dt.date(2020, 1, 1), dt.date(2020, 12, 31)) == {today.pk: (4, 0)}


def test_recorded_unit_must_lie_in_todays_commune(tan_thanh):
    _today, officer, _files = tan_thanh
    other = AdministrativeUnit.objects.get(generation_id="2025", level="commune", full_name="Xã Trung Sơn")
    with pytest.raises(ValidationError) as exc:
        make_managed_case(
            UserFactory(username="ts", role=roles.COMMUNE_OFFICER, area=other),
            other,
            detected_on=dt.date(2019, 3, 1),
            recorded_unit=unit("2019", "Tuân Lộ"),
        )
    assert "recorded_unit" in exc.value.message_dict
    assert CaseFile.objects.filter(commune=other).count() == 0


def test_demo_files_of_2019_in_old_units_including_one_abolished_on_01_01_2020(real_units):
    from apps.demo.cases import seed_past_cases

    roles.sync_roles()
    officers = {
        code: UserFactory(
            username=f"officer{code}",
            role=roles.COMMUNE_OFFICER,
            area=AdministrativeUnit.objects.get(generation_id="2025", code=code),
        )
        for code in ("2458", "2524")
    }
    assert seed_past_cases(officers=officers) == 6
    assert seed_past_cases(officers=officers) == 0  # idempotent
    today = list(AdministrativeUnit.objects.current().filter(level="commune").values_list("pk", flat=True))
    on_2019 = stocks.counts_in_window_on_map(
        today, dt.date(2019, 1, 1), dt.date(2019, 12, 31), areas.map_projection("2019", root_codes=["8"])
    )
    assert on_2019[unit("2019", "Tân Bình").pk] == (2, 1)  # thị trấn abolished on 01/01/2020
    assert on_2019[unit("2019", "Đạo Viện").pk] == (2, 1)
