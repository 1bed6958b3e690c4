"""Approving a commune's submission locks its period in every service that changes counted data."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.cases import services as case_services
from apps.cases.models import CaseEvent, CaseFile
from apps.registers import services as register_services
from apps.reporting import services as reporting_services
from apps.reporting.periods import period_get
from tests.factories.accounts import UserFactory
from tests.factories.cases import make_case


@pytest.fixture
def locked_quarter(world, officer_a, province_staff):
    period = period_get("quarter", 2025, 2)  # data window 15/03/2025 – 14/06/2025
    reviewer = UserFactory(username="reviewer_root", is_superuser=True)
    submission = reporting_services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
    return reporting_services.submission_approve(actor=reviewer, submission=submission), reviewer


def test_a_locked_period_refuses_case_changes_dated_inside_it_until_reopened(world, officer_a, locked_quarter):
    submission, reviewer = locked_quarter
    inside = submission.period.start + dt.timedelta(days=10)
    case = make_case(officer_a, world.commune_a, detected_on=submission.period.start - dt.timedelta(days=30))
    events = CaseEvent.objects.filter(case_file=case).count()
    with pytest.raises(ValidationError, match="khóa"):
        case_services.case_transition(
            actor=officer_a, case=case, code="positive_test", data=case_services.EventInput(event_date=inside)
        )
    assert CaseEvent.objects.filter(case_file=case).count() == events
    assert CaseFile.objects.get(pk=case.pk).status == "signs"
    with pytest.raises(ValidationError, match="khóa"):
        make_case(officer_a, world.commune_a, detected_on=inside)
    # A date after the window is not affected.
    after = submission.period.end + dt.timedelta(days=1)
    case_services.case_transition(
        actor=officer_a, case=case, code="positive_test", data=case_services.EventInput(event_date=after)
    )
    reporting_services.period_reopen(actor=reviewer, submission=submission, reason="Bổ sung hồ sơ phát hiện muộn")
    make_case(officer_a, world.commune_a, detected_on=inside)


def test_a_locked_period_refuses_register_records_dated_inside_it(world, officer_a, locked_quarter):
    submission, _reviewer = locked_quarter
    inside = submission.period.start + dt.timedelta(days=5)
    with pytest.raises(ValidationError, match="khóa"):
        register_services.cultivation_create(
            actor=officer_a,
            data=register_services.CultivationInput(
                found_on=inside, species="opium_poppy", plants=10, commune=world.commune_a
            ),
        )
    # Another commune's data in the same period is not locked.
    officer_b = UserFactory(username="officer_b_lock", role="commune_officer", area=world.commune_b)
    register_services.cultivation_create(
        actor=officer_b,
        data=register_services.CultivationInput(
            found_on=inside, species="opium_poppy", plants=10, commune=world.commune_b
        ),
    )
