"""``__in_ids`` gives the rows ``__in`` gives, with one bound array on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.areas.models import AdministrativeUnit
from tests.factories.areas import UnitFactory

pytestmark = pytest.mark.django_db


def _units(n: int) -> list[AdministrativeUnit]:
    return UnitFactory.create_batch(n)


def test_in_ids_selects_the_same_rows_as_in():
    units = _units(5)
    wanted = [units[0].pk, units[3].pk]
    assert set(AdministrativeUnit.objects.filter(pk__in_ids=wanted)) == set(
        AdministrativeUnit.objects.filter(pk__in=wanted)
    )
    assert AdministrativeUnit.objects.filter(pk__in_ids=wanted).count() == 2


def test_in_ids_through_a_foreign_key_and_negated():
    parent, other = _units(2)
    child = UnitFactory(parent=parent)
    assert list(AdministrativeUnit.objects.filter(parent__in_ids=[parent.pk])) == [child]
    assert child not in AdministrativeUnit.objects.exclude(parent__in_ids=[parent.pk])
    assert other in AdministrativeUnit.objects.exclude(parent__in_ids=[parent.pk])


def test_empty_list_matches_nothing():
    _units(2)
    assert not AdministrativeUnit.objects.filter(pk__in_ids=[]).exists()


def test_one_parameter_for_many_ids_on_postgresql():
    ids = list(range(1, 1001))
    with CaptureQueriesContext(connection) as ctx:
        list(AdministrativeUnit.objects.filter(pk__in_ids=ids))
    sql = ctx.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql


def test_in_dates_selects_the_rows_in_gives_with_one_array_on_postgresql():
    import datetime as dt

    from apps.core.lookups import Dates

    units = _units(4)
    days = [dt.date(2025, 1, 1), dt.date(2025, 7, 1), dt.date(2026, 1, 1), dt.date(2026, 7, 1)]
    for unit, day in zip(units, days, strict=True):
        AdministrativeUnit.objects.filter(pk=unit.pk).update(valid_from=day)
    wanted = [days[0], days[2], days[2]]
    with CaptureQueriesContext(connection) as ctx:
        got = set(AdministrativeUnit.objects.filter(valid_from__in_dates=Dates(wanted)))
    assert got == set(AdministrativeUnit.objects.filter(valid_from__in=wanted)) == {units[0], units[2]}
    sql = ctx.captured_queries[-1]["sql"]
    assert ("= ANY(" in sql) if connection.vendor == "postgresql" else (" IN (" in sql)
    assert not AdministrativeUnit.objects.filter(valid_from__in_dates=Dates([])).exists()
