"""Writes on case files: creation, validation, the legal journey, locking, transfers, merges."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from apps.audit.models import AuditLogEntry
from apps.cases import selectors, services
from apps.cases.choices import CaseType, CloseReason, EventKind, IdKind, Status, Whereabouts
from apps.cases.models import CaseEvent, CaseFile, Holiday, LegalDuration, Person, PersonMerge
from apps.cases.selectors import CaseFilters
from apps.cases.workflow import add_months
from apps.core.locking import StaleObjectError
from tests.factories.accounts import UserFactory
from tests.factories.cases import PersonFactory, advance, make_case

D = dt.date


def working_days_after(start: dt.date, n: int) -> dt.date:
    """The n-th day after ``start`` that is neither a Saturday/Sunday nor a holiday of the table."""
    holidays = set(Holiday.objects.values_list("date", flat=True))
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            n -= 1
    return day


def audits(case, action):
    return AuditLogEntry.objects.filter(action=action, object_id=str(case.pk), content_type__model="casefile")


# --- creation ------------------------------------------------------------------------------------


def test_case_create_makes_person_file_opened_event_and_audit(world, officer_a):
    case = make_case(
        officer_a,
        world.commune_a,
        full_name="Nguyễn Văn Hùng",
        aliases="Hùng còi",
        birth_year=1990,
        sex="M",
        citizen_id="008090001234",
        current_village="Thôn Đồng Cầu",
        detected_on=D(2026, 1, 5),
        substances=["meth", "heroin"],
    )
    case.refresh_from_db()
    person = case.person
    assert person.full_name == "Nguyễn Văn Hùng"
    assert person.name_key == "hung nguyen van"
    assert "nguyen van hung" in person.search_text and "hung coi" in person.search_text
    assert (person.citizen_id, person.citizen_id_kind) == ("008090001234", IdKind.CCCD)
    assert case.commune == world.commune_a
    assert case.status == Status.SIGNS and case.status_since == D(2026, 1, 5)
    assert case.created_by == officer_a
    assert case.version == 1
    assert set(case.substances.values_list("code", flat=True)) == {"meth", "heroin"}
    events = list(case.events.all())
    assert [(e.kind, e.event_date, e.to_status, e.created_by) for e in events] == [
        (EventKind.OPENED, D(2026, 1, 5), Status.SIGNS, officer_a)
    ]
    entry = audits(case, "cases.casefile.create").get()
    assert entry.area == world.commune_a
    assert entry.actor == officer_a
    assert entry.after["person"]["full_name"] == "Nguyễn Văn Hùng"


def test_signs_status_has_no_due_date(world, officer_a):
    # SIGNS is not a community-management status: nothing is due until the test result.
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5))
    assert (case.due_date, case.period_end) == (None, None)


def test_file_numbers_increment_per_commune_and_year(world, officer_a, officer_b):
    a1 = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5))
    a2 = make_case(officer_a, world.commune_a, detected_on=D(2026, 2, 5))
    b1 = make_case(officer_b, world.commune_b, detected_on=D(2026, 2, 5))
    a_2025 = make_case(officer_a, world.commune_a, detected_on=D(2025, 12, 31))
    a3 = make_case(officer_a, world.commune_a, detected_on=D(2026, 3, 1))
    assert [a1.file_number, a2.file_number, a3.file_number] == [
        "HS-2458-2026-00001",
        "HS-2458-2026-00002",
        "HS-2458-2026-00003",
    ]
    assert b1.file_number == "HS-2215-2026-00001"
    assert a_2025.file_number == "HS-2458-2025-00001"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("001090001234", ("001090001234", IdKind.CCCD)),
        ("001 090 001 234", ("001090001234", IdKind.CCCD)),
        ("001.090.001.234", ("001090001234", IdKind.CCCD)),
        ("123456789", ("123456789", IdKind.CMND)),
        ("08090001234", ("008090001234", IdKind.CCCD)),  # a spreadsheet dropped the leading zero
        (8090001234, ("008090001234", IdKind.CCCD)),  # ... or two, as a number
        (8090001234.0, ("008090001234", IdKind.CCCD)),
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_normalize_citizen_id(raw, expected):
    assert services.normalize_citizen_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("00109000123A", "chỉ gồm chữ số"),
        ("CCCD001090001", "chỉ gồm chữ số"),
        ("0010900012345", "12 chữ số"),  # 13 digits
        ("12345678", "12 chữ số"),  # 8 digits
    ],
)
def test_normalize_citizen_id_refuses_with_a_vietnamese_message(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        services.normalize_citizen_id(raw)
    assert fragment in exc.value.messages[0]


def test_case_create_stores_a_nine_digit_cmnd_and_pads_an_eleven_digit_cccd(world, officer_a):
    cmnd = make_case(officer_a, world.commune_a, citizen_id="123456789").person
    padded = make_case(officer_a, world.commune_a, citizen_id="08090001234").person
    assert (cmnd.citizen_id, cmnd.citizen_id_kind) == ("123456789", IdKind.CMND)
    assert (padded.citizen_id, padded.citizen_id_kind) == ("008090001234", IdKind.CCCD)


@pytest.mark.parametrize("citizen_id", ["0080900012AB", "0080900012345"])
def test_case_create_refuses_a_bad_citizen_id_and_writes_nothing(world, officer_a, citizen_id):
    with pytest.raises(ValidationError) as exc:
        make_case(officer_a, world.commune_a, citizen_id=citizen_id)
    assert "CCCD" in " ".join(exc.value.messages) or "chữ số" in " ".join(exc.value.messages)
    assert not Person.objects.exists()
    assert not CaseFile.objects.exists()


def test_future_dates_are_refused(world, officer_a):
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        make_case(officer_a, world.commune_a, detected_on=tomorrow)
    assert "detected_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_case(officer_a, world.commune_a, date_of_birth=tomorrow, birth_year=tomorrow.year)
    assert "date_of_birth" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_case(officer_a, world.commune_a, detected_on=today, first_use_date=tomorrow)
    assert "first_use_date" in exc.value.message_dict
    assert not CaseFile.objects.exists()


def test_first_use_after_detection_is_refused(world, officer_a):
    with pytest.raises(ValidationError) as exc:
        make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5), first_use_date=D(2026, 1, 6))
    assert "trước ngày phát hiện" in exc.value.message_dict["first_use_date"][0]
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5), first_use_date=D(2026, 1, 5))
    assert case.first_use_date == D(2026, 1, 5)


def test_implausible_birth_year_is_refused(world, officer_a):
    this_year = timezone.localdate().year
    with pytest.raises(ValidationError) as exc:
        make_case(officer_a, world.commune_a, birth_year=this_year - 5)
    assert "birth_year" in exc.value.message_dict


def test_commune_out_of_the_officers_scope_is_refused(world, officer_a):
    with pytest.raises(ValidationError) as exc:
        make_case(officer_a, world.commune_b)
    assert "phạm vi" in exc.value.message_dict["commune"][0]
    with pytest.raises(ValidationError) as exc:  # a former commune, even one merged into A
        make_case(officer_a, world.former_a)
    assert "hiện hành" in exc.value.message_dict["commune"][0]
    assert not CaseFile.objects.exists() and not Person.objects.exists()


def test_case_create_requires_the_add_permission(world, steering_a):
    """A steering-committee member (aggregates only, never personal records) holds no case
    permission; the service must refuse like case_update/case_transition do."""
    with pytest.raises((ValidationError, PermissionDenied, Http404)):
        make_case(steering_a, world.commune_a)
    assert not CaseFile.objects.exists()


# --- the legal journey -------------------------------------------------------------------------


def test_journey_from_signs_to_voluntary_rehab(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5))

    case = advance(officer_a, case, "positive_test", D(2026, 1, 12))
    assert case.status == Status.POSITIVE

    decision_date = D(2026, 1, 19)
    case = advance(
        officer_a,
        case,
        "management_decision",
        D(2026, 1, 20),
        decision_number="15/QĐ-UBND",
        decision_date=decision_date,
        signer="Chủ tịch UBND xã",
    )
    assert case.status == Status.MANAGED
    # Law 73/2021 Art. 23: management lasts 1 year from the decision.
    assert case.period_end == D(2027, 1, 19)
    # A monthly home visit (30 days after entering the status) comes before the end of the period.
    assert case.due_date == D(2026, 1, 20) + dt.timedelta(days=30)
    event = case.events.get(kind=EventKind.MANAGEMENT_DECISION)
    assert (event.from_status, event.to_status, event.decision_number) == (
        Status.POSITIVE,
        Status.MANAGED,
        "15/QĐ-UBND",
    )
    assert "Điều 23" in event.legal_basis

    case = advance(officer_a, case, "refer_determination", D(2026, 4, 21))
    assert case.status == Status.DETERMINING

    result_day = D(2026, 4, 23)
    case = advance(officer_a, case, "addicted", result_day, facility="Trung tâm Y tế khu vực Yên Sơn")
    assert case.status == Status.AWAITING_REGISTRATION
    assert case.case_type == CaseType.ADDICT
    # Register within 5 working days of the result (Art. 28), counting the holidays of the table.
    holidays = set(Holiday.objects.values_list("date", flat=True))
    assert {D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1)} <= holidays, "the window contains seeded holidays"
    deadline = working_days_after(result_day, 5)
    assert deadline == D(2026, 5, 5)  # Fri 24, Tue 28, Wed 29, Mon 4, Tue 5
    assert case.period_end == deadline
    assert case.due_date == deadline

    case = advance(officer_a, case, "register_community", D(2026, 5, 4))
    assert case.status == Status.VOLUNTARY_COMMUNITY
    assert case.period_end == add_months(D(2026, 5, 4), 12) == D(2027, 5, 4)
    assert case.status_since == D(2026, 5, 4)

    assert case.version == 1 + 5
    assert [e.to_status for e in case.events.order_by("event_date", "pk")] == [
        Status.SIGNS,
        Status.POSITIVE,
        Status.MANAGED,
        Status.DETERMINING,
        Status.AWAITING_REGISTRATION,
        Status.VOLUNTARY_COMMUNITY,
    ]
    assert audits(case, "cases.casefile.transition").count() == 5


def test_due_dates_follow_the_duration_table_not_constants(world, officer_a):
    """Legal staff correct a duration in the admin: new computations use the corrected figure."""
    LegalDuration.objects.filter(key="management_period", effective_from=D(2022, 1, 1)).update(value=18)
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5), whereabouts=Whereabouts.PRISON)
    case = advance(officer_a, case, "positive_test", D(2026, 1, 12))
    case = advance(officer_a, case, "management_decision", D(2026, 1, 20), decision_number="1/QĐ")
    assert case.period_end == add_months(D(2026, 1, 20), 18)
    assert case.due_date == case.period_end  # no home visits for someone in prison


def test_illegal_transition_raises_in_vietnamese_and_writes_nothing(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5))
    events_before = CaseEvent.objects.count()
    audits_before = AuditLogEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.case_transition(
            actor=officer_a,
            case=case,
            code="addicted",
            data=services.EventInput(event_date=D(2026, 1, 10), facility="TTYT"),
        )
    message = " ".join(exc.value.messages)
    assert "Không thể" in message and str(Status.SIGNS.label) in message
    case.refresh_from_db()
    assert (case.status, case.version, case.case_type) == (Status.SIGNS, 1, CaseType.USER)
    assert CaseEvent.objects.count() == events_before
    assert AuditLogEntry.objects.count() == audits_before


def test_unknown_transition_code_is_refused(world, officer_a):
    case = make_case(officer_a, world.commune_a)
    with pytest.raises(ValidationError):
        services.case_transition(
            actor=officer_a, case=case, code="teleport", data=services.EventInput(event_date=D(2026, 1, 10))
        )


def test_transition_before_status_since_is_refused(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5))
    with pytest.raises(ValidationError):
        advance(officer_a, case, "positive_test", D(2026, 1, 4))
    assert CaseFile.objects.get(pk=case.pk).status == Status.SIGNS


def test_management_completed_before_the_period_end_is_refused_then_allowed(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=D(2025, 2, 3))
    case = advance(officer_a, case, "positive_test", D(2025, 2, 10))
    case = advance(officer_a, case, "management_decision", D(2025, 2, 17), decision_number="7/QĐ-UBND")
    end = add_months(D(2025, 2, 17), 12)
    assert case.period_end == end
    with pytest.raises(ValidationError):
        advance(officer_a, case, "management_completed", end - dt.timedelta(days=1))
    case = advance(officer_a, case, "management_completed", end)
    assert (case.status, case.closed_on, case.close_reason) == (Status.CLOSED, end, CloseReason.TERM_COMPLETED)
    assert (case.due_date, case.period_end) == (None, None)


def test_transition_of_another_communes_file_is_404(world, officer_a, officer_b):
    case = make_case(officer_b, world.commune_b)
    with pytest.raises(Http404):
        advance(officer_a, case, "positive_test", D(2026, 1, 10))


def test_close_with_death_records_a_death_event(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5))
    case = advance(officer_a, case, "close", D(2026, 2, 1), close_reason=CloseReason.DEATH)
    assert (case.status, case.close_reason) == (Status.CLOSED, CloseReason.DEATH)
    assert case.events.filter(kind=EventKind.DEATH, to_status=Status.CLOSED).exists()


# --- optimistic locking --------------------------------------------------------------------------


def test_second_edit_from_the_same_version_is_stale_and_names_the_first_edit(world, officer_a):
    colleague = UserFactory(username="officer_a2", role="commune_officer", area=world.commune_a)
    case = make_case(officer_a, world.commune_a, notes="")
    assert case.version == 1
    services.case_update(
        actor=officer_a,
        case=case,
        data=services.CaseInput(person={}, case={"notes": "Đã chuyển đi làm ăn xa"}, substances=[]),
        expected_version=1,
    )
    with pytest.raises(StaleObjectError) as exc:
        services.case_update(
            actor=colleague,
            case=case,
            data=services.CaseInput(person={"occupation": "Làm ruộng"}, case={"notes": "Ở nhà"}, substances=[]),
            expected_version=1,
        )
    message = exc.value.messages[0]
    case.refresh_from_db()
    assert case.notes == "Đã chuyển đi làm ăn xa"
    assert case.person.occupation == ""
    assert case.version == 2
    assert "CHƯA được lưu" in message
    # named by the full name people know each other by, not the login (issue 12 §6)
    assert officer_a.get_full_name() in message and "officer_a" not in message, message
    assert str(CaseFile._meta.get_field("notes").verbose_name) in message, message


def test_update_with_the_current_version_succeeds_and_audits_the_change(world, officer_a):
    case = make_case(officer_a, world.commune_a, occupation="")
    updated = services.case_update(
        actor=officer_a,
        case=case,
        data=services.CaseInput(person={"occupation": "Lái xe"}, case={}, substances=["cannabis"]),
        expected_version=1,
    )
    assert updated.version == 2
    assert Person.objects.get(pk=case.person_id).occupation == "Lái xe"
    entry = audits(case, "cases.casefile.update").get()
    assert entry.before["person"]["occupation"] == "" and entry.after["person"]["occupation"] == "Lái xe"
    assert entry.after["substances"] == ["cannabis"]


def test_update_cannot_move_the_file_to_another_commune(world, officer_a, province_staff):
    case = make_case(officer_a, world.commune_a)
    with pytest.raises(ValidationError):
        services.case_update(
            actor=officer_a,
            case=case,
            data=services.CaseInput(person={}, case={"commune": world.commune_b}, substances=[]),
            expected_version=1,
        )
    assert CaseFile.objects.get(pk=case.pk).commune == world.commune_a


# --- events ------------------------------------------------------------------------------------


def _managed(officer, commune, decision_date, **kw):
    case = make_case(officer, commune, detected_on=decision_date - dt.timedelta(days=14), **kw)
    case = advance(officer, case, "positive_test", decision_date - dt.timedelta(days=7))
    return advance(officer, case, "management_decision", decision_date, decision_number="3/QĐ-UBND")


def test_home_visit_updates_last_visit_and_due_date(world, officer_a):
    case = _managed(officer_a, world.commune_a, D(2026, 3, 2))
    assert case.due_date == D(2026, 4, 1)  # 30 days after the decision
    services.case_add_event(
        actor=officer_a,
        case=case,
        kind=EventKind.HOME_VISIT,
        data=services.EventInput(event_date=D(2026, 3, 25), result="Có mặt tại nhà"),
    )
    case.refresh_from_db()
    assert case.last_visit_on == D(2026, 3, 25)
    assert case.due_date == D(2026, 4, 24)
    assert case.period_end == D(2027, 3, 2)
    assert case.version == 4
    assert audits(case, "cases.casefile.event_home_visit").count() == 1


def test_free_events_are_validated(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=D(2026, 1, 5))
    for kind, data in [
        ("positive_test", services.EventInput(event_date=D(2026, 2, 1))),  # not a free event
        (EventKind.HOME_VISIT, services.EventInput(event_date=D(2026, 1, 4))),  # before the file
        (EventKind.HOME_VISIT, services.EventInput(event_date=timezone.localdate() + dt.timedelta(days=1))),
        (EventKind.WHEREABOUTS, services.EventInput(event_date=D(2026, 2, 1), whereabouts="moon")),
    ]:
        with pytest.raises(ValidationError):
            services.case_add_event(actor=officer_a, case=case, kind=kind, data=data)
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.OPENED]


# --- transfers ---------------------------------------------------------------------------------


def test_transfer_closes_here_and_opens_a_linked_file_there(world, officer_a, officer_b):
    old = _managed(officer_a, world.commune_a, D(2026, 3, 2), substances=["meth"])
    new = services.case_transfer(
        actor=officer_a,
        case=old,
        to_commune=world.commune_b,
        data=services.EventInput(event_date=D(2026, 6, 1), notes="Chuyển về ở với gia đình"),
    )
    old.refresh_from_db()
    assert (old.status, old.close_reason, old.closed_on) == (Status.CLOSED, CloseReason.TRANSFERRED, D(2026, 6, 1))
    assert new.commune == world.commune_b
    assert new.transferred_from == old
    assert new.person_id == old.person_id
    assert new.status == Status.MANAGED
    assert new.file_number == "HS-2215-2026-00001"
    assert list(new.substances.values_list("code", flat=True)) == ["meth"]
    assert old.events.filter(kind=EventKind.TRANSFER, other_unit=world.commune_b).exists()
    assert new.events.filter(kind=EventKind.TRANSFER, other_unit=world.commune_a).exists()
    assert audits(old, "cases.casefile.transfer").get().area == world.commune_a
    assert audits(new, "cases.casefile.transfer_in").get().area == world.commune_b

    # Scoping: B sees the new file but not the old one; A sees the old one only.
    b_files = set(selectors.case_list(user=officer_b, filters=CaseFilters()).values_list("pk", flat=True))
    assert b_files == {new.pk}
    with pytest.raises(Http404):
        selectors.case_get(user=officer_b, pk=old.pk)
    assert selectors.case_get(user=officer_b, pk=new.pk) == new
    a_files = set(selectors.case_list(user=officer_a, filters=CaseFilters()).values_list("pk", flat=True))
    assert a_files == {old.pk}

    # The receiving commune sees the whole history through the new file.
    timeline = selectors.case_timeline(new)
    kinds = {(e.case_file_id, e.kind) for e in timeline}
    assert (old.pk, EventKind.OPENED) in kinds
    assert (old.pk, EventKind.MANAGEMENT_DECISION) in kinds
    assert (new.pk, EventKind.TRANSFER) in kinds
    assert len(timeline) == old.events.count() + new.events.count()


def test_transfer_keeps_the_management_period_of_the_original_decision(world, officer_a):
    """Management lasts 1 year from the decision (Law 73/2021 Art. 23); moving house does not
    issue a new decision, so the receiving commune's file must end on the same day."""
    old = _managed(officer_a, world.commune_a, D(2026, 3, 2))
    assert old.period_end == D(2027, 3, 2)
    new = services.case_transfer(
        actor=officer_a, case=old, to_commune=world.commune_b, data=services.EventInput(event_date=D(2026, 6, 1))
    )
    new.refresh_from_db()
    assert new.period_end == D(2027, 3, 2)


