"""Reads on the registers: scoped lists, filters, diacritic-free search, and the three period
aggregates of the classification, checked against hand counts and for one query each."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.areas.models import AdministrativeUnit
from apps.registers import selectors
from apps.registers.choices import HotspotKind
from apps.registers.models import Hotspot
from apps.registers.selectors import CrimeCaseFilters, CultivationFilters, HotspotFilters
from apps.registers.services import hotspots as hotspot_services
from apps.registers.views.base import RegisterListView
from tests.factories.registers import (
    factory_of,
    make_crime_case,
    make_cultivation,
    make_hotspot,
    make_record,
    offender,
    register_models,
)
from tests.utils import assert_query_budget

D = dt.date


def names(qs):
    return sorted(h.name for h in qs)


# --- lists ---------------------------------------------------------------------------------------


def test_hotspot_list_is_scoped_filtered_and_searchable_without_diacritics(
    world, officer_a, officer_b, province_staff
):
    a1 = make_hotspot(officer_a, world.commune_a, name="Nhà nghỉ Hoa Mai", kind=HotspotKind.HOTSPOT)
    a2 = make_hotspot(
        officer_a, world.commune_a, name="Lán bãi sông", village="Thôn Đồng Cầu", discovered_on=D(2025, 1, 1)
    )
    hotspot_services.hotspot_change_status(
        actor=officer_a, hotspot=a2, to_status="eliminated", changed_on=D(2025, 6, 1)
    )
    make_hotspot(officer_b, world.commune_b, name="Nhà nghỉ Sông Lô")

    assert names(selectors.hotspot_list(user=officer_a)) == ["Lán bãi sông", "Nhà nghỉ Hoa Mai"]
    assert len(selectors.hotspot_list(user=province_staff)) == 3
    assert names(selectors.hotspot_list(user=officer_a, filters=HotspotFilters(q="nha nghi"))) == [a1.name]
    assert names(selectors.hotspot_list(user=officer_a, filters=HotspotFilters(q="DONG cau"))) == [a2.name]
    assert names(selectors.hotspot_list(user=officer_a, filters=HotspotFilters(q="mai nha"))) == [a1.name]
    assert names(selectors.hotspot_list(user=officer_a, filters=HotspotFilters(kind="hotspot"))) == [a1.name]
    assert names(selectors.hotspot_list(user=officer_a, filters=HotspotFilters(status="eliminated"))) == [a2.name]
    assert names(selectors.hotspot_list(user=officer_a, filters=HotspotFilters(open_only=True))) == [a1.name]
    assert len(selectors.hotspot_list(user=province_staff, filters=HotspotFilters(commune=world.commune_b.pk))) == 1


def test_crime_case_list_searches_offenders_and_filters_dates(world, officer_a, officer_b):
    hung = make_crime_case(
        officer_a,
        world.commune_a,
        occurred_on=D(2025, 3, 1),
        article="249",
        offenders=[offender("Nguyễn Văn Hùng", arrested_on=D(2025, 3, 1))],
    )
    later = make_crime_case(officer_a, world.commune_a, occurred_on=D(2026, 1, 5), summary="Vận chuyển heroin qua cầu")
    make_crime_case(officer_b, world.commune_b, offenders=[offender("Nguyễn Văn Hùng")])

    def numbers(**kw):
        return [c.number for c in selectors.crime_case_list(user=officer_a, filters=CrimeCaseFilters(**kw))]

    assert numbers() == [later.number, hung.number]
    assert numbers(q="nguyen van hung") == [hung.number]
    assert numbers(q="van chuyen") == [later.number]
    assert numbers(q=hung.number.lower()) == [hung.number]
    assert numbers(article="249") == [hung.number]
    assert numbers(date_from=D(2025, 12, 1)) == [later.number]
    assert numbers(date_to=D(2025, 12, 1)) == [hung.number]


def test_cultivation_list_filters(world, officer_a):
    poppy = make_cultivation(officer_a, world.commune_a, village="Thôn Khuôn Khoai", found_on=D(2025, 2, 1))
    hemp = make_cultivation(officer_a, world.commune_a, species="cannabis", destroyed=False, village="Thôn Nà Mè")

    def numbers(**kw):
        return {c.number for c in selectors.cultivation_list(user=officer_a, filters=CultivationFilters(**kw))}

    assert numbers(q="khuon khoai") == {poppy.number}
    assert numbers(species="cannabis") == {hemp.number}
    assert numbers(destroyed="0") == {hemp.number}
    assert numbers(destroyed="1") == {poppy.number}
    assert numbers(date_to=D(2025, 12, 31)) == {poppy.number}


def _list_queries(user) -> list[int]:
    counts = []
    for view in RegisterListView.tabs:  # one list per kind, with its selector
        selector = view.selector
        user.__dict__.pop("_pcmt_visible_unit_ids", None)  # as on a fresh request
        with assert_query_budget() as queries:
            rows = list(selector(user=user))
            for r in rows:  # what the list pages show of each row
                _shown = (r.commune.full_name, r.recorded_unit.full_name if r.recorded_unit_id else "")
        counts.append(queries.count)
    return counts


def _add_rows(officer, world, n):
    for i in range(n):
        for model in register_models():
            samples = factory_of(model).samples
            former = world.former_a if i % 2 else None
            make_record(model, officer, world.commune_a, recorded_unit=former, **samples[i % len(samples)])


def test_list_queries_are_the_same_for_3_and_30_rows(world, officer_a):
    _add_rows(officer_a, world, 3)
    with_3 = _list_queries(officer_a)
    _add_rows(officer_a, world, 27)
    with_30 = _list_queries(officer_a)
    assert with_3 == with_30
    assert max(with_30) <= 4  # permissions, scope, the rows


# --- period aggregates ---------------------------------------------------------------------------


@pytest.fixture
def hotspot_history(world, officer_a, officer_b):
    """Hand-made histories (comments give the verdict for the year 2024)."""
    a = world.commune_a
    make_hotspot(officer_a, a, name="H1 active since 2024", discovered_on=D(2024, 1, 10))  # yes
    h2 = make_hotspot(officer_a, a, name="H2 eliminated mid-2024", discovered_on=D(2024, 2, 1))  # yes
    hotspot_services.hotspot_change_status(
        actor=officer_a, hotspot=h2, to_status="eliminated", changed_on=D(2024, 6, 30)
    )
    make_hotspot(officer_a, a, name="H3 discovered 2025", discovered_on=D(2025, 3, 1))  # no
    make_hotspot(officer_a, a, name="H4 harbouring", kind=HotspotKind.HARBOURING, discovered_on=D(2023, 5, 1))  # yes
    h5 = make_hotspot(officer_a, a, name="H5 eliminated 2023, back 2025", discovered_on=D(2023, 1, 1))  # no
    hotspot_services.hotspot_change_status(
        actor=officer_a, hotspot=h5, to_status="eliminated", changed_on=D(2023, 12, 1)
    )
    hotspot_services.hotspot_change_status(
        actor=officer_a, hotspot=h5, to_status="reemerged", changed_on=D(2025, 2, 1)
    )
    h6 = make_hotspot(officer_a, a, name="H6 eliminated 2023, back mid-2024", discovered_on=D(2023, 1, 1))  # yes
    hotspot_services.hotspot_change_status(
        actor=officer_a, hotspot=h6, to_status="eliminated", changed_on=D(2023, 11, 1)
    )
    hotspot_services.hotspot_change_status(
        actor=officer_a, hotspot=h6, to_status="reemerged", changed_on=D(2024, 8, 1)
    )
    make_hotspot(officer_a, a, name="H7 under surveillance", discovered_on=D(2022, 1, 1), status="surveillance")  # yes
    make_hotspot(officer_b, world.commune_b, name="B1", discovered_on=D(2024, 5, 5), kind=HotspotKind.HARBOURING)
    return world


def test_hotspots_active_between_matches_hand_counts(hotspot_history):
    w = hotspot_history
    communes = [w.commune_a.pk, w.commune_b.pk]
    with assert_query_budget(exactly=1):
        year_2024 = selectors.hotspots_active_between(communes, D(2024, 1, 1), D(2024, 12, 31))
    assert dict(year_2024) == {w.commune_a.pk: 5, w.commune_b.pk: 1}  # H1 H2 H4 H6 H7 | B1
    assert dict(selectors.hotspots_active_between(communes, D(2024, 7, 1), D(2024, 12, 31))) == {
        w.commune_a.pk: 4,  # H2 was eliminated before the period
        w.commune_b.pk: 1,
    }
    assert selectors.hotspots_active_between(communes, D(2024, 6, 30), D(2024, 6, 30))[w.commune_a.pk] == 4
    assert selectors.hotspots_active_between(communes, D(2025, 1, 1), D(2025, 12, 31))[w.commune_a.pk] == 6
    harbouring = selectors.hotspots_active_between(communes, D(2024, 1, 1), D(2024, 12, 31), kinds=["harbouring"])
    assert dict(harbouring) == {w.commune_a.pk: 1, w.commune_b.pk: 1}
    # Nothing before any discovery; a commune without hotspots reads as 0.
    assert selectors.hotspots_active_between(communes, D(2021, 1, 1), D(2021, 12, 31))[w.commune_a.pk] == 0


def test_hotspots_active_many_agrees_with_the_one_window_query(hotspot_history):
    w = hotspot_history
    communes = [w.commune_a.pk, w.commune_b.pk]
    # every boundary the histories have (discoveries, eliminations, re-emergences), each side of it
    days = sorted(
        {D(y, m, d) for y in (2021, 2023, 2024, 2025) for m, d in ((1, 1), (2, 1), (6, 30), (8, 1), (12, 31))}
    )
    windows = [(a, b) for a in days for b in days if a <= b]
    with assert_query_budget(exactly=2):
        many = selectors.hotspots_active_many(communes, windows)
    for (start, end), counts in zip(windows, many, strict=True):
        assert dict(counts) == {k: v for k, v in selectors.hotspots_active_between(communes, start, end).items() if v}
    assert selectors.hotspots_active_many(communes, []) == []


def test_hotspots_active_between_accepts_querysets_ids_and_units(hotspot_history):
    w = hotspot_history
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    expected = {w.commune_a.pk: 5}
    with assert_query_budget(exactly=1):  # the queryset becomes a subquery, not a second query
        from_qs = selectors.hotspots_active_between(AdministrativeUnit.objects.filter(pk=w.commune_a.pk), start, end)
    assert dict(from_qs) == expected
    assert dict(selectors.hotspots_active_between([w.commune_a], start, end)) == expected
    ids = AdministrativeUnit.objects.filter(pk=w.commune_a.pk).values_list("pk", flat=True)
    assert dict(selectors.hotspots_active_between(ids, start, end)) == expected


def test_hotspots_without_history_fall_back_to_the_elimination_date(world):
    """Rows written without the services (e.g. other apps' fixtures) follow the plain rule."""
    Hotspot.objects.create(
        commune=world.commune_a,
        kind="point",
        name="Raw",
        name_key="raw",
        discovered_on=D(2023, 1, 1),
        status="eliminated",
        status_since=D(2023, 6, 1),
        eliminated_on=D(2023, 6, 1),
    )
    ids = [world.commune_a.pk]
    assert selectors.hotspots_active_between(ids, D(2023, 1, 1), D(2023, 12, 31))[world.commune_a.pk] == 1
    assert selectors.hotspots_active_between(ids, D(2024, 1, 1), D(2024, 12, 31))[world.commune_a.pk] == 0


def test_crime_totals_between_matches_hand_counts(world, officer_a, officer_b):
    make_crime_case(
        officer_a,
        world.commune_a,
        occurred_on=D(2025, 2, 1),
        offenders_count=3,
        heroin_g=Decimal("1.5"),
        synthetic_g=Decimal("10.25"),
        synthetic_tablets=40,
        offenders=[offender("A", arrested_on=D(2025, 2, 1))],
    )
    make_crime_case(
        officer_a,
        world.commune_a,
        occurred_on=D(2025, 12, 31),
        article="249",
        offenders_count=1,
        synthetic_g=Decimal("2"),
    )
    make_crime_case(officer_a, world.commune_a, occurred_on=D(2024, 12, 31), offenders_count=5)  # before
    make_crime_case(
        officer_b, world.commune_b, occurred_on=D(2025, 6, 1), cannabis_g=Decimal("0.125"), offenders_count=2
    )
    ids = [world.commune_a.pk, world.commune_b.pk]
    with assert_query_budget(exactly=1):
        totals = selectors.crime_totals_between(ids, D(2025, 1, 1), D(2025, 12, 31))
    assert totals[world.commune_a.pk] == {
        "cases": 2,
        "offenders": 4,
        "heroin_g": Decimal("1.500"),
        "synthetic_g": Decimal("12.250"),
        "cannabis_g": Decimal("0.000"),
        "other_g": Decimal("0.000"),
        "synthetic_tablets": 40,
    }
    assert totals[world.commune_b.pk]["cannabis_g"] == Decimal("0.125")
    only_249 = selectors.crime_totals_between(ids, D(2025, 1, 1), D(2025, 12, 31), articles=["249"])
    assert (only_249[world.commune_a.pk]["cases"], only_249[world.commune_b.pk]["cases"]) == (1, 0)
    assert selectors.crime_totals_between(ids, D(2020, 1, 1), D(2020, 12, 31))[world.commune_a.pk]["cases"] == 0


def test_cultivation_totals_between_matches_hand_counts(world, officer_a, officer_b):
    make_cultivation(officer_a, world.commune_a, found_on=D(2025, 1, 20), plants=1200, area_m2=Decimal("300.5"))
    make_cultivation(
        officer_a, world.commune_a, found_on=D(2025, 3, 2), plants=800, area_m2=Decimal("0"), destroyed=False
    )
    make_cultivation(officer_a, world.commune_a, found_on=D(2024, 2, 2), plants=99)  # before
    make_cultivation(officer_b, world.commune_b, found_on=D(2025, 2, 2), plants=0, area_m2=Decimal("12.25"))
    communes = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True)
    with assert_query_budget(exactly=1):
        totals = selectors.cultivation_totals_between(communes, D(2025, 1, 1), D(2025, 12, 31))
    assert totals[world.commune_a.pk] == {"finds": 2, "plants": 2000, "area_m2": Decimal("300.50")}
    assert totals[world.commune_b.pk] == {"finds": 1, "plants": 0, "area_m2": Decimal("12.25")}
    destroyed = selectors.cultivation_totals_between(communes, D(2025, 1, 1), D(2025, 12, 31), destroyed_only=True)
    assert destroyed[world.commune_a.pk] == {"finds": 1, "plants": 1200, "area_m2": Decimal("300.50")}
    assert (
        selectors.cultivation_totals_between(communes, D(2020, 1, 1), D(2020, 2, 1))[world.commune_a.pk]["plants"] == 0
    )
