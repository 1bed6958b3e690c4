"""Selectors: coverage against a hand count, lists without duplicate rows, diacritic-free search,
filters, scope."""

import datetime as dt

import pytest
from django.http import Http404

from apps.prevention import selectors, services
from apps.prevention.choices import HighRiskStatus
from tests.factories.prevention import make_activity, make_person
from tests.utils import assert_query_budget

D = dt.date
YEAR_2026 = (D(2026, 1, 1), D(2026, 12, 31))
YEAR_2025 = (D(2025, 1, 1), D(2025, 12, 31))


@pytest.fixture
def scenario(world, officer_a, officer_b, province_staff):
    """Commune A: P1–P5 active, P6 moved (reached before moving), P7 removed. Commune B: Q1, Q2.

    Act1 (A, 10/02/2026) reached P1, P2, P6; Act2 (A, 28/12/2025 – 03/01/2026) reached P3;
    Act3 (A, 01/06/2025) reached P4; Act4 (A + B, by the province, 01/03/2026) reached P1, Q1.
    """
    p = {i: make_person(officer_a, world.commune_a, full_name=f"Người Xã A {i}") for i in range(1, 8)}
    q = {i: make_person(officer_b, world.commune_b, full_name=f"Người Xã B {i}") for i in range(1, 3)}
    acts = {
        1: make_activity(officer_a, world.commune_a, date_from=D(2026, 2, 10), reached=[p[1], p[2], p[6]]),
        2: make_activity(officer_a, world.commune_a, date_from=D(2025, 12, 28), date_to=D(2026, 1, 3), reached=[p[3]]),
        3: make_activity(officer_a, world.commune_a, date_from=D(2025, 6, 1), reached=[p[4]]),
        4: make_activity(
            province_staff,
            world.commune_a,
            world.commune_b,
            title="Mít tinh hưởng ứng Tháng hành động",
            date_from=D(2026, 3, 1),
            reached=[p[1], q[1]],
        ),
    }
    for i, status in ((6, HighRiskStatus.MOVED), (7, HighRiskStatus.REMOVED)):
        person = p[i]
        services.highrisk_update(
            actor=officer_a,
            entry=person,
            data=services.HighRiskInput(
                commune=person.commune,
                full_name=person.full_name,
                birth_year=person.birth_year,
                sex=person.sex,
                category=person.category,
                village=person.village,
                status=status,
            ),
            expected_version=person.version,
        )
    return p, q, acts


def names(people):
    return sorted(x.full_name for x in people)


def test_coverage_matches_the_hand_count(world, officer_a, scenario):
    p, _q, _acts = scenario
    # 2026: active P1–P5 (P6 moved, P7 removed are out); reached P1 (Act1, Act4), P2 (Act1),
    # P3 (Act2 overlaps 01/01–03/01/2026); not reached P4 (only in 2025), P5 (never).
    cov = selectors.coverage(user=officer_a, commune=world.commune_a, start=YEAR_2026[0], end=YEAR_2026[1])
    assert (cov.total, cov.reached_count, str(cov.ratio)) == (5, 3, "60.0")
    assert names(cov.reached) == names([p[1], p[2], p[3]])
    assert names(cov.not_reached) == names([p[4], p[5]])
    assert {x.full_name: x.reach_count for x in cov.reached}[p[1].full_name] == 2
    # 2025: P3 (Act2 starts 28/12/2025) and P4 (Act3) → 2 of 5.
    cov = selectors.coverage(user=officer_a, commune=world.commune_a, start=YEAR_2025[0], end=YEAR_2025[1])
    assert (cov.total, cov.reached_count, str(cov.ratio)) == (5, 2, "40.0")
    assert names(cov.not_reached) == names([p[1], p[2], p[5]])
    # one day with no activity
    cov = selectors.coverage(user=officer_a, commune=world.commune_a, start=D(2026, 5, 1), end=D(2026, 5, 1))
    assert (cov.reached_count, len(cov.not_reached)) == (0, 5)


def test_coverage_counts_and_per_commune_table_agree(world, province_staff, scenario):
    total, reached = selectors.coverage_counts(commune_ids=[world.commune_a.pk], start=YEAR_2026[0], end=YEAR_2026[1])
    assert (total, reached) == (5, 3)
    rows = selectors.coverage_by_commune(user=province_staff, start=YEAR_2026[0], end=YEAR_2026[1])
    assert [(r.name, r.total, r.reached, str(r.ratio)) for r in rows] == [
        ("Phường Minh Xuân", 2, 1, "50.0"),
        ("Xã Trung Sơn", 5, 3, "60.0"),
    ]