def test_transfer_to_the_same_or_a_former_commune_is_refused(world, officer_a):
    case = _managed(officer_a, world.commune_a, D(2026, 3, 2))
    for target in (world.commune_a, world.former_a):
        with pytest.raises(ValidationError):
            services.case_transfer(
                actor=officer_a, case=case, to_commune=target, data=services.EventInput(event_date=D(2026, 6, 1))
            )
    assert CaseFile.objects.count() == 1


# --- duplicates: merge, unmerge, distinct ----------------------------------------------------------


def _twins(world, officer_a, officer_b):
    a = make_case(officer_a, world.commune_a, full_name="Trần Văn Dũng", birth_year=1988, sex="M")
    b = make_case(officer_b, world.commune_b, full_name="Dũng Trần Văn", birth_year=1988, sex="M")
    return a, b


def test_merge_then_unmerge_restores_ownership_and_is_audited(world, officer_a, officer_b, province_staff):
    a, b = _twins(world, officer_a, officer_b)
    keep, merged = a.person, b.person
    record = services.person_merge(actor=province_staff, keep=keep, merge=merged, reason="Cùng CCCD trên giấy tờ")
    b.refresh_from_db()
    merged.refresh_from_db()
    assert b.person_id == keep.pk
    assert merged.merged_into_id == keep.pk
    assert record.moved_case_ids == [b.pk]
    merge_entry = audits(b, "cases.person.merge").get()
    assert (merge_entry.before, merge_entry.after) == ({"person": merged.pk}, {"person": keep.pk})
    assert merge_entry.actor == province_staff

    services.person_unmerge(actor=province_staff, record=record)
    b.refresh_from_db()
    merged.refresh_from_db()
    record.refresh_from_db()
    assert b.person_id == merged.pk
    assert merged.merged_into_id is None
    assert record.undone_by == province_staff and record.undone_at is not None
    assert audits(b, "cases.person.unmerge").count() == 1
    assert CaseFile.objects.get(pk=a.pk).person_id == keep.pk
    with pytest.raises(ValidationError):  # cannot be undone twice
        services.person_unmerge(actor=province_staff, record=record)


