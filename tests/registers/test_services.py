"""Writes on the registers: validation, scope, audit, optimistic locking, hotspot status
transitions, and the mapping of former (pre-2025) communes, including split ones."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from apps.areas.models import UnitSuccession
from apps.audit.models import AuditLogEntry
from apps.core.locking import StaleObjectError
from apps.registers import actions
from apps.registers.choices import HOTSPOT_TRANSITIONS, HotspotStatus
from apps.registers.models import CrimeCase, Hotspot, HotspotStatusChange, Offender
from apps.registers.services import crimecases as crimecase_services
from apps.registers.services import cultivation as cultivation_services
from apps.registers.services import hotspots as hotspot_services
from tests.factories.areas import UnitFactory
from tests.factories.cases import make_case
from tests.factories.registers import (
    every_kind,
    make_crime_case,
    make_cultivation,
    make_hotspot,
    make_record,
    offender,
    register_models,
)

D = dt.date


def audits(obj, action):
    return AuditLogEntry.objects.filter(
        action=action, object_id=str(obj.pk), content_type__model=obj._meta.model_name
    ).order_by("time", "pk")


def hotspot_input(hotspot: Hotspot, **changes) -> hotspot_services.HotspotInput:
    """The input an edit form would send back unchanged, with ``changes`` applied."""
    data = {
        "name": hotspot.name,
        "kind": hotspot.kind,
        "discovered_on": hotspot.discovered_on,
        "commune": hotspot.commune,
        "recorded_unit": hotspot.recorded_unit,
        "village": hotspot.village,
        "address": hotspot.address,
        "latitude": hotspot.latitude,
        "longitude": hotspot.longitude,
        "notes": hotspot.notes,
    }
    data.update(changes)
    return hotspot_services.HotspotInput(**data)


@pytest.fixture
def split_old(world):
    """A former commune split between commune A and commune B (partly into each)."""
    unit = UnitFactory(
        generation=world.former_a.generation,
        parent=world.former_a.parent,
        code="2470",
        name="Thắng Quân",
        full_name="Xã Thắng Quân",
    )
    for new in (world.commune_a, world.commune_b):
        UnitSuccession.objects.create(old=unit, new=new, partly=True, effective_date=D(2025, 7, 1))
    return unit


# --- hotspots: creation, scope, audit ------------------------------------------------------------


def test_hotspot_create_records_history_and_audit(world, officer_a):
    hotspot = make_hotspot(
        officer_a,
        world.commune_a,
        name="  Nhà nghỉ   Hoa Mai ",
        village="Thôn Đồng Cầu",
        latitude=Decimal("21.8233"),
        discovered_on=D(2025, 3, 2),
    )
    hotspot.refresh_from_db()
    assert hotspot.name == "Nhà nghỉ Hoa Mai"
    assert (hotspot.name_key, hotspot.latitude) == ("nha nghi hoa mai", Decimal("21.823300"))
    assert (hotspot.status, hotspot.status_since, hotspot.eliminated_on) == (HotspotStatus.ACTIVE, D(2025, 3, 2), None)
    assert (hotspot.version, hotspot.created_by, hotspot.commune) == (1, officer_a, world.commune_a)
    assert "thon dong cau" in hotspot.search_text
    history = list(hotspot.status_changes.values_list("from_status", "to_status", "changed_on", "changed_by"))
    assert history == [("", HotspotStatus.ACTIVE, D(2025, 3, 2), officer_a.pk)]
    entry = audits(hotspot, actions.HOTSPOT_CREATE).get()
    assert (entry.area, entry.actor, entry.before) == (world.commune_a, officer_a, None)
    assert entry.after["name"] == "Nhà nghỉ Hoa Mai" and entry.after["version"] == 1


def test_a_register_copied_from_paper_may_start_eliminated(world, officer_a):
    hotspot = make_hotspot(
        officer_a, world.commune_a, discovered_on=D(2023, 1, 1), status="eliminated", status_since=D(2024, 2, 1)
    )
    assert (hotspot.status, hotspot.eliminated_on) == (HotspotStatus.ELIMINATED, D(2024, 2, 1))


@pytest.mark.parametrize("role_fixture", ["steering_a", "province_staff"])
def test_creation_needs_the_add_permission(world, role_fixture, request):
    actor = request.getfixturevalue(role_fixture)
    for model in register_models():
        with pytest.raises(PermissionDenied):
            make_record(model, actor, world.commune_a)
    assert not any(model.objects.exists() for model in register_models())


@pytest.mark.parametrize("model", every_kind())
def test_commune_outside_the_officers_scope_is_refused(world, officer_a, model):
    with pytest.raises(ValidationError) as exc:
        make_record(model, officer_a, world.commune_b)
    assert "phạm vi" in exc.value.message_dict["commune"][0]
    with pytest.raises(ValidationError) as exc:  # a former commune is not a current commune
        make_record(model, officer_a, world.former_a)
    assert "hiện hành" in exc.value.message_dict["commune"][0]
    assert not AuditLogEntry.objects.filter(action__startswith="registers.").exists()


def test_updates_of_another_communes_records_answer_404(world, officer_a, officer_b):
    hotspot = make_hotspot(officer_b, world.commune_b)
    with pytest.raises(Http404):
        hotspot_services.hotspot_update(actor=officer_a, hotspot=hotspot, data=hotspot_input(hotspot, notes="x"))
    with pytest.raises(Http404):
        hotspot_services.hotspot_change_status(
            actor=officer_a, hotspot=hotspot, to_status="eliminated", changed_on=D(2026, 2, 1)
        )
    case = make_crime_case(officer_b, world.commune_b)
    with pytest.raises(Http404):
        crimecase_services.crime_case_update(
            actor=officer_a,
            crime_case=case,
            data=crimecase_services.CrimeCaseInput(occurred_on=D(2026, 1, 5), article="251", summary="x"),
        )


def test_province_staff_may_read_but_not_change(world, officer_a, province_staff):
    hotspot = make_hotspot(officer_a, world.commune_a)
    with pytest.raises(PermissionDenied):
        hotspot_services.hotspot_update(actor=province_staff, hotspot=hotspot, data=hotspot_input(hotspot, notes="x"))


def test_hotspot_names_are_unique_per_commune_ignoring_diacritics(world, officer_a, officer_b):
    make_hotspot(officer_a, world.commune_a, name="Bãi sông Lô")
    with pytest.raises(ValidationError) as exc:
        make_hotspot(officer_a, world.commune_a, name="bai song lo")
    assert "đã có điểm" in exc.value.message_dict["name"][0]
    make_hotspot(officer_b, world.commune_b, name="Bãi sông Lô")  # another commune: fine


def test_dates_are_checked(world, officer_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        make_hotspot(officer_a, world.commune_a, discovered_on=tomorrow)
    assert "không được sau ngày hôm nay" in exc.value.message_dict["discovered_on"][0]
    with pytest.raises(ValidationError) as exc:
        make_hotspot(officer_a, world.commune_a, discovered_on=D(2025, 5, 1), status_since=D(2025, 4, 1))
    assert "status_since" in exc.value.message_dict


def test_linked_case_files_must_be_in_scope(world, officer_a, officer_b):
    own = make_case(officer_a, world.commune_a)
    other = make_case(officer_b, world.commune_b)
    hotspot = make_hotspot(officer_a, world.commune_a, linked_cases=[own])
    assert list(hotspot.linked_cases.all()) == [own]
    with pytest.raises(ValidationError) as exc:
        make_hotspot(officer_a, world.commune_a, linked_cases=[own, other])
    assert "linked_cases" in exc.value.message_dict


# --- former communes ---------------------------------------------------------------------------


def test_a_former_commune_is_mapped_to_todays_commune(world, officer_a):
    hotspot = make_hotspot(officer_a, None, recorded_unit=world.former_a)
    case = make_crime_case(officer_a, None, recorded_unit=world.former_a)
    find = make_cultivation(officer_a, None, recorded_unit=world.former_a)
    for record in (hotspot, case, find):
        assert (record.commune, record.recorded_unit) == (world.commune_a, world.former_a)


def test_a_split_former_commune_needs_an_explicit_choice(world, officer_a, split_old):
    with pytest.raises(ValidationError) as exc:
        make_hotspot(officer_a, None, recorded_unit=split_old)
    message = exc.value.message_dict["commune"][0]
    assert "Xã Thắng Quân" in message and "chia cho nhiều" in message
    assert "Xã Trung Sơn" in message and "Phường Minh Xuân" in message
    hotspot = make_hotspot(officer_a, world.commune_a, recorded_unit=split_old)
    assert (hotspot.commune, hotspot.recorded_unit) == (world.commune_a, split_old)
    with pytest.raises(ValidationError) as exc:  # the other half is not officer A's
        make_hotspot(officer_a, world.commune_b, recorded_unit=split_old)
    assert "phạm vi" in exc.value.message_dict["commune"][0]


def test_the_chosen_commune_must_succeed_the_former_one(world, officer_b):
    with pytest.raises(ValidationError) as exc:
        make_cultivation(officer_b, world.commune_b, recorded_unit=world.former_a)
    assert "không phải đơn vị kế thừa" in exc.value.message_dict["commune"][0]


def test_a_current_commune_as_written_is_its_own_successor(world, officer_a):
    find = make_cultivation(officer_a, None, recorded_unit=world.commune_a)
    # Kept only when it adds something: the unit as written is today's commune itself.
    assert (find.commune, find.recorded_unit) == (world.commune_a, None)


# --- hotspots: update, optimistic locking --------------------------------------------------------


def test_hotspot_update_audits_before_and_after(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a, name="Lán tạm", notes="")
    updated = hotspot_services.hotspot_update(
        actor=officer_a, hotspot=hotspot, data=hotspot_input(hotspot, notes="Có camera"), expected_version=1
    )
    assert (updated.notes, updated.version) == ("Có camera", 2)
    entry = audits(hotspot, actions.HOTSPOT_UPDATE).get()
    assert (entry.before["notes"], entry.after["notes"], entry.after["version"]) == ("", "Có camera", 2)
    assert entry.area == world.commune_a


def test_an_update_that_changes_nothing_writes_nothing(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a, latitude=Decimal("21.823300"))
    same = hotspot_services.hotspot_update(
        actor=officer_a, hotspot=hotspot, data=hotspot_input(hotspot, latitude=Decimal("21.8233")), expected_version=1
    )
    assert same.version == 1
    assert not audits(hotspot, actions.HOTSPOT_UPDATE).exists()


def test_a_stale_hotspot_edit_is_refused_and_names_who_changed_what(world, officer_a):
    colleague = world.user("commune_officer", world.commune_a, "officer_a2")
    hotspot = make_hotspot(officer_a, world.commune_a, notes="")
    hotspot_services.hotspot_update(
        actor=officer_a, hotspot=hotspot, data=hotspot_input(hotspot, notes="A"), expected_version=1
    )
    with pytest.raises(StaleObjectError) as exc:
        hotspot_services.hotspot_update(
            actor=colleague, hotspot=hotspot, data=hotspot_input(hotspot, address="B"), expected_version=1
        )
    message = exc.value.messages[0]
    assert "CHƯA được lưu" in message and officer_a.get_full_name() in message and "ghi chú" in message, message
    hotspot.refresh_from_db()
    assert (hotspot.notes, hotspot.address, hotspot.version) == ("A", "", 2)


def test_a_status_change_makes_an_open_edit_stale(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a)
    hotspot_services.hotspot_change_status(
        actor=officer_a, hotspot=hotspot, to_status="surveillance", changed_on=D(2026, 2, 1)
    )
    with pytest.raises(StaleObjectError) as exc:
        hotspot_services.hotspot_update(
            actor=officer_a, hotspot=hotspot, data=hotspot_input(hotspot, notes="x"), expected_version=1
        )
    assert "tình trạng" in exc.value.messages[0]


# --- hotspots: status transitions ---------------------------------------------------------------


def test_the_full_legal_journey_keeps_history_and_elimination_date(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a, discovered_on=D(2025, 1, 10))
    steps = [
        ("surveillance", D(2025, 3, 1)),
        ("eliminated", D(2025, 6, 1)),
        ("reemerged", D(2025, 9, 1)),
        ("eliminated", D(2026, 1, 15)),
    ]
    seen = []
    for status, day in steps:
        hotspot_services.hotspot_change_status(
            actor=officer_a, hotspot=hotspot, to_status=status, changed_on=day, reason=f"bước {status}"
        )
        hotspot.refresh_from_db()
        seen.append((hotspot.status, hotspot.status_since, hotspot.eliminated_on))
    assert seen == [
        ("surveillance", D(2025, 3, 1), None),
        ("eliminated", D(2025, 6, 1), D(2025, 6, 1)),
        ("reemerged", D(2025, 9, 1), None),
        ("eliminated", D(2026, 1, 15), D(2026, 1, 15)),
    ]
    assert hotspot.version == 5
    history = list(HotspotStatusChange.objects.filter(hotspot=hotspot).values_list("from_status", "to_status"))
    assert history == [
        ("", "active"),
        ("active", "surveillance"),
        ("surveillance", "eliminated"),
        ("eliminated", "reemerged"),
        ("reemerged", "eliminated"),
    ]
    entries = audits(hotspot, actions.HOTSPOT_STATUS)
    assert entries.count() == 4
    assert entries.first().message == "Đang hoạt động → Đang theo dõi, giám sát: bước surveillance"


ILLEGAL = [(a, b) for a in HotspotStatus.values for b in HotspotStatus.values if b not in HOTSPOT_TRANSITIONS[a]]


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_illegal_transitions_are_refused_in_vietnamese(world, officer_a, current, target):
    hotspot = make_hotspot(officer_a, world.commune_a, discovered_on=D(2025, 1, 1), status=current)
    with pytest.raises(ValidationError) as exc:
        hotspot_services.hotspot_change_status(
            actor=officer_a, hotspot=hotspot, to_status=target, changed_on=D(2025, 5, 1)
        )
    message = exc.value.message_dict["to_status"][0]
    assert message.startswith("Không thể chuyển") and "chỉ có thể chuyển sang" in message
    assert str(HotspotStatus(current).label) in message and str(HotspotStatus(target).label) in message
    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.version) == (current, 1)
    assert hotspot.status_changes.count() == 1


def test_status_dates_must_follow_the_current_status(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a, discovered_on=D(2025, 5, 1))
    with pytest.raises(ValidationError) as exc:
        hotspot_services.hotspot_change_status(
            actor=officer_a, hotspot=hotspot, to_status="eliminated", changed_on=D(2025, 4, 1)
        )
    assert "01/05/2025" in exc.value.message_dict["changed_on"][0]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        hotspot_services.hotspot_change_status(
            actor=officer_a, hotspot=hotspot, to_status="eliminated", changed_on=tomorrow
        )


def test_unknown_status_is_refused(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a)
    with pytest.raises(ValidationError):
        hotspot_services.hotspot_change_status(
            actor=officer_a, hotspot=hotspot, to_status="closed", changed_on=D(2026, 2, 1)
        )


# --- crime cases ---------------------------------------------------------------------------------


def test_crime_case_create_with_offenders_numbering_and_audit(world, officer_a):
    case = make_crime_case(
        officer_a,
        world.commune_a,
        occurred_on=D(2025, 12, 30),
        heroin_g=Decimal("1.5"),
        synthetic_tablets=40,
        offenders=[
            offender("Nguyễn Văn Hùng", birth_year=1990, arrested_on=D(2025, 12, 30)),
            offender("Lý Thị Mai", sex="F", arrested_on=D(2026, 1, 2)),
        ],
    )
    second = make_crime_case(officer_a, world.commune_a, occurred_on=D(2025, 11, 1))
    third = make_crime_case(officer_a, world.commune_a, occurred_on=D(2026, 1, 1))
    assert (case.number, second.number, third.number) == (
        "VA-2458-2025-0001",
        "VA-2458-2025-0002",
        "VA-2458-2026-0001",
    )
    case.refresh_from_db()
    assert case.offenders_count == 2  # defaults to the people named
    assert case.heroin_g == Decimal("1.500")
    assert list(case.offenders.values_list("full_name", flat=True)) == ["Nguyễn Văn Hùng", "Lý Thị Mai"]
    assert "nguyen van hung" in case.search_text
    entry = audits(case, actions.CRIMECASE_CREATE).get()
    assert [o["full_name"] for o in entry.after["offenders"]] == ["Nguyễn Văn Hùng", "Lý Thị Mai"]
    assert entry.area == world.commune_a


def test_more_arrested_than_named_is_allowed_but_not_fewer(world, officer_a):
    case = make_crime_case(officer_a, world.commune_a, offenders_count=3, offenders=[offender()])
    assert case.offenders_count == 3
    with pytest.raises(ValidationError) as exc:
        make_crime_case(officer_a, world.commune_a, offenders_count=1, offenders=[offender("A"), offender("B")])
    assert "ít hơn số người đã ghi tên (2)" in exc.value.message_dict["offenders_count"][0]


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"heroin_g": Decimal("-1")}, "heroin_g"),
        ({"cannabis_g": Decimal("-0.001")}, "cannabis_g"),
        ({"occurred_on": timezone.localdate() + dt.timedelta(days=1)}, "occurred_on"),
        ({"summary": "  "}, "summary"),
        ({"article": "999"}, "article"),
    ],
)
def test_crime_case_validation(world, officer_a, fields, key):
    with pytest.raises(ValidationError) as exc:
        make_crime_case(officer_a, world.commune_a, **fields)
    assert key in exc.value.message_dict
    assert not CrimeCase.objects.exists()


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ({"arrested_on": D(2026, 1, 1)}, "trước ngày xảy ra"),
        ({"birth_year": 2020}, "năm sinh 2020 không hợp lý"),
        ({"sex": "X"}, "giới tính"),
        ({"arrested_on": timezone.localdate() + dt.timedelta(days=2)}, "sau ngày hôm nay"),
    ],
)
def test_offender_validation_names_the_person(world, officer_a, row, fragment):
    with pytest.raises(ValidationError) as exc:
        make_crime_case(
            officer_a,
            world.commune_a,
            occurred_on=D(2026, 1, 5),
            offenders=[offender("Người Đúng"), offender("Người Sai", **row)],
        )
    messages = exc.value.message_dict["offenders"]
    assert len(messages) == 1 and messages[0].startswith("Người thứ 2 (Người Sai)") and fragment in messages[0]
    assert not Offender.objects.exists()


def test_an_offender_may_link_a_person_in_scope_only(world, officer_a, officer_b):
    own = make_case(officer_a, world.commune_a).person
    other = make_case(officer_b, world.commune_b).person
    case = make_crime_case(officer_a, world.commune_a, offenders=[offender(own.full_name, person=own)])
    assert case.offenders.get().person == own
    with pytest.raises(ValidationError) as exc:
        make_crime_case(officer_a, world.commune_a, offenders=[offender(other.full_name, person=other)])
    assert "ngoài phạm vi" in exc.value.message_dict["offenders"][0]


def test_crime_case_update_replaces_offenders_keeping_edited_rows(world, officer_a):
    case = make_crime_case(officer_a, world.commune_a, offenders=[offender("A Một"), offender("B Hai")])
    first, second = case.offenders.order_by("pk")
    data = crimecase_services.CrimeCaseInput(
        occurred_on=case.occurred_on, article=case.article, summary=case.summary, commune=case.commune
    )
    updated = crimecase_services.crime_case_update(
        actor=officer_a,
        crime_case=case,
        data=data,
        offenders=[offender("A Một (sửa)", pk=first.pk, birth_year=1991), offender("C Ba")],
        expected_version=1,
    )
    rows = list(updated.offenders.order_by("pk").values_list("pk", "full_name", "birth_year"))
    assert rows[0] == (first.pk, "A Một (sửa)", 1991)
    assert [r[1] for r in rows] == ["A Một (sửa)", "C Ba"]
    assert not Offender.objects.filter(pk=second.pk).exists()
    assert (updated.version, updated.offenders_count) == (2, 2)
    entry = audits(case, actions.CRIMECASE_UPDATE).get()
    assert [o["full_name"] for o in entry.before["offenders"]] == ["A Một", "B Hai"]
    assert [o["full_name"] for o in entry.after["offenders"]] == ["A Một (sửa)", "C Ba"]


def test_crime_case_update_without_offenders_leaves_them(world, officer_a):
    case = make_crime_case(officer_a, world.commune_a, offenders=[offender("A Một")])
    data = crimecase_services.CrimeCaseInput(
        occurred_on=case.occurred_on,
        article=case.article,
        summary=case.summary,
        commune=case.commune,
        stage="prosecuted",
    )
    updated = crimecase_services.crime_case_update(actor=officer_a, crime_case=case, data=data, expected_version=1)
    assert (updated.stage, updated.offenders.count(), updated.offenders_count) == ("prosecuted", 1, 1)


def test_stale_crime_case_edit_is_refused(world, officer_a):
    case = make_crime_case(officer_a, world.commune_a)
    data = crimecase_services.CrimeCaseInput(
        occurred_on=case.occurred_on, article="249", summary=case.summary, commune=case.commune
    )
    crimecase_services.crime_case_update(actor=officer_a, crime_case=case, data=data, expected_version=1)
    with pytest.raises(StaleObjectError) as exc:
        crimecase_services.crime_case_update(actor=officer_a, crime_case=case, data=data, expected_version=1)
    assert "tội danh" in exc.value.messages[0]


def test_viewing_a_case_is_recorded_only_when_it_names_people(world, officer_a, province_staff):
    named = make_crime_case(officer_a, world.commune_a, offenders=[offender()])
    anonymous = make_crime_case(officer_a, world.commune_a, offenders_count=2)
    assert crimecase_services.crime_case_record_view(actor=province_staff, crime_case=named) is True
    assert crimecase_services.crime_case_record_view(actor=province_staff, crime_case=anonymous) is False
    entry = audits(named, actions.CRIMECASE_VIEW).get()
    assert (entry.actor, entry.area) == (province_staff, world.commune_a)
    assert not audits(anonymous, actions.CRIMECASE_VIEW).exists()


# --- cultivation ---------------------------------------------------------------------------------


def test_cultivation_create_update_and_lock(world, officer_a):
    find = make_cultivation(
        officer_a, world.commune_a, plants=1200, area_m2=Decimal("350.5"), village="Thôn Khuôn Khoai"
    )
    assert (find.number, find.area_m2, find.destroyed) == ("TC-2458-2026-0001", Decimal("350.50"), True)
    assert "khuon khoai" in find.search_text
    data = cultivation_services.CultivationInput(
        found_on=find.found_on,
        species=find.species,
        commune=find.commune,
        plants=1300,
        area_m2=Decimal("350.50"),
        village=find.village,
    )
    updated = cultivation_services.cultivation_update(actor=officer_a, cultivation=find, data=data, expected_version=1)
    assert (updated.plants, updated.version) == (1300, 2)
    entry = audits(find, actions.CULTIVATION_UPDATE).get()
    assert (entry.before["plants"], entry.after["plants"]) == (1200, 1300)
    with pytest.raises(StaleObjectError) as exc:
        cultivation_services.cultivation_update(actor=officer_a, cultivation=find, data=data, expected_version=1)
    assert "số cây" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"plants": 0, "area_m2": Decimal(0)}, "plants"),
        ({"area_m2": Decimal("-1")}, "area_m2"),
        ({"found_on": timezone.localdate() + dt.timedelta(days=1)}, "found_on"),
        ({"species": "tobacco"}, "species"),
    ],
)
def test_cultivation_validation(world, officer_a, fields, key):
    with pytest.raises(ValidationError) as exc:
        make_cultivation(officer_a, world.commune_a, **fields)
    assert key in exc.value.message_dict