def test_coverage_of_a_commune_out_of_scope_is_404(world, officer_b, scenario):
    with pytest.raises(Http404):
        selectors.coverage(user=officer_b, commune=world.commune_a, start=YEAR_2026[0], end=YEAR_2026[1])


def test_coverage_is_two_queries_whatever_the_register_size(world, officer_a, scenario):
    with assert_query_budget(4) as few:
        selectors.coverage(user=officer_a, commune=world.commune_a, start=YEAR_2026[0], end=YEAR_2026[1])
    for i in range(20):
        make_person(officer_a, world.commune_a, full_name=f"Thêm Người {i}")
    with assert_query_budget(exactly=few.count):
        cov = selectors.coverage(user=officer_a, commune=world.commune_a, start=YEAR_2026[0], end=YEAR_2026[1])
    assert cov.total == 25


def test_multi_commune_activity_is_listed_once_and_visible_to_both_communes(
    world, officer_a, officer_b, province_staff, scenario
):
    _p, _q, acts = scenario
    staff = list(selectors.activity_list(user=province_staff))
    assert len(staff) == len({a.pk for a in staff}) == 4
    assert [a.pk for a in selectors.activity_list(user=officer_b)] == [acts[4].pk]
    assert {a.pk for a in selectors.activity_list(user=officer_a)} == {a.pk for a in acts.values()}
    got = selectors.activity_get(user=province_staff, pk=acts[4].pk)
    assert got.pk == acts[4].pk
    assert selectors.activity_fully_in_scope(province_staff, got)
    assert not selectors.activity_fully_in_scope(officer_a, got)
    with pytest.raises(Http404):
        selectors.activity_get(user=officer_b, pk=acts[1].pk)


def test_activity_reaches_name_only_the_readers_people(world, officer_a, officer_b, scenario):
    p, q, acts = scenario
    for user, expected in ((officer_a, [p[1]]), (officer_b, [q[1]])):
        reaches = selectors.activity_reaches(user=user, activity=acts[4])
        assert reaches.total == 2
        assert [r.person_id for r in reaches.visible] == [x.pk for x in expected]


def test_search_ignores_diacritics_and_filters_combine(world, officer_a, scenario):
    _p, _q, acts = scenario
    found = selectors.activity_list(user=officer_a, filters=selectors.ActivityFilters(q="mit tinh HUONG ung"))
    assert [a.pk for a in found] == [acts[4].pk]
    period = selectors.ActivityFilters(date_from=D(2026, 1, 1), date_to=D(2026, 1, 31))
    assert [a.pk for a in selectors.activity_list(user=officer_a, filters=period)] == [acts[2].pk]
    commune_b = selectors.ActivityFilters(commune=world.commune_b.pk)
    assert [a.pk for a in selectors.activity_list(user=officer_a, filters=commune_b)] == [acts[4].pk]
    topic = selectors.ActivityFilters(topic="law")
    assert selectors.activity_list(user=officer_a, filters=topic).count() == 4
    assert not selectors.activity_list(user=officer_a, filters=selectors.ActivityFilters(topic="addiction_signs"))
    people = selectors.highrisk_list(user=officer_a, filters=selectors.HighRiskFilters(q="nguoi xa a 1"))
    assert [x.full_name for x in people] == ["Người Xã A 1"]
    everyone = selectors.highrisk_list(user=officer_a, filters=selectors.HighRiskFilters(status=""))
    assert everyone.count() == 7


def test_reach_candidates_are_active_people_of_the_communes_in_scope(world, officer_a, province_staff, scenario):
    p, q, _acts = scenario
    ids = {
        x.pk for x in selectors.reach_candidates(user=officer_a, commune_ids=[world.commune_a.pk, world.commune_b.pk])
    }
    assert ids == {p[i].pk for i in range(1, 6)}
    ids = {
        x.pk
        for x in selectors.reach_candidates(
            user=province_staff, commune_ids=[world.commune_b.pk], include_ids=[p[6].pk]
        )
    }
    assert ids == {q[1].pk, q[2].pk}
