"""What every register write shares: decimal cleaning, date checks, the commune as
written in the register (``resolve_commune``), optimistic locking, record numbers and the audit write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import describe_candidates, unit_current_successors
from apps.audit.services import audit_record
from apps.core import locking, scoping
from apps.core.registry import ensure_unlocked

if TYPE_CHECKING:
    from apps.accounts.models import User

# Keys of the audit snapshots that are not model fields, with their labels (stale-save messages).
_EXTRA_LABELS = {"offenders": gettext_lazy("đối tượng bị bắt"), "linked_cases": gettext_lazy("hồ sơ liên quan")}


def _quantize(value: Any, places: int) -> Decimal | None:
    """A decimal with the field's scale, so 21.8233 and 21.823300 compare equal in snapshots."""
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _not_future(errors: dict[str, str], model: type[models.Model], name: str, value: dt.date | None, on: dt.date):
    if value and value > on:
        label = str(model._meta.get_field(name).verbose_name)
        errors[name] = _("%(label)s không được sau ngày hôm nay.") % {"label": label[:1].upper() + label[1:]}


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


# --- communes: today's commune from the unit as written ----------------------------------------


def _unit_label(unit: AdministrativeUnit) -> str:
    if unit.valid_to is None:
        return unit.full_name
    parent = f", {unit.parent.full_name}" if unit.parent_id else ""
    return f"{unit.full_name}{parent} (trước {unit.valid_to + dt.timedelta(days=1):%d/%m/%Y})"


def resolve_commune(
    *, actor: User, recorded_unit: AdministrativeUnit | None, commune: AdministrativeUnit | None
) -> AdministrativeUnit:
    """The current commune a record counts towards, in the actor's scope.

    ``recorded_unit`` is the unit as written in the register (current or pre-2025). A former
    commune is followed through the official conversion; when it was split between several new
    communes, the officer must choose ``commune``: the error lists the candidates.
    """
    if recorded_unit is not None:
        if recorded_unit.level != Level.COMMUNE:
            raise ValidationError({"recorded_unit": _("Đơn vị ghi trong sổ phải là một xã, phường, thị trấn.")})
        successors = unit_current_successors(recorded_unit)
        if commune is None:
            if len(successors) == 1:
                commune = successors[0]
            elif not successors:
                raise ValidationError(
                    {
                        "commune": _(
                            "%(unit)s không có trong bảng chuyển đổi đơn vị hành chính: hãy chọn xã, phường hiện nay."
                        )
                        % {"unit": _unit_label(recorded_unit)}
                    }
                )
            else:
                message = _(
                    "%(unit)s đã được chia cho nhiều xã, phường mới: %(candidates)s. Hãy chọn xã, phường hiện nay "
                    "mà bản ghi thuộc về."
                ) % {"unit": _unit_label(recorded_unit), "candidates": describe_candidates(successors)}
                raise ValidationError({"commune": ValidationError(message, code="split")})
        elif successors and commune.pk not in {u.pk for u in successors}:
            raise ValidationError(
                {
                    "commune": _(
                        "%(commune)s không phải đơn vị kế thừa của %(unit)s (đơn vị hiện nay: %(candidates)s)."
                    )
                    % {
                        "commune": commune.full_name,
                        "unit": _unit_label(recorded_unit),
                        "candidates": describe_candidates(successors),
                    }
                }
            )
    scoping.ensure_commune_in_scope(
        actor, commune, not_current=_("Phải chọn một xã, phường hiện hành (từ 01/7/2025).")
    )
    return commune


def _as_written(recorded_unit: AdministrativeUnit | None, commune: AdministrativeUnit) -> AdministrativeUnit | None:
    """The unit as written is kept only when it says something the commune does not (a former unit)."""
    return None if recorded_unit is None or recorded_unit.pk == commune.pk else recorded_unit


# --- optimistic locking ------------------------------------------------------------------------


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return str(_EXTRA_LABELS.get(name, name))


def _lock(obj: models.Model, expected_version: int | None):
    return locking.lock_for_update(obj, expected_version, label=_field_label, unnamed=_("tình trạng"))


def _next_number(model: type[models.Model], prefix: str, commune: AdministrativeUnit, year: int) -> str:
    stem = f"{prefix}-{commune.code}-{year}-"
    last = model._default_manager.filter(number__startswith=stem).aggregate(m=Max("number"))["m"]
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:04d}"


def _write(
    *, actor: User, action: str, obj: models.Model, commune: AdministrativeUnit, before: dict | None, after: dict, **kw
) -> bool:
    """Audit a change (nothing when an update changed nothing). Returns whether it was written."""
    if before is not None and not locking.edited_fields(before, after):
        return False
    audit_record(actor=actor, action=action, obj=obj, area=commune, before=before, after=after, **kw)
    return True


# --- the write sequence every kind shares --------------------------------------------------------


def open_update(*, actor: User, obj: models.Model, expected_version: int | None, day_field: str):
    """The record to edit, locked and version-checked, and where it counted before the edit
    (commune id, day): that period must be open too."""
    scoping.ensure_can(actor, "change", obj)
    locked = _lock(obj, expected_version)
    return locked, (locked.commune_id, getattr(locked, day_field))


def save_created(
    *,
    actor: User,
    action: str,
    obj: models.Model,
    commune: AdministrativeUnit,
    day: dt.date,
    after: Callable[[], dict],
    number_prefix: str = "",
    search_text: Callable[[], str] | None = None,
    then: Callable[[], None] | None = None,
) -> None:
    """Save a validated new record: its period open, numbered ``<prefix>-<commune>-<year>-NNNN``
    when the kind numbers its rows, ``then`` (related rows) and the audit row, in the caller's
    transaction."""
    ensure_unlocked(commune=commune, day=day)
    if number_prefix:
        obj.number = _next_number(type(obj), number_prefix, commune, day.year)
    if search_text is not None:
        obj.search_text = search_text()
    obj.full_clean(exclude=["created_by"])
    obj.save()
    if then is not None:
        then()
    _write(actor=actor, action=action, obj=obj, commune=commune, before=None, after=after())


def save_changed(
    *,
    actor: User,
    action: str,
    obj: models.Model,
    commune: AdministrativeUnit,
    old: tuple[int, dt.date],
    day: dt.date,
    before: dict,
    proposed: dict,
    after: Callable[[], dict],
    then: Callable[[], None] | None = None,
) -> bool:
    """Save a validated edit unless it changes nothing (``proposed`` equals ``before``): the periods
    it leaves and enters open, the version bumped, ``then`` and the audit row. Returns whether it saved."""
    obj.full_clean(exclude=["created_by"])
    if not locking.edited_fields(before, proposed):
        return False
    ensure_unlocked(commune=old[0], day=old[1])
    ensure_unlocked(commune=commune, day=day)
    obj.version += 1
    obj.save()
    if then is not None:
        then()
    _write(actor=actor, action=action, obj=obj, commune=commune, before=before, after=after())
    return True
