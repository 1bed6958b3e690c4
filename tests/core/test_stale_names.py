"""The stale-edit (409) message names people by their full names, never by their login
(issue 12 §6): colleagues know each other as "Nguyễn Văn Thử", not "officer_a"."""

import pytest

from apps.core.locking import StaleObjectError, person_name
from apps.reporting import services
from apps.reporting.models import PeriodKind, Submission
from apps.reporting.periods import period_get
from tests.factories.accounts import UserFactory


def test_person_name_falls_back_to_the_login():
    assert person_name(UserFactory.build(username="a1", full_name="Hà Thị Mai")) == "Hà Thị Mai"
    assert person_name(UserFactory.build(username="a2", full_name="", first_name="", last_name="")) == "a2"
    assert person_name(None, "ghost") == "ghost"
    assert person_name(None) == "không rõ"


def test_stale_review_names_who_changed_the_submission(world, officer_a, province_staff):
    period = period_get(PeriodKind.QUARTER, 2026, 1)
    sub = services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
    stale = Submission.objects.get(pk=sub.pk)
    services.submission_return(actor=province_staff, submission=sub, reason="Sai số vụ án")
    with pytest.raises(StaleObjectError) as exc:
        services.submission_approve(actor=province_staff, submission=stale, expected_version=stale.version)
    message = exc.value.messages[0]
    assert province_staff.get_full_name() in message and "province_staff" not in message, message
