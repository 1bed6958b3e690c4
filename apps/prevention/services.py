"""Writes of the prevention app. Every change goes through here, is validated, and writes its
audit row in the same transaction (views, imports, the demo seed and commands all call these).

Rules common to every record: the units chosen must be today's units in the actor's scope; an
edit based on a stale version is refused (``StaleObjectError``) naming who changed what; a record
covering several units (an activity, a training) can have its shared data changed only by someone
who has every one of those units in scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record, changed_fields, snapshot
from apps.core import locking, scoping
from apps.core.collation import vi_sorted
from apps.core.registry import ensure_unlocked
from apps.core.text import nfc, normalize

from . import actions
from .choices import (
    ActivityKind,
    EvaluationResult,
    HighRiskSource,
    HighRiskStatus,
    TipOffChannel,
    TipOffStatus,
    Topic,
)
from .models import (
    Activity,
    ActivityAttachment,
    ActivityParticipation,
    ActivityReach,
    ActivityTopic,
    AudienceGroup,
    HighRiskPerson,
    Informant,
    ModelPoint,
    ModelPointEvaluation,
    TipOff,
    Training,
    TrainingParticipation,
)
from .reference import DRUG_USERS
from .validators import validate_attachment


def today() -> dt.date:
    return timezone.localdate()


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _clean(value: Any) -> str:
    """One canonical form for text typed on different keyboards: NFC, single spaces."""
    return " ".join(nfc(str(value or "")).split())


def _text(value: Any) -> str:
    """Multi-line text: NFC, trimmed, line breaks kept."""
    return nfc(str(value or "")).strip()


def _require(actor, model: type[models.Model], action: str) -> None:
    if not scoping.has_action(actor, model, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


_EXTRA_LABELS = {
    "topics": _lazy("chủ đề"),
    "participation": _lazy("người tham dự theo nhóm"),
    "participations": _lazy("đơn vị tham dự"),
    "reached": _lazy("người nguy cơ cao được tiếp cận"),
}


def _label(model: type[models.Model], name: str) -> str:
    try:
        text = str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        text = str(_EXTRA_LABELS.get(name, name))
    return text[:1].upper() + text[1:]


def _not_future(errors: dict, model, name: str, value: dt.date | None, on: dt.date) -> None:
    if value and value > on:
        errors[name] = _("%(label)s không được sau ngày hôm nay.") % {"label": _label(model, name)}


def _commune_error(actor, unit: AdministrativeUnit | None) -> str:
    """Why ``unit`` cannot be used as a record's commune ('' when it can)."""
    if unit is None:
        return _("Hãy chọn xã, phường.")
    if unit.level != "commune" or unit.valid_to is not None:
        return _("%(u)s không phải xã, phường hiện hành (từ 01/7/2025).") % {"u": unit.full_name}
    if not scoping.unit_in_scope(actor, unit):
        return _("%(u)s nằm ngoài phạm vi được giao.") % {"u": unit.full_name}
    return ""


def _audit_area(units: Iterable[AdministrativeUnit]) -> AdministrativeUnit | None:
    """The area an audit entry is filed under: the unit when there is one, else the province."""
    units = list(units)
    return units[0] if len(units) == 1 else None


def _ensure_units_in_scope(actor, unit_ids: Iterable[int], what: str) -> None:
    """Shared data of a multi-unit record: only someone with every unit in scope may change it."""
    from .selectors import units_outside_scope

    if units_outside_scope(actor, list(unit_ids)):
        raise PermissionDenied(
            _(
                "%(what)s này gồm cả đơn vị ngoài phạm vi được giao: chỉ cán bộ quản lý tất cả các đơn vị đó "
                "(cấp tỉnh) mới sửa được thông tin chung."
            )
            % {"what": what}
        )


# --- optimistic locking ------------------------------------------------------------------------


def _lock(obj: models.Model, expected_version: int | None):
    return locking.lock_for_update(obj, expected_version, label=_label)


def _changed(before: dict | None, after: dict) -> bool:
    return before is None or bool(changed_fields(before, after).keys() - {"version"})


# --- activities --------------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    title: str
    date_from: dt.date | None
    date_to: dt.date | None
    communes: Sequence[AdministrativeUnit]
    kind: str
    topics: Sequence[str]
    #: audience group (or its pk) → participants ("lượt người"); groups left out had none
    participation: Mapping[Any, int] = field(default_factory=dict)
    sessions: int = 1
    materials_count: int = 0
    materials_description: str = ""
    organiser: str = ""
    reporting_officer: Any = None
    notes: str = ""
    #: registered people reached; None leaves them unchanged (and means none on create)
    reached: Sequence[HighRiskPerson] | None = None


ACTIVITY_FIELDS = [
    "title",
    "date_from",
    "date_to",
    "kind",
    "sessions",
    "participants_total",
    "materials_count",
    "materials_description",
    "organiser",
    "reporting_officer",
    "notes",
]


def _activity_snapshot(activity: Activity) -> dict[str, Any]:
    data = snapshot(activity, fields=ACTIVITY_FIELDS)
    data["version"] = activity.version
    data["participants_total"] = activity.participants_total
    if activity.pk:
        data["communes"] = sorted(activity.communes.values_list("pk", flat=True))
        data["topics"] = sorted(activity.topics.values_list("topic", flat=True))
        data["participation"] = dict(
            sorted(activity.participations.values_list("group__code", "count"))  # type: ignore[arg-type]
        )
        data["reached"] = sorted(activity.reaches.values_list("person_id", flat=True))
    return data


@dataclass
class _CleanActivity:
    communes: list[AdministrativeUnit]
    topics: list[str]
    participation: dict[int, int]
    reporting_officer: Any


