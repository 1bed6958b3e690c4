"""Services: validation in Vietnamese, scope of the chosen communes, optimistic locking, audit in
the same transaction, reaches, the register synchronised from the case files."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditLogEntry
from apps.cases import services as case_services
from apps.core.locking import StaleObjectError
from apps.prevention import services
from apps.prevention.choices import HighRiskSource, HighRiskStatus
from apps.prevention.models import Activity, ActivityReach, HighRiskPerson, Informant, TipOff
from tests.factories.cases import advance, make_case
from tests.factories.prevention import (
    make_activity,
    make_model_point,
    make_person,
    make_tip_off,
    make_training,
)


def _input(activity: Activity, **changes) -> services.ActivityInput:
    data = {
        "title": activity.title,
        "date_from": activity.date_from,
        "date_to": activity.date_to,
        "communes": list(activity.communes.all()),
        "kind": activity.kind,
        "topics": list(activity.topics.values_list("topic", flat=True)),
        "participation": dict(activity.participations.values_list("group_id", "count")),
        "sessions": activity.sessions,
        "materials_count": activity.materials_count,
        "materials_description": activity.materials_description,
        "organiser": activity.organiser,
        "reporting_officer": activity.reporting_officer,
        "notes": activity.notes,
        "reached": None,
    }
    data.update(changes)
    return services.ActivityInput(**data)


# --- activities --------------------------------------------------------------------------------------


def test_activity_is_created_with_its_parts_and_audited(world, officer_a):
    person = make_person(officer_a, world.commune_a)
    activity = make_activity(
        officer_a,
        world.commune_a,
        title="  Tuyên truyền   tác hại ma túy đá ",
        participation={"students": 120, "drug_users": 3},
        reached=[person],
    )
    assert activity.title == "Tuyên truyền tác hại ma túy đá"
    assert activity.participants_total == 123
    assert activity.date_to == activity.date_from
    assert activity.reporting_officer == officer_a
    assert sorted(activity.topics.values_list("topic", flat=True)) == ["law", "synthetic_nps"]
    assert list(activity.reaches.values_list("person_id", flat=True)) == [person.pk]
    assert "tuyen truyen tac hai ma tuy da" in activity.search_text
    entry = AuditLogEntry.objects.get(action="prevention.activity.create", object_id=str(activity.pk))
    assert entry.area == world.commune_a
    assert entry.after["participation"] == {"drug_users": 3, "students": 120}
    assert entry.after["reached"] == [person.pk]


def test_activity_refuses_a_commune_outside_scope_and_bad_input(world, officer_a):
    with pytest.raises(ValidationError) as exc:
        make_activity(officer_a, world.commune_a, world.commune_b)
    assert "Phường Minh Xuân nằm ngoài phạm vi được giao" in exc.value.message_dict["communes"][0]
    with pytest.raises(ValidationError) as exc:
        make_activity(officer_a, world.former_a)
    assert "không phải xã, phường hiện hành" in exc.value.message_dict["communes"][0]
    with pytest.raises(ValidationError) as exc:
        make_activity(
            officer_a,
            world.commune_a,
            title="",
            topics=[],
            date_from=dt.date(2026, 3, 5),
            date_to=dt.date(2026, 3, 1),
            organiser="",
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"title", "topics", "date_to", "organiser"}
    assert errors["date_to"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    with pytest.raises(ValidationError) as exc:
        make_activity(officer_a, world.commune_a, date_from=world.today + dt.timedelta(days=1))
    assert exc.value.message_dict["date_from"] == ["Từ ngày không được sau ngày hôm nay."]
    assert not Activity.objects.exists()


def test_roles_without_add_cannot_create(world, steering_a):
    with pytest.raises(PermissionDenied):
        make_activity(steering_a, world.commune_a)


def test_update_bumps_version_and_refuses_a_stale_edit(world, officer_a):
    activity = make_activity(officer_a, world.commune_a)
    assert activity.version == 1
    updated = services.activity_update(
        actor=officer_a, activity=activity, data=_input(activity, sessions=3), expected_version=1
    )
    assert (updated.version, updated.sessions) == (2, 3)
    with pytest.raises(StaleObjectError) as exc:
        services.activity_update(
            actor=officer_a, activity=activity, data=_input(activity, sessions=5), expected_version=1
        )
    message = exc.value.messages[0]
    assert officer_a.get_full_name() in message and "officer_a" not in message and "Số buổi" in message
    assert Activity.objects.get(pk=activity.pk).sessions == 3


def test_update_without_change_keeps_the_version_and_writes_no_audit(world, officer_a):
    activity = make_activity(officer_a, world.commune_a)
    services.activity_update(actor=officer_a, activity=activity, data=_input(activity), expected_version=1)
    assert Activity.objects.get(pk=activity.pk).version == 1
    assert not AuditLogEntry.objects.filter(action="prevention.activity.update").exists()


def test_multi_commune_activity_is_editable_only_with_every_commune_in_scope(
    world, officer_a, officer_b, province_staff
):
    activity = make_activity(province_staff, world.commune_a, world.commune_b)
    with pytest.raises(PermissionDenied):
        services.activity_update(
            actor=officer_a, activity=activity, data=_input(activity, sessions=4), expected_version=1
        )
    services.activity_update(
        actor=province_staff, activity=activity, data=_input(activity, sessions=4), expected_version=1
    )
    assert Activity.objects.get(pk=activity.pk).sessions == 4
    # each officer records the people of their own register, without touching the other commune's
    a1, b1 = make_person(officer_a, world.commune_a), make_person(officer_b, world.commune_b)
    services.activity_set_reaches(actor=officer_a, activity=activity, persons=[a1])
    services.activity_set_reaches(actor=officer_b, activity=activity, persons=[b1])
    services.activity_set_reaches(actor=officer_a, activity=activity, persons=[])
    assert list(activity.reaches.values_list("person_id", flat=True)) == [b1.pk]
    with pytest.raises(ValidationError):
        services.activity_set_reaches(actor=officer_a, activity=activity, persons=[b1])


def test_reached_people_must_belong_to_the_activity_communes_and_be_active(world, officer_a, province_staff):
    here = make_person(officer_a, world.commune_a)
    moved = make_person(officer_a, world.commune_a, status=HighRiskStatus.MOVED)
    activity = make_activity(officer_a, world.commune_a)
    with pytest.raises(ValidationError) as exc:
        services.activity_set_reaches(actor=officer_a, activity=activity, persons=[moved])
    assert "chuyển đi" in exc.value.messages[0]
    elsewhere = make_activity(province_staff, world.commune_b)
    with pytest.raises(ValidationError):
        services.activity_set_reaches(actor=province_staff, activity=elsewhere, persons=[here])
    assert services.activity_set_reaches(actor=officer_a, activity=activity, persons=[here]) is True
    assert services.activity_set_reaches(actor=officer_a, activity=activity, persons=[here]) is False
    entry = AuditLogEntry.objects.get(action="prevention.activity.reach")
    assert (entry.before, entry.after, entry.area) == ({"reached": []}, {"reached": [here.pk]}, world.commune_a)


def test_removing_a_commune_with_recorded_reaches_is_refused(world, province_staff, officer_b):
    activity = make_activity(province_staff, world.commune_a, world.commune_b)
    person = make_person(officer_b, world.commune_b)
    services.activity_set_reaches(actor=province_staff, activity=activity, persons=[person])
    with pytest.raises(ValidationError) as exc:
        services.activity_update(
            actor=province_staff,
            activity=activity,
            data=_input(activity, communes=[world.commune_a]),
            expected_version=activity.version,
        )
    assert "Phường Minh Xuân" in exc.value.message_dict["communes"][0]


# --- high-risk register --------------------------------------------------------------------------


def test_highrisk_create_validates_and_refuses_duplicates(world, officer_a):
    person = make_person(officer_a, world.commune_a, full_name="Lý Văn Páo", birth_year=1999)
    assert person.search_text.startswith("ly van pao")
    with pytest.raises(ValidationError) as exc:
        make_person(officer_a, world.commune_a, full_name="ly van pao", birth_year=1999)
    assert "đã có trong sổ" in exc.value.message_dict["full_name"][0]
    with pytest.raises(ValidationError) as exc:
        make_person(officer_a, world.commune_a, category="students")
    assert exc.value.message_dict["category"] == ["Hãy chọn một nhóm nguy cơ cao."]
    with pytest.raises(ValidationError) as exc:
        make_person(officer_a, world.commune_b)
    assert "ngoài phạm vi" in exc.value.message_dict["commune"][0]


def _sync(world):
    return services.highrisk_sync_from_cases(commune=world.commune_a)


def test_sync_adds_people_with_an_open_case_file_and_is_idempotent(world, officer_a):
    case = make_case(officer_a, world.commune_a, full_name="Đặng Văn Hùng", birth_year=1992, current_village="Tổ 7")
    closed = make_case(officer_a, world.commune_a, full_name="Ma Văn Cường", birth_year=1990)
    advance(officer_a, closed, "negative_test", dt.date(2026, 1, 8))
    summary = _sync(world)
    assert (summary.created, summary.updated) == (1, 0)
    entry = HighRiskPerson.objects.get()
    assert (entry.person_id, entry.full_name, entry.category.code) == (case.person_id, "Đặng Văn Hùng", "drug_users")
    assert (entry.source, entry.status, entry.village) == (HighRiskSource.CASES, HighRiskStatus.ACTIVE, "Tổ 7")
    audit = AuditLogEntry.objects.get(action="prevention.highriskperson.sync")
    assert (audit.actor, audit.actor_username, audit.area) == (None, "system", world.commune_a)
    assert _sync(world).changed == 0
    assert AuditLogEntry.objects.filter(action="prevention.highriskperson.sync").count() == 1


def test_sync_links_a_manual_entry_instead_of_duplicating_it(world, officer_a):
    manual = make_person(
        officer_a, world.commune_a, full_name="Đặng Văn Hùng", birth_year=1992, category="seasonal_workers"
    )
    case = make_case(officer_a, world.commune_a, full_name="Đặng Văn Hùng", birth_year=1992, sex="M")
    summary = _sync(world)
    assert (summary.created, summary.updated) == (0, 1)
    manual.refresh_from_db()
    assert (manual.person_id, manual.source, manual.category.code) == (case.person_id, "cases", "drug_users")


def test_sync_reactivates_and_marks_people_who_moved(world, officer_a, officer_b):
    case = make_case(officer_a, world.commune_a, full_name="Nông Văn Lợi", birth_year=1988)
    _sync(world)
    entry = HighRiskPerson.objects.get()
    HighRiskPerson.objects.filter(pk=entry.pk).update(status=HighRiskStatus.REMOVED)
    assert _sync(world).updated == 1
    entry.refresh_from_db()
    assert entry.status == HighRiskStatus.ACTIVE
    case_services.case_transfer(
        actor=officer_a, case=case, to_commune=world.commune_b, data=case_services.EventInput(event_date=world.today)
    )
    summary = _sync(world)
    entry.refresh_from_db()
    assert summary.moved == 1
    assert (entry.status, entry.status_note) == (HighRiskStatus.MOVED, "Đã chuyển đến Phường Minh Xuân")
    assert services.highrisk_sync_from_cases(commune=world.commune_b).created == 1


def test_entry_of_a_person_with_an_open_file_keeps_the_file_data(world, officer_a):
    make_case(officer_a, world.commune_a, full_name="Triệu Văn Sinh", birth_year=1990)
    _sync(world)
    entry = HighRiskPerson.objects.get()
    data = services.HighRiskInput(
        commune=world.commune_a,
        full_name=entry.full_name,
        birth_year=entry.birth_year,
        sex=entry.sex,
        category=entry.category,
        village="Thôn Nà Mè",
        status=HighRiskStatus.REMOVED,
    )
    with pytest.raises(ValidationError):
        services.highrisk_update(actor=officer_a, entry=entry, data=data, expected_version=entry.version)
    data.status = HighRiskStatus.ACTIVE
    updated = services.highrisk_update(actor=officer_a, entry=entry, data=data, expected_version=entry.version)
    assert (updated.village, updated.version) == ("Thôn Nà Mè", entry.version + 1)


# --- trainings, model points -----------------------------------------------------------------------


def test_training_counts_participants_per_unit_in_scope(world, officer_a, province_staff):
    training = make_training(province_staff, (world.commune_a, 12), (world.commune_b, 8), (world.province, 5))
    assert training.participants_total == 25
    with pytest.raises(ValidationError) as exc:
        make_training(officer_a, (world.commune_b, 3))
    assert "ngoài phạm vi" in exc.value.message_dict["participations"][0]
    with pytest.raises(PermissionDenied):
        services.training_update(
            actor=officer_a,
            training=training,
            data=services.TrainingInput(
                held_on=training.held_on, topic="x", organiser="y", participations=[(world.commune_a, 1)]
            ),
            expected_version=1,
        )


def test_model_point_evaluation_per_year(world, officer_a):
    point = make_model_point(officer_a, world.commune_a)
    services.modelpoint_evaluate(actor=officer_a, point=point, year=2025, result="good", notes="Tốt")
    services.modelpoint_evaluate(actor=officer_a, point=point, year=2025, result="fair")
    assert list(point.evaluations.values_list("year", "result")) == [(2025, "fair")]
    assert AuditLogEntry.objects.filter(action="prevention.modelpoint.evaluate").count() == 2
    with pytest.raises(ValidationError) as exc:
        services.modelpoint_evaluate(actor=officer_a, point=point, year=2019, result="good")
    assert "Năm đánh giá" in exc.value.message_dict["year"][0]


# --- tip-offs ------------------------------------------------------------------------------------


def test_tip_off_informant_is_stored_apart_and_never_audited_in_clear(world, officer_a):
    tip = make_tip_off(officer_a, world.commune_a, informant={"full_name": "Vàng Thị Mỷ", "phone": "0912345678"})
    assert Informant.objects.get(tip_off=tip).full_name == "Vàng Thị Mỷ"
    entries = AuditLogEntry.objects.filter(object_id=str(tip.pk))
    assert {e.action for e in entries} == {"prevention.tipoff.create", "prevention.informant.set"}
    for entry in entries:
        text = f"{entry.object_repr} {entry.before} {entry.after} {entry.message}"
        assert "Mỷ" not in text and "0912345678" not in text


def test_tip_off_needs_a_result_once_handled(world, officer_a):
    tip = make_tip_off(officer_a, world.commune_a)
    data = services.TipOffInput(
        received_on=tip.received_on,
        channel=tip.channel,
        commune=world.commune_a,
        summary=tip.summary,
        status="handled",
    )
    with pytest.raises(ValidationError) as exc:
        services.tipoff_update(actor=officer_a, tip_off=tip, data=data, expected_version=1)
    assert "kết quả xử lý" in exc.value.message_dict["result"][0]
    data.result = "Đã xác minh, không có vi phạm."
    updated = services.tipoff_update(actor=officer_a, tip_off=tip, data=data, expected_version=1)
    assert (updated.status, updated.version) == ("handled", 2)


def test_tip_off_links_only_register_records_in_scope(world, officer_a, officer_b):
    from tests.factories.registers import make_hotspot

    base = {"received_on": dt.date(2026, 3, 2), "channel": "hotline", "commune": world.commune_a, "summary": "Tin"}
    here = make_hotspot(officer_a, world.commune_a)
    there = make_hotspot(officer_b, world.commune_b)
    tip = services.tipoff_create(actor=officer_a, data=services.TipOffInput(**base, hotspot_id=here.pk))
    assert tip.hotspot_id == here.pk
    with pytest.raises(ValidationError) as exc:
        services.tipoff_create(actor=officer_a, data=services.TipOffInput(**base, hotspot_id=there.pk))
    assert "thuộc phạm vi được giao" in exc.value.message_dict["hotspot_id"][0]


def test_only_an_informant_reader_may_change_the_informant(world, officer_a, informant_reader):
    tip = make_tip_off(officer_a, world.commune_a, informant={"full_name": "Người A"})
    data = services.TipOffInput(
        received_on=tip.received_on, channel=tip.channel, commune=world.commune_a, summary=tip.summary
    )
    with pytest.raises(PermissionDenied):
        services.tipoff_update(
            actor=officer_a, tip_off=tip, data=data, expected_version=1, informant=services.InformantInput("B")
        )
    informant_reader.user_permissions.add(Permission.objects.get(codename="change_tipoff"))
    informant_reader = type(informant_reader).objects.get(pk=informant_reader.pk)  # fresh permission cache
    fresh = TipOff.objects.get(pk=tip.pk)
    services.tipoff_update(
        actor=informant_reader,
        tip_off=fresh,
        data=data,
        expected_version=1,
        informant=services.InformantInput(full_name="Người B"),
    )
    assert Informant.objects.get(tip_off=tip).full_name == "Người B"
    assert TipOff.objects.get(pk=tip.pk).version == 1  # the tip-off itself did not change


def test_informant_read_is_audited_and_refused_without_the_permission(world, officer_a, informant_reader):
    tip = make_tip_off(officer_a, world.commune_a, informant={"full_name": "Người A"})
    with pytest.raises(PermissionDenied):
        services.informant_read(actor=officer_a, tip_off=tip)
    assert services.informant_read(actor=informant_reader, tip_off=tip).full_name == "Người A"
    entry = AuditLogEntry.objects.get(action="prevention.informant.view")
    assert (entry.actor, entry.object_id, entry.area) == (informant_reader, str(tip.pk), world.commune_a)


def test_reach_rows_survive_only_through_services(world, officer_a):
    person = make_person(officer_a, world.commune_a)
    make_activity(officer_a, world.commune_a, reached=[person])
    assert ActivityReach.objects.get().recorded_by == officer_a
