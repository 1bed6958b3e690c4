"""Reads: search, filters, scoping, constant query counts, worklist buckets, duplicates."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.cases import selectors, services
from apps.cases.choices import AgeBand, CaseType, Status, Whereabouts
from apps.cases.models import CaseFile, Ethnicity
from apps.cases.selectors import CaseFilters, case_list
from apps.cases.workflow import add_months
from tests.factories.cases import advance, make_case


def pks(qs):
    return {c.pk for c in qs}


def search(user, text):
    return pks(case_list(user=user, filters=CaseFilters(q=text)))


# --- search --------------------------------------------------------------------------------------


@pytest.fixture
def people(world, officer_a):
    return {
        "hung": make_case(
            officer_a,
            world.commune_a,
            full_name="Nguyễn Văn Hùng",
            aliases="Hùng còi",
            birth_year=1990,
            sex="M",
            citizen_id="008090001234",
            current_village="Thôn Đồng Cầu",
        ),
        "dang": make_case(officer_a, world.commune_a, full_name="Đặng Văn Tuấn", birth_year=1985, sex="M"),
        "lan": make_case(officer_a, world.commune_a, full_name="Trần Thị Lan", birth_year=1995, sex="F"),
        "dung": make_case(officer_a, world.commune_a, full_name="Nguyễn Văn Dũng", birth_year=1987, sex="M"),
    }


def test_search_ignores_diacritics(people, officer_a):
    assert search(officer_a, "nguyen van hung") == {people["hung"].pk}
    assert search(officer_a, "NGUYỄN VĂN HÙNG") == {people["hung"].pk}
    assert search(officer_a, "nguyen van") == {people["hung"].pk, people["dung"].pk}


def test_search_ignores_word_order(people, officer_a):
    assert search(officer_a, "hung nguyen") == {people["hung"].pk}
    assert search(officer_a, "  Hùng   Nguyễn ") == {people["hung"].pk}


def test_search_maps_d_stroke_to_d(people, officer_a):
    assert search(officer_a, "dang") == {people["dang"].pk}
    assert search(officer_a, "Đặng tuấn") == {people["dang"].pk}


def test_search_by_citizen_id_alias_and_village(people, officer_a):
    assert search(officer_a, "008090001234") == {people["hung"].pk}
    assert search(officer_a, "8090001234") == {people["hung"].pk}  # part of the number
    assert search(officer_a, "hung coi") == {people["hung"].pk}
    assert search(officer_a, "còi") == {people["hung"].pk}
    assert search(officer_a, "dong cau") == {people["hung"].pk}


def test_search_needs_every_word(people, officer_a):
    assert search(officer_a, "nguyen lan") == set()
    assert search(officer_a, "") == {c.pk for c in people.values()}


# --- filters -------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(world, officer_a, officer_b):
    """A hand-built set covering each filter value, in both communes."""
    year = timezone.localdate().year
    kinh, tay, dao = (Ethnicity.objects.get(name=n) for n in ("Kinh", "Tày", "Dao"))
    files = {
        # name: (officer, commune, person/case fields, substances)
        "a_kinh_m_age40_meth": make_case(
            officer_a, world.commune_a, sex="M", birth_year=year - 40, ethnicity=kinh, substances=["meth"]
        ),
        "a_tay_f_age25_heroin_addict": make_case(
            officer_a,
            world.commune_a,
            full_name="Ma Thị Hương",
            sex="F",
            birth_year=year - 25,
            ethnicity=tay,
            case_type=CaseType.ADDICT,
            substances=["heroin", "meth"],
        ),
        "a_dao_m_age15": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 15, ethnicity=dao),
        "a_age10": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 10),
        "a_age14": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 14),
        "a_age16": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 16),
        "a_age17": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 17),
        "a_age18": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 18),
        "a_age30": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 30),
        "a_age31": make_case(officer_a, world.commune_a, sex="M", birth_year=year - 31),
        "b_kinh_f_age40_cannabis": make_case(
            officer_b,
            world.commune_b,
            full_name="Lê Thị Mai",
            sex="F",
            birth_year=year - 40,
            ethnicity=kinh,
            substances=["cannabis"],
        ),
    }
    positive = advance(officer_a, files["a_age31"], "positive_test", dt.date(2026, 1, 10))
    files["a_age31"] = positive
    return files


def matching(catalogue, user, **filters):
    found = pks(case_list(user=user, filters=CaseFilters(**filters)))
    return {name for name, case in catalogue.items() if case.pk in found}


def test_filter_by_status(catalogue, province_staff):
    assert matching(catalogue, province_staff, status=Status.POSITIVE) == {"a_age31"}
    assert len(matching(catalogue, province_staff, status=Status.SIGNS)) == len(catalogue) - 1


def test_filter_open_only_hides_closed_files(catalogue, officer_a):
    closed = advance(officer_a, catalogue["a_age10"], "negative_test", dt.date(2026, 1, 10))
    assert closed.status == Status.CLOSED
    assert "a_age10" not in matching(catalogue, officer_a, open_only=True)
    assert "a_age10" in matching(catalogue, officer_a)


def test_filter_by_case_type(catalogue, province_staff):
    assert matching(catalogue, province_staff, case_type=CaseType.ADDICT) == {"a_tay_f_age25_heroin_addict"}


def test_filter_by_substance(catalogue, province_staff):
    assert matching(catalogue, province_staff, substance="meth") == {
        "a_kinh_m_age40_meth",
        "a_tay_f_age25_heroin_addict",
    }
    assert matching(catalogue, province_staff, substance="heroin") == {"a_tay_f_age25_heroin_addict"}
    assert matching(catalogue, province_staff, substance="cannabis") == {"b_kinh_f_age40_cannabis"}
    assert matching(catalogue, province_staff, substance="ketamine") == set()


def test_filter_by_sex(catalogue, province_staff):
    assert matching(catalogue, province_staff, sex="F") == {"a_tay_f_age25_heroin_addict", "b_kinh_f_age40_cannabis"}


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        (AgeBand.UNDER_14, {"a_age10"}),
        (AgeBand.FROM_14, {"a_age14", "a_dao_m_age15"}),
        (AgeBand.FROM_16, {"a_age16", "a_age17"}),
        (AgeBand.FROM_18, {"a_age18", "a_tay_f_age25_heroin_addict", "a_age30"}),
        (AgeBand.OVER_30, {"a_age31", "a_kinh_m_age40_meth", "b_kinh_f_age40_cannabis"}),
    ],
)
def test_filter_by_age_band_from_birth_year(catalogue, province_staff, band, expected):
    # Age = this year − birth year; bands of QĐ 13/2019: <14, 14–<16, 16–<18, 18–30, >30.
    assert matching(catalogue, province_staff, age_band=band) == expected


def test_age_bands_partition_everyone(catalogue, province_staff):
    seen = []
    for band in AgeBand.values:
        seen.extend(matching(catalogue, province_staff, age_band=band))
    assert sorted(seen) == sorted(catalogue)


def test_filter_by_ethnicity(catalogue, province_staff):
    kinh = Ethnicity.objects.get(name="Kinh")
    tay = Ethnicity.objects.get(name="Tày")
    assert matching(catalogue, province_staff, ethnicity=kinh.pk) == {
        "a_kinh_m_age40_meth",
        "b_kinh_f_age40_cannabis",
    }
    assert matching(catalogue, province_staff, ethnicity=tay.pk) == {"a_tay_f_age25_heroin_addict"}


def test_filter_by_commune(world, catalogue, province_staff):
    assert matching(catalogue, province_staff, commune=world.commune_b.pk) == {"b_kinh_f_age40_cannabis"}
    assert len(matching(catalogue, province_staff, commune=world.commune_a.pk)) == len(catalogue) - 1


def test_filters_combine(catalogue, province_staff):
    kinh = Ethnicity.objects.get(name="Kinh")
    assert matching(catalogue, province_staff, ethnicity=kinh.pk, sex="F") == {"b_kinh_f_age40_cannabis"}
    assert matching(catalogue, province_staff, substance="meth", age_band=AgeBand.OVER_30) == {"a_kinh_m_age40_meth"}


def test_officer_a_never_sees_commune_b(world, catalogue, officer_a, officer_b):
    visible = matching(catalogue, officer_a)
    assert visible == {n for n in catalogue if n.startswith("a_")}
    # not even when asking for commune B explicitly, nor when searching B's person
    assert matching(catalogue, officer_a, commune=world.commune_b.pk) == set()
    assert search(officer_a, "le thi mai") == set()
    assert matching(catalogue, officer_b) == {"b_kinh_f_age40_cannabis"}


def test_sorts(catalogue, province_staff):
    by_birth = list(case_list(user=province_staff, filters=CaseFilters(sort="birth")))
    years = [c.person.birth_year for c in by_birth]
    assert years == sorted(years)
    by_number = [c.file_number for c in case_list(user=province_staff, filters=CaseFilters(sort="-number"))]
    assert by_number == sorted(by_number, reverse=True)


# --- query counts ----------------------------------------------------------------------------------


def _make_files(world, officer_a, n):
    for i in range(n):
        case = make_case(
            officer_a,
            world.commune_a,
            ethnicity=Ethnicity.objects.get(name="Kinh"),
            substances=["meth", "heroin"] if i % 2 else ["cannabis"],
            detected_on=dt.date(2026, 1, 5),
        )
        if i % 3 == 0:
            advance(officer_a, case, "positive_test", dt.date(2026, 1, 10))


def _count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def _read_list(user):
    rows = list(case_list(user=user, filters=CaseFilters(open_only=True)))
    # Touch everything a list row shows.
    for case in rows:
        _ = (case.person.full_name, case.person.ethnicity, case.commune.full_name, case.get_status_display())
        _ = [s.name for s in case.substances.all()]
    return rows


def _read_worklist(user):
    result = selectors.worklist(user=user)
    for case in result.overdue + result.due_soon + result.returned:
        _ = (case.person.full_name, case.commune.full_name, case.due_label)
    return result


@pytest.mark.parametrize("reader", [_read_list, _read_worklist])
def test_list_and_worklist_query_counts_do_not_grow_with_rows(world, officer_a, reader):
    _make_files(world, officer_a, 3)
    reader(officer_a)  # warm caches (permissions, content types)
    few = _count_queries(lambda: reader(officer_a))
    _make_files(world, officer_a, 27)
    assert CaseFile.objects.count() == 30
    many = _count_queries(lambda: reader(officer_a))
    assert few == many, (few, many)
    assert many <= 8


def test_list_query_count_budget(world, officer_a, django_assert_max_num_queries):
    _make_files(world, officer_a, 30)
    _read_list(officer_a)
    with django_assert_max_num_queries(3):  # the rows (with person, ethnicity, commune) + substances
        rows = _read_list(officer_a)
    assert len(rows) == 30


# --- worklist --------------------------------------------------------------------------------------


def _managed_since(officer, commune, decision: dt.date, **kw):
    case = make_case(officer, commune, detected_on=decision - dt.timedelta(days=10), **kw)
    case = advance(officer, case, "positive_test", decision - dt.timedelta(days=5))
    return advance(officer, case, "management_decision", decision, decision_number="9/QĐ-UBND")


def _visit(officer, case, day):
    services.case_add_event(
        actor=officer, case=case, kind="home_visit", data=services.EventInput(event_date=day, result="Bình thường")
    )
    return CaseFile.objects.get(pk=case.pk)


def _released(officer, commune, court_day: dt.date, release_day: dt.date):
    case = make_case(officer, commune, detected_on=court_day - dt.timedelta(days=50))
    case = advance(officer, case, "refer_determination", court_day - dt.timedelta(days=45))
    case = advance(officer, case, "addicted", court_day - dt.timedelta(days=40), facility="TTYT khu vực")
    # "Did not register": only once the 5 working days after the result have passed.
    case = advance(officer, case, "compulsory_dossier", court_day - dt.timedelta(days=20))
    case = advance(
        officer,
        case,
        "court_compulsory",
        court_day,
        decision_number="11/2025/QĐ-TA",
        facility="Cơ sở cai nghiện bắt buộc tỉnh",
        end_date=add_months(court_day, 12),
    )
    return advance(officer, case, "facility_release", release_day)


def test_worklist_buckets(world, officer_a, officer_b):
    today = timezone.localdate()
    days = dt.timedelta

    # Decision 100 days ago, never visited: the 30-day visit was due 70 days ago.
    overdue = _managed_since(officer_a, world.commune_a, today - days(100))
    assert overdue.due_date == today - days(70)
    # Same, but visited 10 days ago: next visit in 20 days.
    soon = _visit(officer_a, _managed_since(officer_a, world.commune_a, today - days(100)), today - days(10))
    assert soon.due_date == today + days(20)
    # In prison: no visits, the period ends in about a year.
    later = _managed_since(officer_a, world.commune_a, today - days(10), whereabouts=Whereabouts.PRISON)
    assert later.due_date == add_months(today - days(10), 12)
    # Back from compulsory rehab 20 days ago, no visit since; another one visited after release.
    returned = _released(officer_a, world.commune_a, today - days(400), today - days(20))
    visited = _visit(
        officer_a, _released(officer_a, world.commune_a, today - days(400), today - days(20)), today - days(5)
    )
    # Management decided ~11.5 months ago and visited recently: the legal period ends within 30 days.
    ending = _visit(officer_a, _managed_since(officer_a, world.commune_a, today - days(350)), today - days(3))
    assert today <= ending.period_end <= today + days(30)
    # Closed file with an old due date, and an overdue file in another commune.
    closed = advance(officer_a, _managed_since(officer_a, world.commune_a, today - days(100)), "close", today,
                     close_reason="death")  # fmt: skip
    other = _managed_since(officer_b, world.commune_b, today - days(100))

    result = selectors.worklist(user=officer_a, on=today)
    assert pks(result.overdue) == {overdue.pk}
    # "Ending within 30 days" is about legal periods: routine visits due soon are not listed there.
    assert pks(result.due_soon) == {ending.pk}
    assert pks(result.returned) == {returned.pk}
    assert result.counts == {"overdue": 1, "due_soon": 1, "returned": 1, "open": 6, "expired": 0}
    all_listed = pks(result.overdue) | pks(result.due_soon) | pks(result.returned)
    assert not {later.pk, closed.pk, other.pk, soon.pk, visited.pk} & all_listed

    # Officer B sees only their overdue file.
    result_b = selectors.worklist(user=officer_b, on=today)
    assert pks(result_b.overdue) == {other.pk}
    assert result_b.counts["open"] == 1


def test_worklist_orders_overdue_by_due_date(world, officer_a):
    today = timezone.localdate()
    older = _managed_since(officer_a, world.commune_a, today - dt.timedelta(days=200))
    newer = _managed_since(officer_a, world.commune_a, today - dt.timedelta(days=100))
    result = selectors.worklist(user=officer_a, on=today)
    assert [c.pk for c in result.overdue] == [older.pk, newer.pk]


# --- duplicates ----------------------------------------------------------------------------------------


@pytest.fixture
def in_b(world, officer_b):
    return make_case(
        officer_b,
        world.commune_b,
        full_name="Hoàng Văn Sơn",
        birth_year=1985,
        date_of_birth=dt.date(1985, 7, 14),
        sex="M",
        citizen_id="008085004321",
    )


def test_duplicates_find_across_communes_reveals_only_the_commune(world, officer_a, in_b):
    matches = selectors.duplicates_find(user=officer_a, full_name="hoang van son", birth_year=1985, sex="M")
    assert len(matches) == 1
    match = matches[0]
    assert match.person.pk == in_b.person_id
    assert [u.full_name for u in match.communes] == ["Phường Minh Xuân"]
    assert match.visible_case_ids == []
    assert match.reason == "name"


def test_duplicates_find_word_order_and_citizen_id(world, officer_a, in_b):
    assert len(selectors.duplicates_find(user=officer_a, full_name="Sơn Hoàng Văn", birth_year=1985, sex="M")) == 1
    by_id = selectors.duplicates_find(
        user=officer_a, full_name="Another Name", birth_year=2000, sex="F", citizen_id="008085004321"
    )
    assert [m.reason for m in by_id] == ["CCCD"]
    # different birth year or sex: not a match
    assert selectors.duplicates_find(user=officer_a, full_name="Hoàng Văn Sơn", birth_year=1986, sex="M") == []
    assert selectors.duplicates_find(user=officer_a, full_name="Hoàng Văn Sơn", birth_year=1985, sex="F") == []


def test_duplicates_find_visible_ids_for_those_in_scope(world, officer_b, province_staff, in_b):
    for user in (officer_b, province_staff):
        (match,) = selectors.duplicates_find(user=user, full_name="Hoàng Văn Sơn", birth_year=1985, sex="M")
        assert match.visible_case_ids == [in_b.pk]


def test_duplicates_find_ignores_merged_people(world, officer_a, province_staff, in_b):
    twin = make_case(officer_a, world.commune_a, full_name="Hoàng Văn Sơn", birth_year=1985, sex="M")
    services.person_merge(actor=province_staff, keep=in_b.person, merge=twin.person, reason="Cùng một người")
    matches = selectors.duplicates_find(user=province_staff, full_name="Hoàng Văn Sơn", birth_year=1985, sex="M")
    assert [m.person.pk for m in matches] == [in_b.person_id]
    assert sorted(matches[0].visible_case_ids) == sorted([in_b.pk, twin.pk])
    assert {u.pk for u in matches[0].communes} == {world.commune_a.pk, world.commune_b.pk}


def test_duplicate_candidates_include_people_with_the_same_citizen_id(world, officer_a, officer_b, province_staff):
    """The docstring promises pairs "with the same name key, birth year and sex (or CCCD)": the
    same CCCD under two spellings of a name is the strongest sign of a duplicate."""
    a = make_case(officer_a, world.commune_a, full_name="Nguyễn Văn Hùng", birth_year=1990, citizen_id="008090001234")
    b = make_case(officer_b, world.commune_b, full_name="Nguyễn Văn Hưng", birth_year=1991, citizen_id="008090001234")
    pairs = {(x.pk, y.pk) for x, y in selectors.duplicate_candidates(user=province_staff)}
    assert pairs == {tuple(sorted((a.person_id, b.person_id)))}