def _validate_activity(actor, data: ActivityInput, *, on: dt.date) -> _CleanActivity:
    errors: dict[str, Any] = {}
    if not _clean(data.title):
        errors["title"] = _("Hãy ghi nội dung, tên hoạt động.")
    if data.date_from is None:
        errors["date_from"] = _("Hãy ghi ngày bắt đầu.")
    else:
        _not_future(errors, Activity, "date_from", data.date_from, on)
        if data.date_to and data.date_to < data.date_from:
            errors["date_to"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
    communes = list({u.pk: u for u in data.communes if u is not None}.values())
    if not communes:
        errors["communes"] = _("Hãy chọn ít nhất một xã, phường.")
    else:
        problems = [msg for msg in (_commune_error(actor, u) for u in communes) if msg]
        if problems:
            errors["communes"] = " ".join(problems)
    if data.kind not in ActivityKind.values:
        errors["kind"] = _("Hãy chọn hình thức tuyên truyền.")
    topics = sorted(set(data.topics or []))
    if not topics:
        errors["topics"] = _("Hãy chọn ít nhất một chủ đề.")
    elif set(topics) - set(Topic.values):
        errors["topics"] = _("Chủ đề không hợp lệ.")
    if not isinstance(data.sessions, int) or data.sessions < 1:
        errors["sessions"] = _("Số buổi phải từ 1 trở lên.")
    if not isinstance(data.materials_count, int) or data.materials_count < 0:
        errors["materials_count"] = _("Số tài liệu không được âm.")
    if not _clean(data.organiser):
        errors["organiser"] = _("Hãy ghi đơn vị tổ chức.")
    participation: dict[int, int] = {}
    keys = {k.pk if isinstance(k, AudienceGroup) else int(k): v for k, v in (data.participation or {}).items()}
    known = set(AudienceGroup.objects.filter(pk__in=list(keys)).values_list("pk", flat=True)) if keys else set()
    for pk, count in keys.items():
        if count in (None, ""):
            continue
        if pk not in known:
            errors["participation"] = _("Nhóm đối tượng không hợp lệ.")
        elif not isinstance(count, int) or count < 0:
            errors["participation"] = _("Số lượt người phải là số nguyên không âm.")
        else:
            participation[pk] = count
    officer = data.reporting_officer or _user_or_none(actor)
    if officer is not None and officer != actor:
        if not officer.is_active or not (actor.is_superuser or scoping.unit_in_scope(actor, officer.area)):
            errors["reporting_officer"] = _("Cán bộ báo cáo phải là tài khoản đang hoạt động trong phạm vi được giao.")
    _raise(errors)
    return _CleanActivity(communes, topics, participation, officer)


def _apply_activity(activity: Activity, data: ActivityInput, clean: _CleanActivity) -> None:
    activity.title = _clean(data.title)
    activity.date_from = data.date_from
    activity.date_to = data.date_to or data.date_from
    activity.kind = data.kind
    activity.sessions = data.sessions
    activity.materials_count = data.materials_count
    activity.materials_description = _clean(data.materials_description)
    activity.organiser = _clean(data.organiser)
    activity.reporting_officer = clean.reporting_officer
    activity.notes = _text(data.notes)
    activity.participants_total = sum(clean.participation.values())
    activity.search_text = " | ".join(
        normalize(p) for p in (activity.title, activity.organiser, activity.materials_description, activity.notes) if p
    )


def _save_activity_parts(activity: Activity, clean: _CleanActivity) -> None:
    activity.communes.set(clean.communes)
    current_topics = set(activity.topics.values_list("topic", flat=True))
    ActivityTopic.objects.filter(activity=activity).exclude(topic__in=clean.topics).delete()
    ActivityTopic.objects.bulk_create(
        [ActivityTopic(activity=activity, topic=t) for t in clean.topics if t not in current_topics]
    )
    ActivityParticipation.objects.filter(activity=activity).exclude(group_id__in=list(clean.participation)).delete()
    for group_id, count in clean.participation.items():
        ActivityParticipation.objects.update_or_create(activity=activity, group_id=group_id, defaults={"count": count})


def _reach_plan(actor, activity_commune_ids: set[int], wanted: Iterable[HighRiskPerson], current_ids: set[int]):
    """Check the people to record as reached; returns (visible ids in the activity's communes, wanted ids)."""
    from .selectors import scoped

    wanted_ids = {p.pk for p in wanted}
    rows = scoped(HighRiskPerson, actor).filter(commune_id__in=list(activity_commune_ids))
    allowed = {pk: status for pk, status in rows.values_list("pk", "status")}
    bad = [pk for pk in wanted_ids if pk not in allowed]
    inactive = [
        pk for pk in wanted_ids if pk in allowed and allowed[pk] != HighRiskStatus.ACTIVE and pk not in current_ids
    ]
    if bad:
        raise ValidationError(
            {
                "reached": _(
                    "Chỉ ghi được người trong sổ nguy cơ cao của các xã, phường của hoạt động, "
                    "trong phạm vi được giao."
                )
            }
        )
    if inactive:
        raise ValidationError({"reached": _("Người đã chuyển đi hoặc đã đưa ra khỏi sổ không thể ghi thêm.")})
    return set(allowed), wanted_ids


def _apply_reaches(actor, activity: Activity, visible_ids: set[int], wanted_ids: set[int], *, add_only: bool) -> bool:
    current = set(
        ActivityReach.objects.filter(activity=activity, person_id__in=list(visible_ids)).values_list(
            "person_id", flat=True
        )
    )
    to_add = wanted_ids - current
    to_remove = set() if add_only else current - wanted_ids
    if to_remove:
        ActivityReach.objects.filter(activity=activity, person_id__in=list(to_remove)).delete()
    ActivityReach.objects.bulk_create(
        [ActivityReach(activity=activity, person_id=pk, recorded_by=_user_or_none(actor)) for pk in sorted(to_add)]
    )
    return bool(to_add or to_remove)


@transaction.atomic
def activity_create(*, actor, data: ActivityInput) -> Activity:
    """Record a propaganda activity (with its communes, topics, participants and the registered
    people it reached)."""
    _require(actor, Activity, "add")
    clean = _validate_activity(actor, data, on=today())
    activity = Activity(created_by=_user_or_none(actor))
    _apply_activity(activity, data, clean)
    ensure_unlocked(commune=list(clean.communes), day=activity.date_from, until=activity.date_to)
    activity.full_clean(exclude=["reporting_officer", "created_by"])
    activity.save()
    _save_activity_parts(activity, clean)
    if data.reached:
        visible, wanted = _reach_plan(actor, {u.pk for u in clean.communes}, data.reached, set())
        _apply_reaches(actor, activity, visible, wanted, add_only=True)
    audit_record(
        actor=actor,
        action=actions.ACTIVITY_CREATE,
        obj=activity,
        area=_audit_area(clean.communes),
        after=_activity_snapshot(activity),
    )
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: ActivityInput, expected_version: int | None) -> Activity:
    """Edit an activity. Refused when someone saved since ``expected_version``, and when it covers
    a commune outside the actor's scope (its shared data is not theirs alone)."""
    scoping.ensure_can(actor, "change", activity)
    activity = _lock(activity, expected_version)
    old = (list(activity.communes.values_list("pk", flat=True)), activity.date_from, activity.date_to)
    _ensure_units_in_scope(actor, activity.communes.values_list("pk", flat=True), _("Hoạt động"))
    before = _activity_snapshot(activity)
    clean = _validate_activity(actor, data, on=today())
    new_ids = {u.pk for u in clean.communes}
    orphaned = ActivityReach.objects.filter(activity=activity).exclude(person__commune_id__in=list(new_ids))
    dropped = vi_sorted(set(orphaned.values_list("person__commune__full_name", flat=True)))
    if dropped:
        raise ValidationError(
            {
                "communes": _(
                    "Không thể bỏ %(u)s khỏi hoạt động vì đã ghi người được tiếp cận của xã, phường đó; hãy bỏ họ "
                    "khỏi danh sách trước."
                )
                % {"u": ", ".join(dropped)}
            }
        )
    _apply_activity(activity, data, clean)
    activity.full_clean(exclude=["reporting_officer", "created_by"])
    if data.reached is not None:
        current = set(activity.reaches.values_list("person_id", flat=True))
        reach_plan = _reach_plan(actor, new_ids, data.reached, current)
    # Written in a savepoint so that an edit changing nothing leaves no trace (no new version).
    savepoint = transaction.savepoint()
    activity.save()
    _save_activity_parts(activity, clean)
    if data.reached is not None:
        _apply_reaches(actor, activity, *reach_plan, add_only=False)
    after = _activity_snapshot(activity)
    if not _changed(before, after):
        transaction.savepoint_rollback(savepoint)
        activity.refresh_from_db()
        return activity
    ensure_unlocked(commune=old[0], day=old[1], until=old[2])
    ensure_unlocked(commune=list(clean.communes), day=activity.date_from, until=activity.date_to)
    transaction.savepoint_commit(savepoint)
    activity.version += 1
    activity.save(update_fields=["version", "updated_at"])
    after["version"] = activity.version
    audit_record(
        actor=actor,
        action=actions.ACTIVITY_UPDATE,
        obj=activity,
        area=_audit_area(clean.communes),
        before=before,
        after=after,
    )
    return activity


