"""Writes over administrative units: loading the official catalogue and maintaining population."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit import actions
from apps.audit.services import audit_record, changed_fields, snapshot
from apps.core import actors, formatting, locking, scoping

from .choices import MapVerification
from .models import AdministrativeUnit, UnitGeneration, UnitPopulation, UnitSuccession

# Kept importable from here for code written before core.locking held it; import it from there.
StaleObjectError = locking.StaleObjectError

DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "admin_units.json"
# NQ 1684/NQ-UBTVQH15 of 16/6/2025 arranged the commune-level units of Tuyên Quang (domain.md §6).
CONVERSION_LEGAL_BASIS = "Nghị quyết 1684/NQ-UBTVQH15 ngày 16/6/2025; Nghị quyết 202/2025/QH15"


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    successions: int = 0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def units_load(*, actor=None, path: Path = DEFAULT_FIXTURE) -> LoadSummary:
    """Load (or refresh) the official units and conversions from the fixture. Idempotent: units are
    matched on (generation, code), so re-running changes nothing unless the fixture changed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    summary = LoadSummary()
    generations = {}
    for g in data["generations"]:
        generations[g["code"]], _created = UnitGeneration.objects.update_or_create(
            code=g["code"],
            defaults={
                "name": g["name"],
                "valid_from": _date(g["valid_from"]),
                "valid_to": _date(g["valid_to"]),
                "as_of": _date(g.get("as_of")),
                "verification": g.get("verification", MapVerification.VERIFIED),
                "note": g.get("note", ""),
            },
        )
    existing = {(u.generation_id, u.code): u for u in AdministrativeUnit.objects.all()}
    by_key: dict[tuple[str, str], AdministrativeUnit] = {}
    # New units are inserted in bulk, one INSERT per level (the fixture lists parents first): a
    # fresh load of the ~1,000 units is a handful of statements, not one per unit.
    pending: list[AdministrativeUnit] = []
    for row in data["units"]:
        gen = generations[row["generation"]]
        key = (gen.code, row["code"])
        parent = by_key[(gen.code, row["parent"])] if row["parent"] else None
        if parent is not None and parent.pk is None:
            AdministrativeUnit.objects.bulk_create(pending)
            pending = []
        unit = existing.get(key) or AdministrativeUnit(generation=gen, code=row["code"])
        was_new = unit.pk is None
        before = (unit.level, unit.kind, unit.name, unit.full_name, unit.parent_id, unit.valid_from, unit.valid_to)
        unit.level, unit.kind, unit.name, unit.full_name = row["level"], row["kind"], row["name"], row["full_name"]
        unit.parent = parent
        unit.valid_from, unit.valid_to = gen.valid_from, gen.valid_to
        unit.compute_tree_fields()
        after = (unit.level, unit.kind, unit.name, unit.full_name, unit.parent_id, unit.valid_from, unit.valid_to)
        if was_new:
            pending.append(unit)
            summary.created += 1
        elif before != after:
            unit.save()
            summary.updated += 1
        by_key[key] = unit
    AdministrativeUnit.objects.bulk_create(pending)
    # Rows without generations are the 01/7/2025 conversion (former → current); the maps of the
    # time chain 2019 → 2020 → pre2025 with the date and basis of their "chains" entry.
    current_gen = next(g for g in data["generations"] if g["valid_to"] is None)["code"]
    former_gen = next(g for g in data["generations"] if g["valid_to"] is not None)["code"]
    chains = {
        (c["old_generation"], c["new_generation"]): (_date(c["effective_date"]), c["legal_basis"])
        for c in data.get("chains", [])
    }
    chains[(former_gen, current_gen)] = (generations[current_gen].valid_from, CONVERSION_LEGAL_BASIS)
    existing_pairs = set(UnitSuccession.objects.values_list("old_id", "new_id"))
    new_rows = []
    for row in data["conversions"]:
        old_gen, new_gen = row.get("old_generation", former_gen), row.get("new_generation", current_gen)
        old = by_key[(old_gen, row["old"])]
        new = by_key[(new_gen, row["new"])]
        effective, basis = chains[(old_gen, new_gen)]
        if (old.pk, new.pk) not in existing_pairs:
            new_rows.append(
                UnitSuccession(old=old, new=new, partly=row["partly"], effective_date=effective, legal_basis=basis)
            )
    UnitSuccession.objects.bulk_create(new_rows)
    summary.successions = len(new_rows)
    if summary.created or summary.updated or summary.successions:
        audit_record(
            actor=actor,
            username="system",
            action=actions.UNITS_LOAD,
            after={"created": summary.created, "updated": summary.updated, "successions": summary.successions},
            message=data.get("source", ""),
        )
    return summary


def _stale_population(record: UnitPopulation, _expected_version: int) -> str:
    who = record.updated_by.get_full_name() if record.updated_by else _("người khác")
    return _(
        "Số liệu dân số năm %(year)s của %(unit)s đã được %(who)s sửa lúc %(when)s "
        "(hiện là %(value)s). Thay đổi của bạn chưa được lưu; hãy xem lại rồi lưu lại."
    ) % {
        "year": record.year,
        "unit": record.unit,
        "who": who,
        "when": record.updated_at.astimezone().strftime("%H:%M %d/%m/%Y"),
        "value": formatting.grouped(record.population),
    }


@transaction.atomic
def population_set(
    *,
    actor,
    unit: AdministrativeUnit,
    year: int,
    population: int,
    source: str = "",
    expected_version: int | None = None,
) -> UnitPopulation:
    """Create or update the resident population of ``unit`` in ``year``.

    ``expected_version`` is the version the editor saw; if the row changed since, the save is
    refused with what changed (optimistic locking), so two editors never overwrite each other.
    """
    if not scoping.unit_in_scope(actor, unit):
        raise ValidationError(_("Đơn vị nằm ngoài phạm vi được giao."))
    record = UnitPopulation.objects.select_for_update().filter(unit=unit, year=year).first()
    if record is None:
        record = UnitPopulation(unit=unit, year=year)
        before = None
    else:
        locking.ensure_version(record, expected_version, message=_stale_population)
        before = snapshot(record, fields=["population", "source"])
    record.population = population
    record.source = source
    record.updated_by = actors.user_or_none(actor)
    record.full_clean(exclude=["unit"] if record.pk else None)
    if before is not None and not changed_fields(before, snapshot(record, fields=["population", "source"])):
        return record
    if record.pk:
        record.version += 1
    record.save()
    audit_record(
        actor=actor,
        action=actions.POPULATION_SET,
        obj=record,
        area=unit,
        before=before,
        after=snapshot(record, fields=["population", "source"]),
    )
    return record
