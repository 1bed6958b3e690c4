"""The maps of the time (issue 10 §4): old Tuyên Quang on 01/01/2019 (141 units, rebuilt [P]) and
01/01/2020 (138 units [V]), chained 2019 → 2020 → early 2025 → today."""

from collections import Counter

from apps.areas import selectors
from apps.areas.models import AdministrativeUnit, UnitGeneration, UnitSuccession


def _communes(generation: str, province: str = "8"):
    return AdministrativeUnit.objects.filter(
        generation_id=generation, level="commune", path__startswith=f"{generation}:{province}/"
    )


def test_2019_map_has_141_units_and_2020_map_138(real_units):
    kinds_2019 = Counter(_communes("2019").values_list("kind", flat=True))
    kinds_2020 = Counter(_communes("2020").values_list("kind", flat=True))
    assert sum(kinds_2019.values()) == 141
    assert kinds_2019 == {"xa": 129, "phuong": 7, "thi_tran": 5}
    assert sum(kinds_2020.values()) == 138
    assert kinds_2020 == {"xa": 124, "phuong": 10, "thi_tran": 4}
    assert _communes("2020", "2").count() == 193  # Hà Giang 2020 from the same list
    assert not _communes("2019", "2").exists()  # no 2019 list of Hà Giang offline
    assert UnitGeneration.objects.get(code="2019").verification == "partly"
    assert UnitGeneration.objects.get(code="2020").verification == "verified"


def test_existing_generations_unchanged(real_units):
    assert AdministrativeUnit.objects.current().filter(level="commune").count() == 124
    old_tq = AdministrativeUnit.objects.get(generation="pre2025", code="8")
    assert AdministrativeUnit.objects.subtree(old_tq).filter(level="commune").count() == 137
    # the working history is still the one pre-2025 map: a name resolves once
    assert selectors.resolve_current_unit("Đạo Viện").full_name == "Xã Trung Sơn"
    assert AdministrativeUnit.objects.former().filter(generation_id__in=["2019", "2020"]).count() == 0


def test_six_units_abolished_on_01_01_2020_follow_the_merger(real_units):
    def after(name: str) -> str:
        unit = _communes("2019").get(full_name=name)
        (row,) = UnitSuccession.objects.filter(old=unit)
        assert not row.partly
        return row.new.full_name

    assert after("Thị trấn Tân Bình") == "Phường Đội Cấn"
    assert after("Xã Đội Cấn") == "Phường Đội Cấn"
    assert after("Xã Thanh Phát") == after("Xã Tuân Lộ") == "Xã Tân Thanh"
    assert after("Xã Lâm Xuyên") == after("Xã Sầm Dương") == "Xã Trường Sinh"
    assert after("Xã Phú Lâm") == "Phường Mỹ Lâm"
    kim_phu = _communes("2020").get(name="Kim Phú")
    assert kim_phu.parent.full_name == "Thành phố Tuyên Quang"
    assert _communes("2019").get(name="Kim Phú").parent.full_name == "Huyện Yên Sơn"


def test_chain_reaches_todays_commune(real_units):
    tuan_lo = _communes("2019").get(name="Tuân Lộ")
    assert [u.generation_id for u in selectors.unit_current_successors(tuan_lo)] == ["2025"]


def test_projection_forward_is_whole_backward_needs_one_predecessor(real_units):
    on_2019 = selectors.map_projection("2019", root_codes=["8"])
    on_2020 = selectors.map_projection("2020", root_codes=["8"])
    tan_thanh_2020 = _communes("2020").get(name="Tân Thanh")
    tuan_lo_2019 = _communes("2019").get(name="Tuân Lộ")
    dao_vien = {g: _communes(g).get(name="Đạo Viện") for g in ("2019", "2020")}
    dao_vien_2025 = AdministrativeUnit.objects.get(generation_id="pre2025", code="2467")
    # an old commune onto a newer map: follows the merger
    assert on_2020.of(tuan_lo_2019.pk) == tan_thanh_2020.pk
    # a commune merged from two, back onto the older map: cannot be told
    assert on_2019.of(tan_thanh_2020.pk) is None
    # a unit that stayed the same goes both ways
    assert on_2019.of(dao_vien_2025.pk) == dao_vien["2019"].pk
    assert on_2020.of(dao_vien["2019"].pk) == dao_vien["2020"].pk
    # today's Trung Sơn was formed from several early-2025 communes: not determinable
    trung_son = AdministrativeUnit.objects.get(generation_id="2025", code="2458")
    assert on_2020.of(trung_son.pk) is None


def test_map_for_year_and_label(real_units):
    assert selectors.map_for_year(2019).code == "2019"
    assert selectors.map_for_year(2020).code == "2020"
    assert selectors.map_for_year(2023).code == "2020"
    assert selectors.map_for_year(2025) is None
    label = selectors.map_label(selectors.map_for_year(2020), 138)
    assert label == "Theo bản đồ hành chính năm 2020 (138 đơn vị)"


def test_province_staff_scope_holds_the_maps_of_the_time(real_units):
    province = AdministrativeUnit.objects.get(generation_id="2025", code="8")
    scope = AdministrativeUnit.objects.scope_of(province)
    assert scope.filter(generation_id="2019", level="commune").count() == 141
    assert scope.filter(generation_id="2020", level="commune").count() == 138 + 193
    commune = AdministrativeUnit.objects.get(generation_id="2025", code="2458")
    assert not AdministrativeUnit.objects.scope_of(commune).filter(generation_id__in=["2019", "2020"]).exists()
