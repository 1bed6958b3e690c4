"""Indicators equal independent counts from the raw records, for a hand-built province covering
every indicator (including records entered under a pre-2025 commune), with constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reporting import demographics, indicators
from apps.reporting.indicators import INDICATORS, compute, compute_many

from .helpers import PREVENTION, Q1, build_province, expected_breakdown, expected_counts


@pytest.fixture
def province(world, officer_a, officer_b, province_staff):
    return build_province(world, officer_a, officer_b, province_staff)


def test_registry_covers_domain_catalogue():
    groups = {d.group for d in INDICATORS.values()}
    assert groups == set(indicators.GROUPS)
    for code in (
        "people_total", "people_users", "people_addicts", "where_community", "where_rehab_facility",
        "where_prison", "where_unknown", "people_new", "rehab_voluntary", "rehab_compulsory", "methadone",
        "post_rehab", "relapses", "hotspots_active", "hotspots_new", "hotspots_eliminated", "crime_cases",
        "crime_offenders", "seized_heroin_g", "seized_synthetic_g", "seized_synthetic_tablets",
        "seized_cannabis_g", "plants_destroyed", "plant_area_m2", "activities", "activity_sessions",
        "activity_participants", "highrisk_registered", "highrisk_reached", "highrisk_coverage_pct",
        "class_type_1", "class_type_2", "class_type_3", "class_drug_free", "class_has_problems",
    ):  # fmt: skip
        assert code in INDICATORS


def test_indicators_equal_independent_counts(world, province):
    communes = [world.commune_a, world.commune_b]
    table = compute(commune_ids=[c.pk for c in communes], start=Q1[0], end=Q1[1])
    expected = expected_counts(communes, *Q1)
    for commune in communes:
        got = table.by_commune[commune.pk]
        for code, value in expected[commune.pk].items():
            assert got[code] == value, (commune.name, code, got[code], value)
    # totals are the sums, except shared activities, counted once
    for code, definition in INDICATORS.items():
        if definition.additive and code in expected[world.commune_a.pk]:
            assert table.total[code] == sum(expected[c.pk][code] for c in communes), code


def test_hand_built_values_are_as_designed(world, province):
    """A few values spelled out, so a wrong helper cannot make both sides agree on nonsense."""
    table = compute(commune_ids=[world.commune_a.pk, world.commune_b.pk], start=Q1[0], end=Q1[1])
    a, b = table.by_commune[world.commune_a.pk], table.by_commune[world.commune_b.pk]
    # A: managed, vol_community, vol_facility; signs_new, former_case (Đạo Viện → Trung Sơn) and
    # transferred are still at "có dấu hiệu": being verified, not under management (issue 10 §1)
    assert a["people_total"] == 3 and a["people_addicts"] == 2 and a["people_users"] == 1
    assert a["people_verifying"] == 3 and a["people_expired"] == 0
    assert a["people_new"] == 3  # signs_new, closed_in_window, former_case
    assert a["where_prison"] == 1 and a["where_rehab_facility"] == 1
    assert a["rehab_voluntary"] == 2 and a["relapses"] == 1
    # B: methadone, compulsory, post_rehab; later_positive and later_closed are at "có dấu hiệu"
    assert b["people_verifying"] == 2
    assert b["people_total"] == 3 and b["methadone"] == 1 and b["rehab_compulsory"] == 1 and b["post_rehab"] == 1
    # registers: the former commune's hotspot, crime case and find count for A
    assert a["hotspots_active"] == 4 and a["hotspots_new"] == 2 and a["hotspots_eliminated"] == 1
    assert b["hotspots_active"] == 0
    assert a["crime_cases"] == 2 and a["crime_offenders"] == 3
    assert str(a["seized_heroin_g"]) == "12.500" and str(a["seized_cannabis_g"]) == "50.000"
    assert a["seized_synthetic_tablets"] == 100 and b["crime_cases"] == 0
    assert a["plants_destroyed"] == 307 and str(a["plant_area_m2"]) == "77.75"
    if PREVENTION:
        assert a["activities"] == 2 and b["activities"] == 1
        assert table.total["activities"] == 2  # the shared one once
        assert table.total["activity_participants"] == 110
        assert a["highrisk_registered"] == 3 and a["highrisk_reached"] == 2
        assert str(a["highrisk_coverage_pct"]) == "66.7"
        assert str(table.total["highrisk_coverage_pct"]) == "75.0"
    else:
        assert a["activities"] is None and "activities" in table.missing


def test_status_history_not_todays_status(world, province):
    """A later window sees the later statuses: the file positive in April is positive in Q2."""
    q2 = (dt.date(2026, 3, 15), dt.date(2026, 6, 14))
    q1t, q2t = compute_many(commune_ids=[world.commune_b.pk], windows=[Q1, q2])
    assert q1t.by_commune[world.commune_b.pk]["people_total"] == 3
    # post_rehab's 1-year term ended on 02/04/2026 without a closing decision: expired, not stock
    assert q2t.by_commune[world.commune_b.pk]["people_total"] == 2
    assert q2t.by_commune[world.commune_b.pk]["people_expired"] == 1
    # later_closed closed (negative) on 01/05, later_positive positive on 01/04: one being verified
    assert q2t.by_commune[world.commune_b.pk]["people_verifying"] == 1
    expected = expected_counts([world.commune_b], *q2)[world.commune_b.pk]
    for code, value in expected.items():
        assert q2t.by_commune[world.commune_b.pk][code] == value, code


def test_transfer_counts_in_the_commune_holding_the_file_then(world, province):
    q4 = (dt.date(2025, 9, 15), dt.date(2025, 12, 14))
    q4t, q1t = compute_many(commune_ids=[world.commune_a.pk, world.commune_b.pk], windows=[q4, Q1])
    expected = expected_counts([world.commune_a, world.commune_b], *q4)
    for commune in (world.commune_a, world.commune_b):
        for code, value in expected[commune.pk].items():
            assert q4t.by_commune[commune.pk][code] == value, (commune.name, code)
    # the file moved on 20/02/2026: in B at the end of Q4 2025, in A at the end of Q1 2026
    b_before = q4t.by_commune[world.commune_b.pk]["people_total"]
    assert b_before == expected[world.commune_b.pk]["people_total"]
    assert q1t.by_commune[world.commune_a.pk]["people_new"] == 3


def test_breakdowns_equal_independent_counts(world, province):
    communes = [world.commune_a, world.commune_b]
    got = demographics.breakdowns(commune_ids=[c.pk for c in communes], end=Q1[1])
    expected = expected_breakdown(communes, Q1[1])
    assert got["total"] == expected["total"] == 6  # the stock only (issue 10 §1)
    assert {i["code"]: i["count"] for i in got["sex"]} == expected["sex"]
    assert {i["code"]: i["count"] for i in got["age_band"]} == expected["age_band"]
    assert {i["code"]: i["count"] for i in got["ethnicity_group"]} == expected["ethnicity_group"]
    substances = {i["code"]: i["count"] for i in got["substance"]}
    assert substances.pop("none") == expected["none"]
    assert {k: v for k, v in substances.items() if v} == expected["substance"]
    assert sum(i["count"] for i in got["age_band"]) == got["total"]


def test_no_personal_data_in_the_structures(world, province):
    from .helpers import SECRET_NAMES

    table = compute(commune_ids=[world.commune_a.pk, world.commune_b.pk], start=Q1[0], end=Q1[1])
    text = repr(table) + repr(demographics.breakdowns(commune_ids=[world.commune_a.pk], end=Q1[1]))
    for name in SECRET_NAMES:
        assert name not in text


def test_empty_commune_list():
    table = compute(commune_ids=[], start=Q1[0], end=Q1[1])
    assert table.by_commune == {} and table.total["people_total"] == 0


def _queries(ids) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute(commune_ids=ids, start=Q1[0], end=Q1[1])
        demographics.breakdowns(commune_ids=ids, end=Q1[1])
    return len(ctx.captured_queries)


def test_constant_number_of_queries_3_vs_30_communes(world, province, officer_a, root):
    from tests.factories.areas import UnitFactory
    from tests.factories.cases import make_case
    from tests.factories.registers import make_crime_case, make_hotspot

    extra = [UnitFactory(parent=world.province, code=str(3000 + n), name=f"Thử {n}") for n in range(28)]
    for unit in extra[:10]:
        make_case(root, unit, detected_on=dt.date(2026, 1, 2))
        make_hotspot(root, unit, discovered_on=dt.date(2026, 1, 3))
        make_crime_case(root, unit, occurred_on=dt.date(2026, 1, 4))
    three = [world.commune_a.pk, world.commune_b.pk, extra[0].pk]
    thirty = [world.commune_a.pk, world.commune_b.pk, *[u.pk for u in extra]]
    assert _queries(three) == _queries(thirty)
    assert _queries(thirty) <= 17  # active hotspots: the hotspots and their history, whatever the windows


def test_windows_add_no_query(world, province):
    with CaptureQueriesContext(connection) as one:
        compute_many(commune_ids=[world.commune_a.pk], windows=[Q1])
    with CaptureQueriesContext(connection) as five:
        windows = [(Q1[0] - dt.timedelta(days=91 * k), Q1[1] - dt.timedelta(days=91 * k)) for k in range(5)]
        tables = compute_many(commune_ids=[world.commune_a.pk], windows=windows)
    assert len(five.captured_queries) == len(one.captured_queries)
    assert tables[0].by_commune == compute_many(commune_ids=[world.commune_a.pk], windows=[Q1])[0].by_commune
