"""Gathering the indicators of every commune: windows, ratios, key routes, the registers app (faked,
absent, and real when installed), and a constant number of queries."""

import datetime as dt
from decimal import Decimal

from apps.classification import rules, selectors
from apps.classification.choices import HARBOURING_KINDS, HOTSPOT_KINDS
from apps.classification.models import RuleSet
from tests.utils import assert_query_budget

from .helpers import add_cases, close_case, commune, key_route, population

D = dt.date
YEAR = 2025


def test_case_files_open_in_the_window_are_counted_by_type(world, root, no_registers):
    a = world.commune_a
    add_cases(root, a, 2, detected_on=D(2024, 5, 1))  # open since last year: counted
    add_cases(root, a, 1, case_type="addict", detected_on=D(2025, 12, 31))  # last day of the window
    add_cases(root, a, 1, detected_on=D(2026, 1, 2))  # after the window: not counted
    (closed_before,) = add_cases(root, a, 1, detected_on=D(2024, 2, 1))
    close_case(closed_before, D(2024, 12, 31))  # closed the day before the window: not counted
    (closed_during,) = add_cases(root, a, 1, case_type="addict", detected_on=D(2024, 2, 1))
    close_case(closed_during, D(2025, 1, 2))  # under management on the window's first day: counted
    # Closed ON the first day: no longer under management that day (as the dashboards count a
    # date; the old classification counted it, issue 10 §1 keeps one definition).
    (closed_first_day,) = add_cases(root, a, 1, case_type="addict", detected_on=D(2024, 2, 1))
    close_case(closed_first_day, D(2025, 1, 1))
    add_cases(root, world.commune_b, 1)

    facts = selectors.gather_indicators(year=YEAR)
    assert facts[a.pk].values["addicts_users_with_records"] == 4
    assert facts[a.pk].values["addicts_with_records"] == 2
    assert facts[world.commune_b.pk].values["addicts_users_with_records"] == 1
    assert set(facts) == {world.commune_a.pk, world.commune_b.pk}  # current communes only, not the former one


def test_ratios_use_the_population_of_the_year(world, root, no_registers):
    add_cases(root, world.commune_a, 3)
    population(world.commune_a, YEAR, 600)
    population(world.commune_a, YEAR - 1, 100)
    facts = selectors.gather_indicators(year=YEAR)[world.commune_a.pk]
    assert facts.values["addicts_users_ratio"] == Decimal("0.5")
    assert facts.details["addicts_users_ratio"] == "3 người / 600 dân năm 2025"
    assert facts.details["population"] == "600 dân"


def test_missing_population_is_a_reason_unless_nobody_is_counted(world, root, no_registers):
    add_cases(root, world.commune_a, 2)
    facts = selectors.gather_indicators(year=YEAR)
    assert facts[world.commune_a.pk].lookup("addicts_users_ratio") == (None, "chưa có dân số năm 2025")
    assert facts[world.commune_b.pk].lookup("addicts_users_ratio") == (Decimal(0), "")


def test_key_routes_true_false_or_unknown_when_none_entered_for_the_year(world, no_registers):
    facts = selectors.gather_indicators(year=YEAR)
    assert facts[world.commune_a.pk].lookup("on_key_route") == (None, "chưa nhập danh sách tuyến trọng điểm năm 2025")
    key_route(world.commune_a, YEAR, "Quốc lộ 2")
    key_route(world.commune_a, YEAR, "Sông Lô")
    key_route(world.commune_b, YEAR - 1, "Quốc lộ 37")  # another year
    facts = selectors.gather_indicators(year=YEAR)
    assert facts[world.commune_a.pk].values["on_key_route"] is True
    assert facts[world.commune_a.pk].details["on_key_route"] == "Quốc lộ 2, Sông Lô"
    assert facts[world.commune_b.pk].values["on_key_route"] is False


def test_without_the_registers_app_its_indicators_are_unknown_with_the_reason(world, no_registers):
    facts = selectors.gather_indicators(year=YEAR)[world.commune_a.pk]
    for code in selectors.REGISTER_INDICATORS:
        value, reason = facts.lookup(code)
        assert value is None
        assert "registers" in reason
    assert "registers" in facts.lookup("offenders_ratio")[1]