def test_merge_needs_the_permission_and_a_reason(world, officer_a, officer_b, province_staff):
    a, b = _twins(world, officer_a, officer_b)
    with pytest.raises(ValidationError):
        services.person_merge(actor=officer_a, keep=a.person, merge=b.person, reason="trùng")
    with pytest.raises(ValidationError):
        services.person_merge(actor=province_staff, keep=a.person, merge=b.person, reason="  ")
    with pytest.raises(ValidationError):
        services.person_merge(actor=province_staff, keep=a.person, merge=a.person, reason="trùng")
    assert not PersonMerge.objects.exists()
    assert CaseFile.objects.get(pk=b.pk).person_id == b.person_id


def test_mark_distinct_removes_the_pair_from_the_candidates(world, officer_a, officer_b, province_staff):
    a, b = _twins(world, officer_a, officer_b)
    other = PersonFactory(full_name="Lê Thị Mai", birth_year=1992, sex="F")  # no twin: never a candidate
    pairs = selectors.duplicate_candidates(user=province_staff)
    assert {(x.pk, y.pk) for x, y in pairs} == {(a.person_id, b.person_id)}
    assert other.pk not in {p.pk for pair in pairs for p in pair}
    services.person_mark_distinct(actor=province_staff, first=b.person, second=a.person)
    assert selectors.duplicate_candidates(user=province_staff) == []
    assert AuditLogEntry.objects.filter(action="cases.person.distinct").count() == 1
    # and duplicates_find no longer proposes one for the other
    matches = selectors.duplicates_find(
        user=province_staff, full_name="Trần Văn Dũng", birth_year=1988, sex="M", exclude_person=a.person_id
    )
    assert matches == []


