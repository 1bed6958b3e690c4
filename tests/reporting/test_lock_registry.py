"""The domain services ask ``apps.core.registry`` whether a date is locked; reporting registers
its period locks there from ``ReportingConfig.ready()`` (the periods live above the services)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core import registry
from apps.reporting import services
from apps.reporting.periods import PeriodKind, period_get


@pytest.fixture
def q1(db):
    return period_get(PeriodKind.QUARTER, 2026, 1)


def test_core_registry_refuses_a_date_in_an_approved_period(world, q1, officer_a, province_staff):
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=q1)
    services.submission_approve(actor=province_staff, submission=sub)
    with pytest.raises(ValidationError) as exc:
        registry.ensure_unlocked(commune=world.commune_a, day=dt.date(2026, 2, 3))
    assert exc.value.code == "period_locked"
    registry.ensure_unlocked(commune=world.commune_b, day=dt.date(2026, 2, 3))
    index = registry.LockIndex([world.commune_a.pk, world.commune_b.pk])
    with pytest.raises(ValidationError):
        index.ensure_unlocked(commune=world.commune_a.pk, day=dt.date(2026, 2, 3))
    index.ensure_unlocked(commune=world.commune_a.pk, day=dt.date(2026, 3, 15))
