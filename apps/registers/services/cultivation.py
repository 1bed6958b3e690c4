"""Writes on the register of illicit cultivation finds: create and edit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.text import clean_name, normalize

from .. import actions
from ..choices import PlantSpecies
from ..models import Cultivation
from ._common import (
    _as_written,
    _not_future,
    _quantize,
    _raise,
    open_update,
    resolve_commune,
    save_changed,
    save_created,
)

if TYPE_CHECKING:
    from apps.accounts.models import User

CULTIVATION_FIELDS = [
    "commune",
    "recorded_unit",
    "found_on",
    "species",
    "plants",
    "area_m2",
    "destroyed",
    "village",
    "notes",
]


@dataclass
class CultivationInput:
    found_on: dt.date
    species: str
    commune: AdministrativeUnit | None = None
    recorded_unit: AdministrativeUnit | None = None
    plants: int = 0
    area_m2: Decimal = Decimal(0)
    destroyed: bool = True
    village: str = ""
    notes: str = ""


def _cultivation_snapshot(item: Cultivation) -> dict[str, Any]:
    data = versioned_snapshot(item, CULTIVATION_FIELDS)
    data["number"] = item.number
    return data


def _apply_cultivation(item: Cultivation, data: CultivationInput, commune: AdministrativeUnit) -> None:
    item.commune = commune
    item.recorded_unit = _as_written(data.recorded_unit, commune)
    item.found_on = data.found_on
    item.species = data.species
    item.plants = data.plants or 0
    item.area_m2 = _quantize(data.area_m2 or 0, 2)
    item.destroyed = bool(data.destroyed)
    item.village = clean_name(data.village)
    item.notes = (data.notes or "").strip()
    item.search_text = _cultivation_search_text(item)


def _cultivation_search_text(item: Cultivation) -> str:
    return " | ".join(p for p in (normalize(item.number), normalize(item.village), normalize(item.notes)) if p)


def _validate_cultivation(item: Cultivation, *, on: dt.date) -> None:
    errors: dict[str, str] = {}
    if item.found_on is None:
        errors["found_on"] = _("Hãy ghi ngày phát hiện.")
    _not_future(errors, Cultivation, "found_on", item.found_on, on)
    if item.species not in PlantSpecies.values:
        errors["species"] = _("Hãy chọn loại cây.")
    if item.plants < 0:
        errors["plants"] = _("Số cây không được âm.")
    if item.area_m2 < 0:
        errors["area_m2"] = _("Diện tích không được âm.")
    if not errors and not item.plants and not item.area_m2:
        errors["plants"] = _("Hãy ghi số cây hoặc diện tích phát hiện.")
    _raise(errors)


@transaction.atomic
def cultivation_create(*, actor: User, data: CultivationInput) -> Cultivation:
    """Enter a find of drug-bearing plants; numbered ``TC-<commune>-<year>-NNNN``."""
    scoping.require_action(actor, Cultivation, "add")
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    item = Cultivation(created_by=actors.user_or_none(actor))
    _apply_cultivation(item, data, commune)
    _validate_cultivation(item, on=today())
    save_created(
        actor=actor,
        action=actions.CULTIVATION_CREATE,
        obj=item,
        commune=commune,
        day=item.found_on,
        number_prefix="TC",
        search_text=lambda: _cultivation_search_text(item),
        after=lambda: _cultivation_snapshot(item),
    )
    return item


@transaction.atomic
def cultivation_update(
    *, actor: User, cultivation: Cultivation, data: CultivationInput, expected_version: int | None = None
) -> Cultivation:
    item, old = open_update(actor=actor, obj=cultivation, expected_version=expected_version, day_field="found_on")
    before = _cultivation_snapshot(item)
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    _apply_cultivation(item, data, commune)
    _validate_cultivation(item, on=today())
    save_changed(
        actor=actor,
        action=actions.CULTIVATION_UPDATE,
        obj=item,
        commune=commune,
        old=old,
        day=item.found_on,
        before=before,
        proposed=_cultivation_snapshot(item),
        after=lambda: _cultivation_snapshot(item),
    )
    return item