def test_registers_selectors_are_called_once_each_with_the_window(world, root, fake_registers):
    a, b = world.commune_a, world.commune_b
    fake_registers.hotspots = {a.pk: 5}
    fake_registers.harbouring = {a.pk: 2, b.pk: 1}
    fake_registers.crime = {a.pk: {"cases": 3, "offenders": 6}}
    fake_registers.cultivation = {b.pk: {"plants": 3200, "area_m2": Decimal("812.5")}}
    population(a, YEAR, 6000)
    facts = selectors.gather_indicators(year=YEAR)
    assert facts[a.pk].values["hotspots_active"] == 5
    assert facts[a.pk].values["harbouring_places"] == 2
    assert facts[b.pk].values["harbouring_places"] == 1
    assert facts[a.pk].values["crime_cases"] == 3
    assert facts[a.pk].values["offenders_arrested"] == 6
    assert facts[a.pk].values["offenders_ratio"] == Decimal("0.1")
    assert facts[b.pk].values["plants_destroyed"] == 3200
    assert facts[b.pk].values["plant_area_m2"] == Decimal("812.5")
    assert facts[b.pk].values["hotspots_active"] == 0  # absent from the register's answer = none
    window = (D(YEAR, 1, 1), D(YEAR, 12, 31))
    names = [call[0] for call in fake_registers.calls]
    assert sorted(names) == sorted(
        ["hotspots_active_between", "hotspots_active_between", "crime_totals_between", "cultivation_totals_between"]
    )
    assert all(call[2:4] == window for call in fake_registers.calls)
    kinds = {call[4] for call in fake_registers.calls if call[0] == "hotspots_active_between"}
    assert kinds == {HOTSPOT_KINDS, HARBOURING_KINDS}
    assert [c[4] for c in fake_registers.calls if c[0] == "cultivation_totals_between"] == [True]  # destroyed only


def test_indicator_queries_do_not_grow_with_the_number_of_communes(world, root, no_registers):
    communes = [commune(world, f"Thử {i}", str(97000 + i)) for i in range(30)]
    for i, unit in enumerate(communes[:6]):
        add_cases(root, unit, 1 + i % 2)
        population(unit, YEAR, 1000 + i)
    key_route(communes[1], YEAR)

    def count(units) -> int:
        with assert_query_budget() as queries:
            facts = selectors.gather_indicators(year=YEAR, communes=units)
        assert len(facts) == len(units)
        return queries.count

    assert count(communes[:3]) == count(communes) <= 4
    with assert_query_budget(exactly=count(communes) + 1):  # + the list of communes
        selectors.gather_indicators(year=YEAR)


def test_indicator_queries_with_registers_stay_constant(world, root, fake_registers):
    communes = [commune(world, f"Thử {i}", str(97000 + i)) for i in range(30)]

    def count(units) -> int:
        with assert_query_budget() as queries:
            selectors.gather_indicators(year=YEAR, communes=units)
        return queries.count

    assert count(communes[:3]) == count(communes)


def test_real_registers_feed_the_indicators(world, root):
    """Through the registers app's own services, as officers would enter the records."""
    from apps.registers.services import crimecases as crimecase_services
    from apps.registers.services import cultivation as cultivation_services
    from apps.registers.services import hotspots as hotspot_services

    a = world.commune_a
    places = (("Bãi đất trống", "hotspot", D(2024, 3, 1)), ("Nhà X", "harbouring", D(2025, 3, 1)))
    for name, kind, discovered_on in places:
        hotspot_services.hotspot_create(
            actor=root,
            data=hotspot_services.HotspotInput(name=name, kind=kind, discovered_on=discovered_on, commune=a),
        )
    hotspot_services.hotspot_create(  # eliminated before the window: not counted
        actor=root,
        data=hotspot_services.HotspotInput(name="Quán Y", kind="harbouring", discovered_on=D(2023, 3, 1), commune=a),
        status="eliminated",
        status_since=D(2024, 1, 1),
    )
    for occurred_on, n in ((D(2025, 6, 1), 3), (D(2024, 6, 1), 9)):
        crimecase_services.crime_case_create(
            actor=root,
            data=crimecase_services.CrimeCaseInput(
                occurred_on=occurred_on, article="251", summary="Mua bán", commune=a, offenders_count=n
            ),
        )
    cultivation_services.cultivation_create(
        actor=root,
        data=cultivation_services.CultivationInput(
            found_on=D(2025, 2, 1), species="opium_poppy", commune=a, plants=3100, area_m2=Decimal("20")
        ),
    )
    cultivation_services.cultivation_create(  # found but not destroyed: not "phát hiện, triệt phá"
        actor=root,
        data=cultivation_services.CultivationInput(
            found_on=D(2025, 2, 2), species="opium_poppy", commune=a, plants=500, destroyed=False
        ),
    )
    population(a, YEAR, 3000)
    facts = selectors.gather_indicators(year=YEAR)[a.pk]
    assert facts.values["hotspots_active"] == 1
    assert facts.values["harbouring_places"] == 1
    assert facts.values["offenders_arrested"] == 3
    assert facts.values["crime_cases"] == 1
    assert facts.values["offenders_ratio"] == Decimal("0.1")
    assert facts.values["plants_destroyed"] == 3100
    assert facts.values["plant_area_m2"] == Decimal("20")
    spec = selectors.ruleset_spec(RuleSet.objects.get(code="QD-28-2025"))
    outcome = rules.evaluate(spec, facts)
    met = outcome.level("type_1").met_codes
    assert {"c", "d"} <= set(met)  # 3 / 3.000 dân = 0,1 %; 3.100 cây