@transaction.atomic
def activity_set_reaches(
    *, actor, activity: Activity, persons: Sequence[HighRiskPerson], add_only: bool = False
) -> bool:
    """Record which registered people of the actor's communes the activity reached.

    Only people the actor may see are touched: an officer of one commune records (or removes) the
    people of their register on a multi-commune activity without seeing or changing the others'.
    Returns whether anything changed."""
    _require(actor, HighRiskPerson, "view")
    scoping.ensure_can(actor, "change", activity)
    commune_ids = set(activity.communes.values_list("pk", flat=True))
    current = set(activity.reaches.values_list("person_id", flat=True))
    visible, wanted = _reach_plan(actor, commune_ids, persons, current)
    before = sorted(current & visible)
    ensure_unlocked(commune=list(commune_ids), day=activity.date_from, until=activity.date_to)
    if not _apply_reaches(actor, activity, visible, wanted, add_only=add_only):
        return False
    after = sorted(set(activity.reaches.values_list("person_id", flat=True)) & visible)
    people = HighRiskPerson.objects.filter(pk__in=set(before) ^ set(after))
    touched = AdministrativeUnit.objects.filter(pk__in=people.values("commune_id"))
    audit_record(
        actor=actor,
        action=actions.ACTIVITY_REACH,
        obj=activity,
        area=_audit_area(touched),
        before={"reached": before},
        after={"reached": after},
    )
    return True