def test_prosecution_of_a_closed_file_requires_a_rehab_related_closure(world, officer_a):
    """Art. 256a after closure covers only the 2 years after rehab / post-rehab management ended
    (domain.md §4.5: KET_THUC → HINH_SU "after post-rehab ends / after quitting methadone"); a file
    closed because the drug test was negative was never in rehab."""
    case = make_case(officer_a, world.commune_a, detected_on=D(2025, 8, 1))
    case = advance(officer_a, case, "negative_test", D(2025, 8, 5))
    assert (case.status, case.close_reason) == (Status.CLOSED, CloseReason.NEGATIVE_TEST)
    with pytest.raises(ValidationError):
        advance(officer_a, case, "prosecute", D(2025, 9, 1))
    assert CaseFile.objects.get(pk=case.pk).status == Status.CLOSED


def test_a_file_transferred_away_cannot_be_reopened_here(world, officer_a):
    """After a transfer the person is managed by the receiving commune; reopening the closed file
    in the old commune would leave the same person with two open files."""
    old = _managed(officer_a, world.commune_a, D(2026, 3, 2))
    new = services.case_transfer(
        actor=officer_a, case=old, to_commune=world.commune_b, data=services.EventInput(event_date=D(2026, 6, 1))
    )
    with pytest.raises(ValidationError):
        advance(officer_a, CaseFile.objects.get(pk=old.pk), "reopen", D(2026, 7, 1))
    open_files = CaseFile.objects.filter(person=new.person).exclude(status=Status.CLOSED)
    assert list(open_files) == [new]


