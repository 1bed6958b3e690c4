"""Voiding and correcting a timeline entry recorded by mistake (issue 12 §1): nothing is deleted,
the entry is marked void with who, when and why, every count ignores it, and the audit log keeps
both the entry and its voiding."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from apps.accounts import roles
from apps.audit.models import AuditLogEntry
from apps.cases import services
from apps.cases.choices import EventKind, Whereabouts
from apps.cases.models import CaseEvent, CaseFile, StockSpan
from apps.core.locking import StaleObjectError
from apps.reporting import services as reporting_services
from apps.reporting.indicators import compute
from apps.reporting.periods import period_get
from tests.factories.accounts import UserFactory
from tests.factories.cases import advance, make_case

D = dt.date
DECISION_DAY = D(2026, 3, 2)
REASON = "Ghi nhầm hồ sơ của người khác"


def _managed(officer, commune, decision_date=DECISION_DAY):
    case = make_case(officer, commune, detected_on=decision_date - dt.timedelta(days=14))
    case = advance(officer, case, "positive_test", decision_date - dt.timedelta(days=7))
    return advance(officer, case, "management_decision", decision_date, decision_number="3/QĐ-UBND")


def _visit(officer, case, day, **kw):
    return services.case_add_event(
        actor=officer, case=case, kind=EventKind.HOME_VISIT, data=services.EventInput(event_date=day, **kw)
    )


def _audits(case, action):
    return AuditLogEntry.objects.filter(action=action, object_id=str(case.pk), content_type__model="casefile")


def test_voiding_a_visit_keeps_it_marks_it_and_the_last_visit_ignores_it(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    _visit(officer_a, case, D(2026, 3, 10))
    wrong = _visit(officer_a, case, D(2026, 3, 25), result="Có mặt tại nhà")
    case.refresh_from_db()
    assert case.last_visit_on == D(2026, 3, 25)
    version = case.version

    services.case_void_event(actor=officer_a, case=case, event=wrong, reason=REASON, expected_version=version)

    wrong.refresh_from_db()
    case.refresh_from_db()
    assert wrong.voided_at is not None and wrong.voided_by == officer_a and wrong.void_reason == REASON
    assert CaseEvent.objects.filter(pk=wrong.pk).exists()  # nothing is deleted
    assert case.last_visit_on == D(2026, 3, 10)
    assert case.due_date == D(2026, 4, 9)  # 30 days after the visit that stands
    assert case.version == version + 1
    entry = _audits(case, "cases.casefile.event_void").get()
    assert entry.actor == officer_a and entry.area == world.commune_a
    assert entry.before["event"]["id"] == wrong.pk and entry.before["event"]["result"] == "Có mặt tại nhà"
    assert entry.after["void_reason"] == REASON
    assert REASON in entry.message
    # the entry of the visit itself is still in the log
    assert _audits(case, "cases.casefile.event_home_visit").count() == 2


def test_correcting_a_visit_voids_it_and_records_the_corrected_entry_linked_to_it(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    wrong = _visit(officer_a, case, D(2026, 3, 25), result="Có mặt")
    case.refresh_from_db()

    new = services.case_correct_event(
        actor=officer_a,
        case=case,
        event=wrong,
        reason="Sai ngày thăm gặp",
        data=services.EventInput(event_date=D(2026, 3, 20), result="Có mặt tại nhà"),
        expected_version=case.version,
    )

    wrong.refresh_from_db()
    case.refresh_from_db()
    assert wrong.voided_at is not None and wrong.void_reason == "Sai ngày thăm gặp"
    assert new.replaces == wrong and wrong.corrected_by == new
    assert (new.kind, new.event_date, new.result, new.created_by) == (
        EventKind.HOME_VISIT,
        D(2026, 3, 20),
        "Có mặt tại nhà",
        officer_a,
    )
    assert new.voided_at is None
    assert case.last_visit_on == D(2026, 3, 20)
    entry = _audits(case, "cases.casefile.event_correct").get()
    assert entry.before["event"]["event_date"] == "2026-03-25"
    assert entry.after["event"]["event_date"] == "2026-03-20" and entry.after["void_reason"] == "Sai ngày thăm gặp"


@pytest.mark.parametrize("reason", ["", "   ", "nhầm"])
def test_a_reason_is_required(world, officer_a, reason):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25))
    with pytest.raises(ValidationError) as info:
        services.case_void_event(actor=officer_a, case=case, event=event, reason=reason)
    assert "reason" in info.value.message_dict
    event.refresh_from_db()
    assert event.voided_at is None


def test_only_the_author_or_province_staff_may_void(world, officer_a, officer_b, province_staff):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25))
    colleague = UserFactory(username="officer_a2", role=roles.COMMUNE_OFFICER, area=world.commune_a)
    with pytest.raises(PermissionDenied):  # in scope, not the author
        services.case_void_event(actor=colleague, case=case, event=event, reason=REASON)
    with pytest.raises(Http404):  # another commune: as if it did not exist
        services.case_void_event(actor=officer_b, case=case, event=event, reason=REASON)
    assert CaseEvent.objects.get(pk=event.pk).voided_at is None
    services.case_void_event(actor=province_staff, case=case, event=event, reason=REASON)
    event.refresh_from_db()
    assert event.voided_by == province_staff


def test_an_event_of_another_file_is_404(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    other = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, other, D(2026, 3, 25))
    with pytest.raises(Http404):
        services.case_void_event(actor=officer_a, case=case, event=event, reason=REASON)


def test_legal_steps_are_not_voided_but_reversed_by_their_own_procedure(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    decision = case.events.get(kind=EventKind.MANAGEMENT_DECISION)
    with pytest.raises(ValidationError, match="thủ tục"):
        services.case_void_event(actor=officer_a, case=case, event=decision, reason=REASON)
    assert CaseEvent.objects.get(pk=decision.pk).voided_at is None


def test_an_entry_is_voided_once(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25))
    services.case_void_event(actor=officer_a, case=case, event=event, reason=REASON)
    with pytest.raises(ValidationError, match="đã được hủy"):
        services.case_void_event(actor=officer_a, case=case, event=event, reason=REASON)
    assert _audits(case, "cases.casefile.event_void").count() == 1


def test_a_stale_version_is_refused(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25))
    with pytest.raises(StaleObjectError):
        services.case_void_event(actor=officer_a, case=case, event=event, reason=REASON, expected_version=1)


def test_an_entry_dated_inside_a_locked_period_cannot_be_voided(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=D(2025, 3, 1))
    event = _visit(officer_a, case, D(2025, 4, 1))
    period = period_get("quarter", 2025, 2)  # data window 15/03/2025 – 14/06/2025
    reviewer = UserFactory(username="reviewer_root", is_superuser=True)
    submission = reporting_services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
    reporting_services.submission_approve(actor=reviewer, submission=submission)
    with pytest.raises(ValidationError, match="khóa"):
        services.case_void_event(actor=officer_a, case=case, event=event, reason=REASON)
    assert CaseEvent.objects.get(pk=event.pk).voided_at is None


def test_a_voided_relapse_is_not_counted(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    relapse = services.case_add_event(
        actor=officer_a, case=case, kind=EventKind.RELAPSE, data=services.EventInput(event_date=D(2026, 3, 20))
    )
    window = (D(2026, 3, 15), D(2026, 4, 14))
    assert compute(commune_ids=[world.commune_a.pk], start=window[0], end=window[1]).total["relapses"] == 1
    services.case_void_event(actor=officer_a, case=case, event=relapse, reason=REASON)
    assert compute(commune_ids=[world.commune_a.pk], start=window[0], end=window[1]).total["relapses"] == 0


def test_voiding_a_change_of_whereabouts_restores_the_previous_one_in_the_file_and_the_figures(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    before = case.whereabouts
    moved = services.case_add_event(
        actor=officer_a,
        case=case,
        kind=EventKind.WHEREABOUTS,
        data=services.EventInput(event_date=D(2026, 3, 20), whereabouts=Whereabouts.UNKNOWN),
    )
    case.refresh_from_db()
    assert case.whereabouts == Whereabouts.UNKNOWN
    services.case_void_event(actor=officer_a, case=case, event=moved, reason=REASON)
    case.refresh_from_db()
    assert case.whereabouts == before
    assert set(StockSpan.objects.filter(case_file=case).values_list("whereabouts", flat=True)) == {before}


def test_a_closed_file_is_read_only(world, officer_a):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25))
    case = advance(officer_a, CaseFile.objects.get(pk=case.pk), "close", D(2026, 3, 30), close_reason="other")
    with pytest.raises(ValidationError):
        services.case_void_event(actor=officer_a, case=case, event=event, reason=REASON)


# --- the page --------------------------------------------------------------------------------------


def test_the_void_page_voids_and_the_timeline_shows_it_struck_with_its_reason(world, officer_a, client_for):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25), result="Có mặt")
    case.refresh_from_db()
    client = client_for(officer_a)
    url = reverse("cases:event_void", args=[case.pk, event.pk])
    detail = client.get(reverse("cases:casefile_detail", args=[case.pk])).content.decode()
    assert url in detail  # the author sees the link on the entry
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "", "version": case.version})
    assert response.status_code == 200 and "Hãy ghi lý do" in response.content.decode()
    response = client.post(url, {"reason": REASON, "version": case.version})
    assert response.status_code == 302
    page = client.get(reverse("cases:casefile_detail", args=[case.pk])).content.decode()
    assert f"Đã hủy: {REASON}" in page
    assert "event-voided" in page
    assert url not in page  # a voided entry offers no second voiding


def test_the_correct_page_records_the_corrected_entry(world, officer_a, client_for):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25), result="Có mặt")
    case.refresh_from_db()
    client = client_for(officer_a)
    url = reverse("cases:event_void", args=[case.pk, event.pk])
    response = client.post(
        url,
        {
            "reason": "Sai ngày thăm gặp",
            "version": case.version,
            "correct": "1",
            "event_date": "20/03/2026",
            "result": "Có mặt tại nhà",
        },
    )
    assert response.status_code == 302
    new = CaseEvent.objects.get(replaces=event)
    assert new.event_date == D(2026, 3, 20)
    page = client.get(reverse("cases:casefile_detail", args=[case.pk])).content.decode()
    assert "Đã sửa thành mục ngày 20/03/2026" in page


def test_a_correction_the_service_refuses_field_by_field_is_shown_on_the_page(world, officer_a, client_for):
    # The service's refusal names a field ({"event_date": …}): it has no single code, and the page
    # used to fail (500) reading one to tell a stale edit (409) from the others.
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25), result="Có mặt")
    case.refresh_from_db()
    response = client_for(officer_a).post(
        reverse("cases:event_void", args=[case.pk, event.pk]),
        {"reason": "Sai ngày thăm gặp", "version": case.version, "correct": "1", "event_date": "01/01/2020"},
    )
    assert response.status_code == 200
    assert "Ngày sự kiện không được trước ngày lập hồ sơ." in response.content.decode()
    assert not CaseEvent.objects.filter(replaces=event).exists()


def test_corrected_values_typed_without_ticking_correct_are_not_dropped(world, officer_a, client_for):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25), result="Có mặt")
    case.refresh_from_db()
    url = reverse("cases:event_void", args=[case.pk, event.pk])
    response = client_for(officer_a).post(
        url, {"reason": REASON, "version": case.version, "event_date": "25/03/2026", "result": "Vắng nhà"}
    )
    assert response.status_code == 200
    assert "hãy đánh dấu ô này" in response.content.decode()
    assert 'value="Vắng nhà"' in response.content.decode()
    event.refresh_from_db()
    assert event.voided_at is None


def test_the_void_page_answers_403_in_scope_and_404_out_of_scope(world, officer_a, officer_b, client_for):
    case = _managed(officer_a, world.commune_a)
    event = _visit(officer_a, case, D(2026, 3, 25))
    colleague = UserFactory(username="officer_a2", role=roles.COMMUNE_OFFICER, area=world.commune_a)
    url = reverse("cases:event_void", args=[case.pk, event.pk])
    assert client_for(colleague).get(url).status_code == 403
    assert client_for(officer_b).get(url).status_code == 404
    page = client_for(colleague).get(reverse("cases:casefile_detail", args=[case.pk])).content.decode()
    assert url not in page