@transaction.atomic
def attachment_add(*, actor, activity: Activity, upload) -> ActivityAttachment:
    """Attach a photo or PDF to an activity (≤ 10 MB; extension and content checked)."""
    scoping.ensure_can(actor, "change", activity)
    _ensure_units_in_scope(actor, activity.communes.values_list("pk", flat=True), _("Hoạt động"))
    content_type = validate_attachment(upload)
    name = _clean(getattr(upload, "name", ""))[:200]
    attachment = ActivityAttachment(
        activity=activity,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=_user_or_none(actor),
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        audit_record(
            actor=actor,
            action=actions.ACTIVITY_ATTACH,
            obj=activity,
            area=_audit_area(activity.communes.all()),
            after={"attachment": attachment.pk, "file": name, "size": attachment.size, "type": content_type},
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


# --- high-risk register --------------------------------------------------------------------------


@dataclass
class HighRiskInput:
    commune: AdministrativeUnit | None
    full_name: str
    birth_year: int | None
    sex: str
    category: AudienceGroup | None
    village: str = ""
    status: str = HighRiskStatus.ACTIVE
    status_note: str = ""
    notes: str = ""


HIGHRISK_FIELDS = [
    "commune",
    "full_name",
    "birth_year",
    "sex",
    "category",
    "village",
    "status",
    "status_note",
    "notes",
]


def _highrisk_snapshot(entry: HighRiskPerson) -> dict[str, Any]:
    data = snapshot(entry, fields=HIGHRISK_FIELDS)
    data["version"] = entry.version
    data["person"] = entry.person_id
    data["source"] = entry.source
    return data


def _highrisk_search(entry: HighRiskPerson) -> str:
    return " | ".join(p for p in (normalize(entry.full_name), normalize(entry.village)) if p)


def _validate_highrisk(actor, data: HighRiskInput, *, on: dt.date) -> None:
    errors: dict[str, Any] = {}
    if not _clean(data.full_name):
        errors["full_name"] = _("Hãy ghi họ và tên.")
    if not data.birth_year:
        errors["birth_year"] = _("Hãy ghi năm sinh.")
    elif not (on.year - 100 <= data.birth_year <= on.year - 8):
        errors["birth_year"] = _("Năm sinh không hợp lý (người từ 8 đến 100 tuổi).")
    if data.sex not in ("M", "F"):
        errors["sex"] = _("Hãy chọn giới tính.")
    if data.category is None or not data.category.high_risk:
        errors["category"] = _("Hãy chọn một nhóm nguy cơ cao.")
    if data.status not in HighRiskStatus.values:
        errors["status"] = _("Tình trạng không hợp lệ.")
    message = _commune_error(actor, data.commune)
    if message:
        errors["commune"] = message
    _raise(errors)


@transaction.atomic
def highrisk_create(*, actor, data: HighRiskInput) -> HighRiskPerson:
    """Add someone to the commune's high-risk register (refused if already there)."""
    _require(actor, HighRiskPerson, "add")
    _validate_highrisk(actor, data, on=today())
    entry = HighRiskPerson(created_by=_user_or_none(actor), source=HighRiskSource.MANUAL)
    for name in HIGHRISK_FIELDS:
        setattr(entry, name, getattr(data, name))
    entry.full_name, entry.village = _clean(data.full_name), _clean(data.village)
    entry.status_note, entry.notes = _clean(data.status_note), _text(data.notes)
    entry.search_text = _highrisk_search(entry)
    # Namesakes born the same year exist: they are told apart by their village.
    name, village = normalize(entry.full_name), normalize(entry.village)
    duplicate = next(
        (
            other
            for other in HighRiskPerson.objects.filter(
                commune=entry.commune, birth_year=entry.birth_year, sex=entry.sex
            ).filter(search_text__startswith=name)
            if normalize(other.full_name) == name
            and (not village or not other.village or normalize(other.village) == village)
        ),
        None,
    )
    if duplicate is not None:
        raise ValidationError(
            {"full_name": _("%(p)s đã có trong sổ của %(u)s.") % {"p": duplicate, "u": entry.commune.full_name}}
        )
    entry.full_clean(exclude=["created_by", "person"])
    entry.save()
    audit_record(
        actor=actor, action=actions.HIGHRISK_CREATE, obj=entry, area=entry.commune, after=_highrisk_snapshot(entry)
    )
    return entry


def _has_open_file(entry: HighRiskPerson) -> bool:
    if entry.person_id is None:
        return False
    from apps.cases.choices import Status
    from apps.cases.models import CaseFile

    return (
        CaseFile.objects.filter(person_id=entry.person_id, commune_id=entry.commune_id)
        .exclude(status=Status.CLOSED)
        .exists()
    )


@transaction.atomic
def highrisk_update(
    *, actor, entry: HighRiskPerson, data: HighRiskInput, expected_version: int | None
) -> HighRiskPerson:
    """Edit a register entry. Someone with an open case file in the commune stays in the register
    with the data of their file: only the village and notes can be changed here."""
    scoping.ensure_can(actor, "change", entry)
    entry = _lock(entry, expected_version)
    before = _highrisk_snapshot(entry)
    if data.commune is None or data.commune.pk != entry.commune_id:
        raise ValidationError({"commune": _("Không đổi được xã, phường; người chuyển đi: chọn “Đã chuyển đi”.")})
    _validate_highrisk(actor, data, on=today())
    if _has_open_file(entry):
        locked = {
            "full_name": _clean(data.full_name) != entry.full_name,
            "birth_year": data.birth_year != entry.birth_year,
            "sex": data.sex != entry.sex,
            "category": data.category.pk != entry.category_id,
            "status": data.status != entry.status,
        }
        if any(locked.values()):
            raise ValidationError(
                _(
                    "Người này đang có hồ sơ quản lý mở tại xã, phường: họ tên, năm sinh, giới tính, nhóm và tình "
                    "trạng lấy theo hồ sơ; chỉ sửa được thôn, tổ và ghi chú."
                )
            )
    for name in HIGHRISK_FIELDS:
        setattr(entry, name, getattr(data, name))
    entry.full_name, entry.village = _clean(data.full_name), _clean(data.village)
    entry.status_note, entry.notes = _clean(data.status_note), _text(data.notes)
    entry.search_text = _highrisk_search(entry)
    entry.full_clean(exclude=["created_by", "person"])
    after = _highrisk_snapshot(entry)
    if not _changed(before, after):
        return entry
    entry.version += 1
    entry.save()
    after["version"] = entry.version
    audit_record(
        actor=actor,
        action=actions.HIGHRISK_UPDATE,
        obj=entry,
        area=entry.commune,
        before=before,
        after=after,
    )
    return entry


@dataclass
class SyncSummary:
    created: int = 0
    updated: int = 0
    moved: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.moved


def highrisk_sync_from_cases(*, commune: AdministrativeUnit, actor=None) -> SyncSummary:
    """People with an OPEN case file in ``commune`` join its high-risk register ("people who use
    drugs"); see ``highrisk_sync_many``."""
    return highrisk_sync_many(commune_ids=[commune.pk], actor=actor)


@transaction.atomic
def highrisk_sync_many(*, commune_ids: Iterable[int], actor=None) -> SyncSummary:
    """Bring the high-risk register of these communes in line with the case files. Idempotent;
    two value queries when nothing changed, whatever the number of people (it runs each time the
    register is opened). No signals: called when the register is opened and by the demo seed.

    * a person with an open file here and no entry → an entry (category "people who use drugs",
      name, birth year, sex and village from the file); an unlinked entry with the same name,
      birth year and sex is linked instead of duplicated;
    * an entry of such a person is kept in line (name, birth year, sex, category) and active;
    * an entry created from a file that is now closed because the person moved to another commune
      (open file there) becomes "moved"; other closed files leave the entry as the officer keeps it.
    Each created or changed entry is audited (``prevention.highriskperson.sync``).
    """
    from apps.cases.choices import Status
    from apps.cases.models import CaseFile

    ids = sorted(set(commune_ids))
    summary = SyncSummary()
    if not ids:
        return summary
    # (commune, person) → (name, birth year, sex, village) of every open file
    wanted: dict[tuple[int, int], tuple[str, int, str, str]] = {}
    for commune_id, person_id, name, year, sex, current, permanent in (
        CaseFile.objects.filter(commune_id__in=ids)
        .exclude(status=Status.CLOSED)
        .order_by("pk")
        .values_list(
            "commune_id",
            "person_id",
            "person__full_name",
            "person__birth_year",
            "person__sex",
            "person__current_village",
            "person__permanent_village",
        )
    ):
        wanted.setdefault((commune_id, person_id), (_clean(name), year, sex, _clean(current or permanent)))
    years = {v[1] for v in wanted.values()}
    linked: dict[tuple[int, int], tuple] = {}
    merged: dict[tuple[int, int], tuple] = {}
    unlinked: dict[tuple[int, str, int, str], tuple] = {}
    for row in (
        HighRiskPerson.objects.filter(commune_id__in=ids)
        .filter(Q(person__isnull=False) | Q(birth_year__in=years))
        .values_list(
            "pk",
            "commune_id",
            "person_id",
            "person__merged_into_id",
            "full_name",
            "birth_year",
            "sex",
            "village",
            "status",
            "source",
            "category__code",
        )
    ):
        pk, commune_id, person_id, merged_into, name, year, sex = row[:7]
        if person_id is None:
            unlinked.setdefault((commune_id, normalize(name), year, sex), row)
        else:
            linked[(commune_id, person_id)] = row
            if merged_into:
                merged[(commune_id, merged_into)] = row

    def in_line(row, person_id: int, facts) -> bool:
        _pk, _c, linked_to, _m, name, year, sex, village, status, source, category = row
        return (linked_to, name, year, sex, status, source, category) == (
            person_id,
            facts[0],
            facts[1],
            facts[2],
            HighRiskStatus.ACTIVE,
            HighRiskSource.CASES,
            DRUG_USERS,
        ) and (village or not facts[3])

    to_create: list[tuple[int, int, tuple]] = []
    to_update: dict[int, tuple[int, tuple]] = {}
    for key, facts in wanted.items():
        commune_id, person_id = key
        row = linked.get(key) or merged.get(key) or unlinked.pop((commune_id, normalize(facts[0]), *facts[1:3]), None)
        if row is None:
            to_create.append((commune_id, person_id, facts))
        elif not in_line(row, person_id, facts):
            to_update[row[0]] = (person_id, facts)
    merged_pks = {row[0] for row in merged.values()}
    stale = [
        row
        for key, row in linked.items()
        if key not in wanted
        and row[0] not in merged_pks
        and row[9] == HighRiskSource.CASES
        and row[8] == HighRiskStatus.ACTIVE
    ]
    elsewhere: dict[int, str] = {}
    if stale:
        for person_id, commune_name in (
            CaseFile.objects.filter(person_id__in=[row[2] for row in stale])
            .exclude(status=Status.CLOSED)
            .values_list("person_id", "commune__full_name")
        ):
            elsewhere.setdefault(person_id, commune_name)
        stale = [row for row in stale if row[2] in elsewhere]
    if not (to_create or to_update or stale):
        return summary

    category = AudienceGroup.objects.filter(code=DRUG_USERS).first()
    if category is None:  # reference data missing: nothing sensible to write
        return summary
    actor_or_none = _user_or_none(actor)

    def log(entry: HighRiskPerson, before: dict | None, message: str) -> None:
        audit_record(
            actor=actor,
            username="system",
            action=actions.HIGHRISK_SYNC,
            obj=entry,
            area=entry.commune,
            before=before,
            after=_highrisk_snapshot(entry),
            message=message,
        )

    for commune_id, person_id, (name, year, sex, village) in to_create:
        entry = HighRiskPerson(
            commune_id=commune_id,
            person_id=person_id,
            full_name=name,
            birth_year=year,
            sex=sex,
            category=category,
            village=village,
            source=HighRiskSource.CASES,
            created_by=actor_or_none,
        )
        entry.search_text = _highrisk_search(entry)
        entry.save()
        summary.created += 1
        log(entry, None, _("Có hồ sơ quản lý đang mở tại xã, phường."))
    instances = HighRiskPerson.objects.select_related("commune").in_bulk([*to_update, *(row[0] for row in stale)])
    for pk, (person_id, (name, year, sex, village)) in to_update.items():
        entry = instances[pk]
        before = _highrisk_snapshot(entry)
        entry.person_id, entry.source = person_id, HighRiskSource.CASES
        entry.full_name, entry.birth_year, entry.sex, entry.category = name, year, sex, category
        if entry.status != HighRiskStatus.ACTIVE:
            entry.status, entry.status_note = HighRiskStatus.ACTIVE, _("Có hồ sơ quản lý đang mở")
        if not entry.village and village:
            entry.village = village
        entry.search_text = _highrisk_search(entry)
        entry.version += 1
        entry.save()
        summary.updated += 1
        log(entry, before, _("Cập nhật theo hồ sơ quản lý."))
    for row in stale:
        entry = instances[row[0]]
        target = elsewhere[entry.person_id]
        before = _highrisk_snapshot(entry)
        entry.status = HighRiskStatus.MOVED
        entry.status_note = _clean(_("Đã chuyển đến %(u)s") % {"u": target})[:200]
        entry.version += 1
        entry.save()
        summary.moved += 1
        log(entry, before, _("Hồ sơ quản lý đã chuyển đến %(u)s.") % {"u": target})
    return summary


# --- trainings -----------------------------------------------------------------------------------


@dataclass
class TrainingInput:
    held_on: dt.date | None
    topic: str
    organiser: str
    #: (unit, number of participants)
    participations: Sequence[tuple[AdministrativeUnit, int]]
    notes: str = ""


def _training_snapshot(training: Training) -> dict[str, Any]:
    data = snapshot(training, fields=["held_on", "topic", "organiser", "notes"])
    data["version"] = training.version
    data["participants_total"] = training.participants_total
    if training.pk:
        data["participations"] = {str(u): c for u, c in training.participations.values_list("unit_id", "count")}
    return data


def _validate_training(actor, data: TrainingInput, *, on: dt.date) -> dict[int, tuple[AdministrativeUnit, int]]:
    errors: dict[str, Any] = {}
    if data.held_on is None:
        errors["held_on"] = _("Hãy ghi ngày tổ chức.")
    else:
        _not_future(errors, Training, "held_on", data.held_on, on)
    if not _clean(data.topic):
        errors["topic"] = _("Hãy ghi nội dung tập huấn.")
    if not _clean(data.organiser):
        errors["organiser"] = _("Hãy ghi đơn vị tổ chức.")
    rows: dict[int, tuple[AdministrativeUnit, int]] = {}
    problems: list[str] = []
    for unit, count in data.participations:
        if unit is None:
            continue
        if unit.valid_to is not None or unit.level not in ("commune", "province"):
            problems.append(_("%(u)s không phải xã, phường hoặc tỉnh hiện hành.") % {"u": unit.full_name})
        elif not scoping.unit_in_scope(actor, unit):
            problems.append(_("%(u)s nằm ngoài phạm vi được giao.") % {"u": unit.full_name})
        elif unit.pk in rows:
            problems.append(_("%(u)s được ghi hai lần.") % {"u": unit.full_name})
        elif not isinstance(count, int) or count < 1:
            problems.append(_("Số người của %(u)s phải từ 1 trở lên.") % {"u": unit.full_name})
        else:
            rows[unit.pk] = (unit, count)
    if problems:
        errors["participations"] = " ".join(problems)
    elif not rows:
        errors["participations"] = _("Hãy ghi ít nhất một đơn vị tham dự và số người.")
    _raise(errors)
    return rows


def _apply_training(training: Training, data: TrainingInput, rows) -> None:
    training.held_on = data.held_on
    training.topic = _clean(data.topic)
    training.organiser = _clean(data.organiser)
    training.notes = _text(data.notes)
    training.participants_total = sum(c for _u, c in rows.values())
    training.search_text = " | ".join(normalize(p) for p in (training.topic, training.organiser, training.notes) if p)


def _save_participations(training: Training, rows) -> None:
    TrainingParticipation.objects.filter(training=training).exclude(unit_id__in=list(rows)).delete()
    for unit_id, (_unit, count) in rows.items():
        TrainingParticipation.objects.update_or_create(training=training, unit_id=unit_id, defaults={"count": count})


@transaction.atomic
def training_create(*, actor, data: TrainingInput) -> Training:
    _require(actor, Training, "add")
    rows = _validate_training(actor, data, on=today())
    ensure_unlocked(commune=list(rows), day=data.held_on)
    training = Training(created_by=_user_or_none(actor))
    _apply_training(training, data, rows)
    training.full_clean(exclude=["created_by"])
    training.save()
    _save_participations(training, rows)
    audit_record(
        actor=actor,
        action=actions.TRAINING_CREATE,
        obj=training,
        area=_audit_area([u for u, _c in rows.values()]),
        after=_training_snapshot(training),
    )
    return training


@transaction.atomic
def training_update(*, actor, training: Training, data: TrainingInput, expected_version: int | None) -> Training:
    scoping.ensure_can(actor, "change", training)
    training = _lock(training, expected_version)
    _ensure_units_in_scope(actor, training.participations.values_list("unit_id", flat=True), _("Lớp tập huấn"))
    before = _training_snapshot(training)
    rows = _validate_training(actor, data, on=today())
    # Both the old and the new date and units: moving a training out of a locked period changes it too.
    ensure_unlocked(commune=list(training.participations.values_list("unit_id", flat=True)), day=training.held_on)
    ensure_unlocked(commune=list(rows), day=data.held_on)
    _apply_training(training, data, rows)
    training.full_clean(exclude=["created_by"])
    savepoint = transaction.savepoint()
    training.save()
    _save_participations(training, rows)
    after = _training_snapshot(training)
    if not _changed(before, after):
        transaction.savepoint_rollback(savepoint)
        training.refresh_from_db()
        return training
    transaction.savepoint_commit(savepoint)
    training.version += 1
    training.save(update_fields=["version", "updated_at"])
    after["version"] = training.version
    audit_record(
        actor=actor,
        action=actions.TRAINING_UPDATE,
        obj=training,
        area=_audit_area([u for u, _c in rows.values()]),
        before=before,
        after=after,
    )
    return training


# --- model points --------------------------------------------------------------------------------


@dataclass
class ModelPointInput:
    commune: AdministrativeUnit | None
    name: str
    decision_number: str
    decision_date: dt.date | None
    started_on: dt.date | None
    ended_on: dt.date | None = None
    description: str = ""


MODELPOINT_FIELDS = ["commune", "name", "decision_number", "decision_date", "started_on", "ended_on", "description"]


def _modelpoint_snapshot(point: ModelPoint) -> dict[str, Any]:
    data = snapshot(point, fields=MODELPOINT_FIELDS)
    data["version"] = point.version
    return data


def _validate_modelpoint(actor, data: ModelPointInput, *, on: dt.date) -> None:
    errors: dict[str, Any] = {}
    if not _clean(data.name):
        errors["name"] = _("Hãy ghi tên mô hình.")
    if not _clean(data.decision_number):
        errors["decision_number"] = _("Hãy ghi số quyết định thành lập.")
    if data.decision_date is None:
        errors["decision_date"] = _("Hãy ghi ngày quyết định.")
    _not_future(errors, ModelPoint, "decision_date", data.decision_date, on)
    if data.started_on is None:
        errors["started_on"] = _("Hãy ghi ngày bắt đầu hoạt động.")
    if data.ended_on:
        _not_future(errors, ModelPoint, "ended_on", data.ended_on, on)
        if data.started_on and data.ended_on < data.started_on:
            errors["ended_on"] = _("Ngày dừng hoạt động không được trước ngày bắt đầu.")
    message = _commune_error(actor, data.commune)
    if message:
        errors["commune"] = message
    _raise(errors)


def _apply_modelpoint(point: ModelPoint, data: ModelPointInput) -> None:
    for name in MODELPOINT_FIELDS:
        setattr(point, name, getattr(data, name))
    point.name, point.decision_number = _clean(data.name), _clean(data.decision_number)
    point.description = _text(data.description)
    point.search_text = " | ".join(normalize(p) for p in (point.name, point.decision_number, point.description) if p)


@transaction.atomic
def modelpoint_create(*, actor, data: ModelPointInput) -> ModelPoint:
    _require(actor, ModelPoint, "add")
    _validate_modelpoint(actor, data, on=today())
    ensure_unlocked(commune=data.commune, day=data.started_on)
    ensure_unlocked(commune=data.commune, day=data.ended_on)
    point = ModelPoint(created_by=_user_or_none(actor))
    _apply_modelpoint(point, data)
    point.full_clean(exclude=["created_by"])
    point.save()
    audit_record(
        actor=actor, action=actions.MODELPOINT_CREATE, obj=point, area=point.commune, after=_modelpoint_snapshot(point)
    )
    return point


@transaction.atomic
def modelpoint_update(*, actor, point: ModelPoint, data: ModelPointInput, expected_version: int | None) -> ModelPoint:
    scoping.ensure_can(actor, "change", point)
    point = _lock(point, expected_version)
    if data.commune is None or data.commune.pk != point.commune_id:
        raise ValidationError({"commune": _("Không đổi được xã, phường của mô hình.")})
    before = _modelpoint_snapshot(point)
    _validate_modelpoint(actor, data, on=today())
    old_dates = (point.started_on, point.ended_on)
    _apply_modelpoint(point, data)
    point.full_clean(exclude=["created_by"])
    after = _modelpoint_snapshot(point)
    if not _changed(before, after):
        return point
    for day in {*old_dates, point.started_on, point.ended_on}:
        ensure_unlocked(commune=point.commune_id, day=day)
    point.version += 1
    point.save()
    after["version"] = point.version
    audit_record(
        actor=actor,
        action=actions.MODELPOINT_UPDATE,
        obj=point,
        area=point.commune,
        before=before,
        after=after,
    )
    return point


@transaction.atomic
def modelpoint_evaluate(*, actor, point: ModelPoint, year: int, result: str, notes: str = "") -> ModelPointEvaluation:
    """Record (or correct) the evaluation of a model point for a year."""
    scoping.ensure_can(actor, "change", point)
    errors: dict[str, Any] = {}
    on = today()
    if result not in EvaluationResult.values:
        errors["result"] = _("Hãy chọn kết quả đánh giá.")
    if not isinstance(year, int) or not (point.started_on.year <= year <= on.year):
        errors["year"] = _("Năm đánh giá phải từ năm mô hình bắt đầu hoạt động (%(y)s) đến năm nay.") % {
            "y": point.started_on.year
        }
    _raise(errors)
    evaluation = ModelPointEvaluation.objects.select_for_update().filter(model_point=point, year=year).first()
    before = snapshot(evaluation, fields=["year", "result", "notes"]) if evaluation else None
    if evaluation is None:
        evaluation = ModelPointEvaluation(model_point=point, year=year)
    evaluation.result, evaluation.notes = result, _text(notes)
    evaluation.evaluated_by = _user_or_none(actor)
    after = snapshot(evaluation, fields=["year", "result", "notes"])
    if before is not None and not changed_fields(before, after):
        return evaluation
    evaluation.save()
    audit_record(
        actor=actor,
        action=actions.MODELPOINT_EVALUATE,
        obj=point,
        area=point.commune,
        before=before,
        after=after,
    )
    return evaluation


# --- tip-offs ------------------------------------------------------------------------------------


@dataclass
class TipOffInput:
    received_on: dt.date | None
    channel: str
    commune: AdministrativeUnit | None
    summary: str
    status: str = TipOffStatus.RECEIVED
    result: str = ""
    crime_case_id: int | None = None
    hotspot_id: int | None = None
    received_by: Any = None


@dataclass
class InformantInput:
    full_name: str = ""
    phone: str = ""
    address: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(_clean(v) for v in (self.full_name, self.phone, self.address))


TIPOFF_FIELDS = [
    "received_on",
    "channel",
    "commune",
    "summary",
    "status",
    "result",
    "crime_case_id",
    "hotspot_id",
    "received_by",
]
INFORMANT_FIELDS = ["full_name", "phone", "address"]


def _tipoff_snapshot(tip_off: TipOff) -> dict[str, Any]:
    # Never the informant: the audit log is read by people who may not see it.
    data = snapshot(tip_off, fields=TIPOFF_FIELDS)
    data["version"] = tip_off.version
    return data


def _check_register_link(actor, model_name: str, pk: int | None, field_name: str, errors: dict) -> None:
    if not pk:
        return
    model = django_apps.get_model("registers", model_name)
    if not scoping.visible_to(model.objects.all(), actor).filter(pk=pk).exists():
        errors[field_name] = _("Không tìm thấy bản ghi số %(n)s trong sổ theo dõi thuộc phạm vi được giao.") % {
            "n": pk
        }


def _validate_tipoff(actor, data: TipOffInput, *, on: dt.date) -> None:
    errors: dict[str, Any] = {}
    if data.received_on is None:
        errors["received_on"] = _("Hãy ghi ngày tiếp nhận.")
    _not_future(errors, TipOff, "received_on", data.received_on, on)
    if data.channel not in TipOffChannel.values:
        errors["channel"] = _("Hãy chọn hình thức tiếp nhận.")
    if not _text(data.summary):
        errors["summary"] = _("Hãy ghi nội dung tin báo.")
    if data.status not in TipOffStatus.values:
        errors["status"] = _("Tình trạng xử lý không hợp lệ.")
    elif data.status not in (TipOffStatus.RECEIVED, TipOffStatus.VERIFYING) and not _text(data.result):
        errors["result"] = _("Tin báo đã xử lý, chuyển hoặc kết thúc: hãy ghi kết quả xử lý.")
    message = _commune_error(actor, data.commune)
    if message:
        errors["commune"] = message
    _check_register_link(actor, "CrimeCase", data.crime_case_id, "crime_case_id", errors)
    _check_register_link(actor, "Hotspot", data.hotspot_id, "hotspot_id", errors)
    _raise(errors)


def _apply_tipoff(tip_off: TipOff, data: TipOffInput, actor) -> None:
    for name in TIPOFF_FIELDS:
        setattr(tip_off, name, getattr(data, name))
    tip_off.received_by = data.received_by or _user_or_none(actor)
    tip_off.summary, tip_off.result = _text(data.summary), _text(data.result)
    tip_off.search_text = " | ".join(normalize(p) for p in (tip_off.summary, tip_off.result) if p)


def _save_informant(actor, tip_off: TipOff, data: InformantInput) -> None:
    """Create, change or clear the informant; the audit row names which fields, never the values."""
    current = Informant.objects.filter(tip_off=tip_off).first()
    values = {
        "full_name": _clean(data.full_name)[:120],
        "phone": _clean(data.phone)[:20],
        "address": _clean(data.address)[:250],
    }
    if data.is_empty:
        if current is None:
            return
        current.delete()
        audit_record(
            actor=actor,
            action=actions.INFORMANT_SET,
            obj=tip_off,
            area=tip_off.commune,
            after={"informant": "cleared"},
        )
        return
    changed = [k for k, v in values.items() if current is None or getattr(current, k) != v]
    if not changed:
        return
    informant = current or Informant(tip_off=tip_off, recorded_by=_user_or_none(actor))
    for key, value in values.items():
        setattr(informant, key, value)
    informant.full_clean(exclude=["tip_off", "recorded_by"])
    informant.save()
    audit_record(
        actor=actor,
        action=actions.INFORMANT_SET,
        obj=tip_off,
        area=tip_off.commune,
        after={"informant": "recorded" if current is None else "changed", "fields": changed},
    )


@transaction.atomic
def tipoff_create(*, actor, data: TipOffInput, informant: InformantInput | None = None) -> TipOff:
    """Record a tip-off. The informant, when given, is stored apart and can be read afterwards only
    with ``prevention.view_informant`` — the officer who records it cannot read it back."""
    _require(actor, TipOff, "add")
    _validate_tipoff(actor, data, on=today())
    ensure_unlocked(commune=data.commune, day=data.received_on)
    tip_off = TipOff(created_by=_user_or_none(actor))
    _apply_tipoff(tip_off, data, actor)
    tip_off.full_clean(exclude=["created_by", "received_by"])
    tip_off.save()
    audit_record(
        actor=actor, action=actions.TIPOFF_CREATE, obj=tip_off, area=tip_off.commune, after=_tipoff_snapshot(tip_off)
    )
    if informant is not None and not informant.is_empty:
        _save_informant(actor, tip_off, informant)
    return tip_off


@transaction.atomic
def tipoff_update(
    *,
    actor,
    tip_off: TipOff,
    data: TipOffInput,
    expected_version: int | None,
    informant: InformantInput | None = None,
) -> TipOff:
    """Update a tip-off and its handling. ``informant`` (None = unchanged) may only be changed by
    someone allowed to read it: nobody edits what they cannot see."""
    scoping.ensure_can(actor, "change", tip_off)
    if informant is not None and not actor.has_perm("prevention.view_informant"):
        raise PermissionDenied(_("Bạn không có quyền xem, sửa thông tin người báo tin."))
    tip_off = _lock(tip_off, expected_version)
    before = _tipoff_snapshot(tip_off)
    old_received = tip_off.received_on
    if data.commune is None or data.commune.pk != tip_off.commune_id:
        raise ValidationError({"commune": _("Không đổi được xã, phường của tin báo.")})
    _validate_tipoff(actor, data, on=today())
    _apply_tipoff(tip_off, data, actor)
    if data.received_by is None:
        tip_off.received_by_id = before["received_by"]
    tip_off.full_clean(exclude=["created_by", "received_by"])
    after = _tipoff_snapshot(tip_off)
    if _changed(before, after):
        ensure_unlocked(commune=tip_off.commune_id, day=old_received)
        ensure_unlocked(commune=tip_off.commune_id, day=tip_off.received_on)
        tip_off.version += 1
        tip_off.save()
        after["version"] = tip_off.version
        audit_record(
            actor=actor,
            action=actions.TIPOFF_UPDATE,
            obj=tip_off,
            area=tip_off.commune,
            before=before,
            after=after,
        )
    if informant is not None:
        _save_informant(actor, tip_off, informant)
    return tip_off


@transaction.atomic
def informant_read(*, actor, tip_off: TipOff) -> Informant | None:
    """The informant of a tip-off, for someone holding ``prevention.view_informant`` with the
    tip-off in scope. Every reading is audited (``prevention.informant.view``) — the entry names
    the tip-off, never the informant."""
    if not actor.has_perm("prevention.view_informant"):
        raise PermissionDenied(_("Bạn không có quyền xem thông tin người báo tin."))
    informant = scoping.visible_to(Informant.objects.all(), actor).filter(tip_off=tip_off).first()
    if informant is not None:
        audit_record(actor=actor, action=actions.INFORMANT_VIEW, obj=tip_off, area=tip_off.commune)
    return informant
