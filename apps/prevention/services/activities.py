"""Writes of propaganda/education activities: create, update, people reached, attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.core import actors, scoping
from apps.core.collation import vi_sorted
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.registry import ensure_unlocked
from apps.core.text import clean_name, normalize

from .. import actions
from ..choices import (
    ActivityKind,
    HighRiskStatus,
    Topic,
)
from ..models import (
    Activity,
    ActivityAttachment,
    ActivityParticipation,
    ActivityReach,
    ActivityTopic,
    AudienceGroup,
    HighRiskPerson,
)
from ..validators import validate_attachment
from ._common import (
    _audit_area,
    _changed,
    _commune_error,
    _ensure_units_in_scope,
    _lock,
    _not_future,
    _raise,
    _text,
)

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
    data = versioned_snapshot(activity, ACTIVITY_FIELDS)
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
    if not clean_name(data.title):
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
    if not clean_name(data.organiser):
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
    officer = data.reporting_officer or actors.user_or_none(actor)
    if officer is not None and officer != actor:
        if not officer.is_active or not (actor.is_superuser or scoping.unit_in_scope(actor, officer.area)):
            errors["reporting_officer"] = _("Cán bộ báo cáo phải là tài khoản đang hoạt động trong phạm vi được giao.")
    _raise(errors)
    return _CleanActivity(communes, topics, participation, officer)


def _apply_activity(activity: Activity, data: ActivityInput, clean: _CleanActivity) -> None:
    activity.title = clean_name(data.title)
    activity.date_from = data.date_from
    activity.date_to = data.date_to or data.date_from
    activity.kind = data.kind
    activity.sessions = data.sessions
    activity.materials_count = data.materials_count
    activity.materials_description = clean_name(data.materials_description)
    activity.organiser = clean_name(data.organiser)
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
    wanted_ids = {p.pk for p in wanted}
    rows = scoping.visible_to(HighRiskPerson.objects.all(), actor).filter(commune_id__in=list(activity_commune_ids))
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
        [
            ActivityReach(activity=activity, person_id=pk, recorded_by=actors.user_or_none(actor))
            for pk in sorted(to_add)
        ]
    )
    return bool(to_add or to_remove)


@transaction.atomic
def activity_create(*, actor, data: ActivityInput) -> Activity:
    """Record a propaganda activity (with its communes, topics, participants and the registered
    people it reached)."""
    scoping.require_action(actor, Activity, "add")
    clean = _validate_activity(actor, data, on=today())
    activity = Activity(created_by=actors.user_or_none(actor))
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
    scoping.require_action(actor, HighRiskPerson, "view")
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
    name = clean_name(getattr(upload, "name", ""))[:200]
    attachment = ActivityAttachment(
        activity=activity,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actors.user_or_none(actor),
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
