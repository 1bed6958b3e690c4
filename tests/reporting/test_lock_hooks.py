"""Approving a commune's submission locks its period in every service that changes counted data."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.cases import services as case_services
from apps.cases.models import CaseEvent, CaseFile
from apps.registers.services import cultivation as register_services
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


# --- issue 10 §5: every dated write goes through the lock -----------------------------------------


@pytest.mark.parametrize("kind", ["home_visit", "note", "violation", "relapse", "whereabouts"])
def test_a_locked_period_refuses_every_event_dated_inside_it(world, officer_a, locked_quarter, kind):
    """A visit dated inside a locked quarter was accepted while a relapse was refused: the signed
    report rests on every dated entry of the period, so each kind of event is refused alike."""
    submission, reviewer = locked_quarter
    inside = submission.period.start + dt.timedelta(days=10)
    case = make_case(officer_a, world.commune_a, detected_on=submission.period.start - dt.timedelta(days=30))
    data = case_services.EventInput(event_date=inside, notes="Thăm gặp", whereabouts="community")
    events = CaseEvent.objects.filter(case_file=case).count()
    version = CaseFile.objects.get(pk=case.pk).version
    with pytest.raises(ValidationError, match="khóa"):
        case_services.case_add_event(actor=officer_a, case=case, kind=kind, data=data)
    assert CaseEvent.objects.filter(case_file=case).count() == events
    assert CaseFile.objects.get(pk=case.pk).version == version
    # The day after the window is open, and so is the window once province staff reopen it.
    after = case_services.EventInput(event_date=submission.period.end + dt.timedelta(days=1), whereabouts="community")
    case_services.case_add_event(actor=officer_a, case=case, kind=kind, data=after)
    reporting_services.period_reopen(actor=reviewer, submission=submission, reason="Bổ sung biên bản thăm gặp")
    case_services.case_add_event(actor=officer_a, case=CaseFile.objects.get(pk=case.pk), kind=kind, data=data)


def test_a_locked_period_refuses_a_note_on_a_closed_file(world, officer_a, locked_quarter):
    # A closed file is read-only in the services (issue 11 §3), so the note is refused before the
    # lock is even consulted; either refusal leaves the locked quarter untouched.
    submission, _reviewer = locked_quarter
    case = make_case(officer_a, world.commune_a, detected_on=submission.period.start - dt.timedelta(days=30))
    case_services.case_transition(
        actor=officer_a,
        case=case,
        code="negative_test",
        data=case_services.EventInput(event_date=submission.period.start - dt.timedelta(days=20)),
    )
    with pytest.raises(ValidationError, match="khóa|chỉ xem được"):
        case_services.case_add_event(
            actor=officer_a,
            case=CaseFile.objects.get(pk=case.pk),
            kind="note",
            data=case_services.EventInput(event_date=submission.period.start + dt.timedelta(days=3), notes="x"),
        )


def test_a_locked_period_refuses_prevention_records_dated_inside_it(world, officer_a, locked_quarter):
    from apps.prevention import services as prevention_services
    from apps.prevention.models import ModelPoint, TipOff, Training

    submission, _reviewer = locked_quarter
    inside = submission.period.start + dt.timedelta(days=7)
    outside = submission.period.end + dt.timedelta(days=7)
    training = prevention_services.TrainingInput(
        held_on=inside, topic="Tập huấn", organiser="Công an xã", participations=[(world.commune_a, 12)]
    )
    with pytest.raises(ValidationError, match="khóa"):
        prevention_services.training_create(actor=officer_a, data=training)
    training.held_on = outside
    made = prevention_services.training_create(actor=officer_a, data=training)
    training.held_on = inside
    with pytest.raises(ValidationError, match="khóa"):
        prevention_services.training_update(actor=officer_a, training=made, data=training, expected_version=1)
    assert Training.objects.get(pk=made.pk).held_on == outside

    point = prevention_services.ModelPointInput(
        commune=world.commune_a, name="Mô hình", decision_number="1/QĐ", decision_date=inside, started_on=inside
    )
    with pytest.raises(ValidationError, match="khóa"):
        prevention_services.modelpoint_create(actor=officer_a, data=point)
    assert not ModelPoint.objects.exists()

    tip = prevention_services.TipOffInput(
        received_on=inside, channel=TipOff._meta.get_field("channel").choices[0][0], commune=world.commune_a,
        summary="Tin báo",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="khóa"):
        prevention_services.tipoff_create(actor=officer_a, data=tip)
    assert not TipOff.objects.exists()