def test_prosecution_within_two_years_after_completed_rehab_is_allowed(world, officer_a):
    """Art. 256a's third case: drug use within 2 years after voluntary rehab was completed."""
    case = make_case(officer_a, world.commune_a, detected_on=D(2025, 6, 2))
    case = advance(officer_a, case, "refer_determination", D(2025, 6, 5))
    case = advance(officer_a, case, "addicted", D(2025, 6, 10), facility="TTYT khu vực Yên Sơn")
    case = advance(officer_a, case, "register_community", D(2025, 6, 16))
    case = advance(officer_a, case, "complete_voluntary", add_months(D(2025, 6, 16), 6))
    assert (case.status, case.close_reason) == (Status.CLOSED, CloseReason.REHAB_COMPLETED)
    case = advance(officer_a, case, "prosecute", D(2026, 3, 1))
    assert (case.status, case.whereabouts) == (Status.CRIMINAL, Whereabouts.PRISON)


# --- issue 10 §5: minors' compulsory rehab, registration deadline ---------------------------------


def _awaiting_registration(officer, commune, result_day, **person):
    case = make_case(officer, commune, detected_on=result_day - dt.timedelta(days=10), **person)
    case = advance(officer, case, "refer_determination", result_day - dt.timedelta(days=3))
    return advance(officer, case, "addicted", result_day, facility="TTYT khu vực Yên Sơn")


