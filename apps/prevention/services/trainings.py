"""Writes of trainings and their participation per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.registry import ensure_unlocked
from apps.core.text import clean_name, normalize

from .. import actions
from ..models import (
    Training,
    TrainingParticipation,
)
from ._common import (
    _audit_area,
    _changed,
    _ensure_units_in_scope,
    _lock,
    _not_future,
    _raise,
    _text,
)

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
    data = versioned_snapshot(training, ["held_on", "topic", "organiser", "notes"])
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
    if not clean_name(data.topic):
        errors["topic"] = _("Hãy ghi nội dung tập huấn.")
    if not clean_name(data.organiser):
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
    training.topic = clean_name(data.topic)
    training.organiser = clean_name(data.organiser)
    training.notes = _text(data.notes)
    training.participants_total = sum(c for _u, c in rows.values())
    training.search_text = " | ".join(normalize(p) for p in (training.topic, training.organiser, training.notes) if p)


def _save_participations(training: Training, rows) -> None:
    TrainingParticipation.objects.filter(training=training).exclude(unit_id__in=list(rows)).delete()
    for unit_id, (_unit, count) in rows.items():
        TrainingParticipation.objects.update_or_create(training=training, unit_id=unit_id, defaults={"count": count})


@transaction.atomic
def training_create(*, actor, data: TrainingInput) -> Training:
    scoping.require_action(actor, Training, "add")
    rows = _validate_training(actor, data, on=today())
    ensure_unlocked(commune=list(rows), day=data.held_on)
    training = Training(created_by=actors.user_or_none(actor))
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
