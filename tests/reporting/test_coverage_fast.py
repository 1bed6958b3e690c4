"""``coverage.communes_with_data_between`` reads one has-records flag per commune from the stored
figures (issue 10 §7): the same communes as the definition of ``coverage`` (approved report OR a
non-zero record figure in the window), stored figures on or off, and a change in one commune is
seen at once."""

import datetime as dt

import pytest

from apps.accounts import roles
from apps.reporting import coverage, figures, indicators
from apps.reporting.models import StoredFigures, Submission, SubmissionStatus
from apps.reporting.periods import period_get
from tests.factories.areas import UnitFactory
from tests.factories.registers import make_hotspot

from .helpers import build_province

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


@pytest.fixture
def communes(world, officer_a, officer_b, province_staff):
    """Records only (A, B), an approved report of zeros, nothing at all."""
    build_province(world, officer_a, officer_b, province_staff)
    zeros = UnitFactory(parent=world.province, code="99001", name="Số Không", full_name="Xã Số Không")
    silent = UnitFactory(parent=world.province, code="99002", name="Lặng Im", full_name="Xã Lặng Im")
    Submission.objects.create(
        period=period_get("quarter", 2026, 1), commune=zeros, status=SubmissionStatus.APPROVED, snapshot={}
    )
    return {"a": world.commune_a, "b": world.commune_b, "zeros": zeros, "silent": silent}


def _by_definition(ids: list[int]) -> set[int]:
    """The module docstring's definition over freshly computed figures (no stored figure)."""
    table = indicators.compute(commune_ids=ids, start=START, end=END)
    approved = Submission.objects.filter(
        commune_id__in=ids, status=SubmissionStatus.APPROVED, period__end__range=(START, END)
    ).values_list("commune_id", flat=True)
    return coverage.communes_with_data(table.by_commune, approved)


def _ids(communes) -> list[int]:
    return [c.pk for c in communes.values()]


@pytest.mark.parametrize("precomputed", [True, False])
def test_the_fast_path_finds_the_communes_of_the_definition(communes, settings, precomputed):
    settings.PCMT_FIGURES_PRECOMPUTED = precomputed
    ids = _ids(communes)
    expected = {communes["a"].pk, communes["b"].pk, communes["zeros"].pk}
    assert _by_definition(ids) == expected
    assert coverage.communes_with_data_between(ids, START, END) == expected  # first read: computed, stored
    assert coverage.communes_with_data_between(ids, START, END) == expected  # second: the stored flags


def test_the_flag_is_read_from_stored_rows_without_recomputing(communes, django_assert_max_num_queries):
    ids = _ids(communes)
    coverage.communes_with_data_between(ids, START, END)
    assert StoredFigures.objects.filter(kind=StoredFigures.WINDOW, start=START, end=END).count() == len(ids)
    with django_assert_max_num_queries(4):  # stamps (2), the flags, the approved reports
        assert len(coverage.communes_with_data_between(ids, START, END)) == 3


def test_zero_decimals_and_nulls_are_no_record(communes):
    """A stored row of zeros written as "0.000" (decimals) or null is not a record; one gram is."""
    silent = communes["silent"].pk
    ids = [silent]
    assert figures.communes_with_records(commune_ids=ids, window=(START, END)) == set()
    row = StoredFigures.objects.get(unit_id=silent, kind=StoredFigures.WINDOW, start=START, end=END)
    at = figures._CODES.index("seized_heroin_g")
    assert row.data["v"][at] == "0.000"
    row.data["v"][figures._CODES.index("people_total")] = None
    row.save()
    assert figures.communes_with_records(commune_ids=ids, window=(START, END)) == set()
    row.data["v"][at] = "0.001"
    row.save()
    assert figures.communes_with_records(commune_ids=ids, window=(START, END)) == {silent}


def test_a_change_in_one_commune_is_reflected(communes, world):
    ids = _ids(communes)
    silent = communes["silent"]
    assert silent.pk not in coverage.communes_with_data_between(ids, START, END)
    officer = world.user(roles.COMMUNE_OFFICER, silent, "officer_silent")
    make_hotspot(officer, silent, discovered_on=dt.date(2026, 2, 1))  # its data stamp moves
    assert silent.pk in _by_definition(ids)
    assert coverage.communes_with_data_between(ids, START, END) == _by_definition(ids)


def test_the_compiled_flag_is_the_orms_own_expression(db):
    """The flag's SQL is compiled once per process (``figures._has_records_sql``): it must stay the
    SQL the ORM writes for ``_has_records_case``, with the same parameters."""
    from django.db import connection

    def sql_of(expression):
        query = StoredFigures.objects.filter(unit_id=1).annotate(has=expression).values_list("has").query
        return query.sql_with_params()

    built, built_params = sql_of(figures._has_records_case())
    cached, cached_params = sql_of(figures._has_records_sql(connection.vendor))
    column = built.removeprefix("SELECT ").split(" FROM ")[0].removesuffix(' AS "has"')
    assert cached.removeprefix("SELECT ").split(" FROM ")[0] == f'({column}) AS "has"'
    assert list(cached_params) == list(built_params)