def test_a_lawful_six_month_compulsory_order_for_a_15_year_old_is_recorded(world, officer_a):
    """Law 2021 Art. 33: minors aged 12 to under 18 are sent by their own court procedure for
    6–12 months; the adults' 12–24 months must not refuse a lawful 6-month order."""
    case = _awaiting_registration(officer_a, world.commune_a, D(2026, 3, 2), date_of_birth=D(2011, 1, 20))
    deadline = case.period_end
    with pytest.raises(ValidationError, match="hạn đăng ký"):
        advance(officer_a, case, "compulsory_dossier", deadline)
    case = advance(officer_a, case, "compulsory_dossier", deadline + dt.timedelta(days=1))
    court_day = D(2026, 4, 20)
    order = {"decision_number": "03/2026/QĐ-TA", "facility": "Cơ sở cai nghiện ma túy tỉnh"}
    with pytest.raises(ValidationError, match="dưới 18 tuổi"):
        advance(officer_a, case, "court_compulsory", court_day, end_date=add_months(court_day, 12), **order)
    case = advance(officer_a, case, "court_compulsory_minor", court_day, end_date=add_months(court_day, 6), **order)
    assert (case.status, case.whereabouts) == (Status.COMPULSORY, Whereabouts.REHAB_FACILITY)
    assert case.period_end == D(2026, 10, 20)
    event = case.events.get(kind=EventKind.COURT_DECISION)
    assert "Điều 33" in event.legal_basis
    row = LegalDuration.objects.get(key="compulsory_rehab_minor_min", effective_from=D(2022, 1, 1))
    assert (row.value, row.unit, row.verification) == (6, "months", "unverified")
