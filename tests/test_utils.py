import pytest

from apps.areas.models import AdministrativeUnit
from tests.utils import assert_query_budget


def test_query_budget_counts_and_refuses_one_query_too_many(db):
    with assert_query_budget(exactly=1) as one:
        list(AdministrativeUnit.objects.all())
    assert one.count == 1 and "areas_administrativeunit" in one.sql[0]
    with pytest.raises(AssertionError, match="2 truy vấn, tối đa 1"):
        with assert_query_budget(1):
            list(AdministrativeUnit.objects.all())
            list(AdministrativeUnit.objects.all())
    with pytest.raises(AssertionError, match="0 truy vấn, cần đúng 1"):
        with assert_query_budget(exactly=1):
            pass
