"""Writes of model points (mô hình điểm) and their yearly evaluations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record, changed_fields, snapshot
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.registry import ensure_unlocked
from apps.core.text import clean_name, normalize

from .. import actions
from ..choices import (
    EvaluationResult,
)
from ..models import (
    ModelPoint,
    ModelPointEvaluation,
)
from ._common import _changed, _commune_error, _lock, _not_future, _raise, _text

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
    data = versioned_snapshot(point, MODELPOINT_FIELDS)
    return data


def _validate_modelpoint(actor, data: ModelPointInput, *, on: dt.date) -> None:
    errors: dict[str, Any] = {}
    if not clean_name(data.name):
        errors["name"] = _("Hãy ghi tên mô hình.")
    if not clean_name(data.decision_number):
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
    point.name, point.decision_number = clean_name(data.name), clean_name(data.decision_number)
    point.description = _text(data.description)
    point.search_text = " | ".join(normalize(p) for p in (point.name, point.decision_number, point.description) if p)


@transaction.atomic
def modelpoint_create(*, actor, data: ModelPointInput) -> ModelPoint:
    scoping.require_action(actor, ModelPoint, "add")
    _validate_modelpoint(actor, data, on=today())
    ensure_unlocked(commune=data.commune, day=data.started_on)
    ensure_unlocked(commune=data.commune, day=data.ended_on)
    point = ModelPoint(created_by=actors.user_or_none(actor))
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
    evaluation.evaluated_by = actors.user_or_none(actor)
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
