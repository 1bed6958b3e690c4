"""Writes of the high-risk register: create, update, and the sync from open case files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.cases.choices import Status
from apps.cases.models import CaseFile
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.text import clean_name, normalize

from .. import actions
from ..choices import (
    HighRiskSource,
    HighRiskStatus,
)
from ..models import (
    AudienceGroup,
    HighRiskPerson,
)
from ..reference import DRUG_USERS
from ._common import _changed, _commune_error, _lock, _raise, _text

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
    data = versioned_snapshot(entry, HIGHRISK_FIELDS)
    data["person"] = entry.person_id
    data["source"] = entry.source
    return data


def _highrisk_search(entry: HighRiskPerson) -> str:
    return " | ".join(p for p in (normalize(entry.full_name), normalize(entry.village)) if p)


def _validate_highrisk(actor, data: HighRiskInput, *, on: dt.date) -> None:
    errors: dict[str, Any] = {}
    if not clean_name(data.full_name):
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
    scoping.require_action(actor, HighRiskPerson, "add")
    _validate_highrisk(actor, data, on=today())
    entry = HighRiskPerson(created_by=actors.user_or_none(actor), source=HighRiskSource.MANUAL)
    for name in HIGHRISK_FIELDS:
        setattr(entry, name, getattr(data, name))
    entry.full_name, entry.village = clean_name(data.full_name), clean_name(data.village)
    entry.status_note, entry.notes = clean_name(data.status_note), _text(data.notes)
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
            "full_name": clean_name(data.full_name) != entry.full_name,
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
    entry.full_name, entry.village = clean_name(data.full_name), clean_name(data.village)
    entry.status_note, entry.notes = clean_name(data.status_note), _text(data.notes)
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
        wanted.setdefault((commune_id, person_id), (clean_name(name), year, sex, clean_name(current or permanent)))
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
    actor_or_none = actors.user_or_none(actor)

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
        entry.status_note = clean_name(_("Đã chuyển đến %(u)s") % {"u": target})[:200]
        entry.version += 1
        entry.save()
        summary.moved += 1
        log(entry, before, _("Hồ sơ quản lý đã chuyển đến %(u)s.") % {"u": target})
    return summary
