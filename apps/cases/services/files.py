"""Opening, editing and reading a case file and its person (one file at a time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.selectors import unit_current_successors
from apps.audit.services import audit_record
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import edited_fields, lock_for_update
from apps.core.registry import ensure_unlocked

from .. import stocks
from ..choices import EventKind, Status
from ..models import CaseEvent, CaseFile, Person, SubstanceType
from ._common import (
    PERSON_FIELDS,
    RuleErrors,
    _check_person,
    _ensure_commune,
    _ensure_open,
    _lock,
    _next_file_number,
    _person_of_new_file,
    _save_and_derive,
    _snapshot,
    _validate_case_dates,
    load_clock,
    normalize_citizen_id,
    person_snapshot,
    refresh_due,
    validate_person,
)


def case_input_errors(
    person: dict[str, Any], case: dict[str, Any], *, on: dt.date | None = None
) -> dict[str, list[str]]:
    """What the rules of ``case_create`` say about the values a form could read, before any
    write: the form shows them together with its own field errors (one round trip)."""
    on = on or today()
    errors = RuleErrors()
    draft = Person(**{k: v for k, v in person.items() if k in PERSON_FIELDS})
    if draft.date_of_birth and not draft.birth_year:
        draft.birth_year = draft.date_of_birth.year
    with errors.collect("citizen_id"):
        draft.citizen_id, draft.citizen_id_kind = normalize_citizen_id(draft.citizen_id)
    with errors.collect():
        validate_person(draft, on=on)
    file = CaseFile(**{k: v for k, v in case.items() if k in ("detected_on", "first_use_date")})
    with errors.collect():
        _validate_case_dates(file, draft, on=on)
    return {name: [m for e in errs for m in e.messages] for name, errs in errors.errors.items()}


def _ensure_recorded_unit(case: CaseFile) -> None:
    """The unit as recorded must be a former commune whose territory is (partly) today's commune:
    a figure on the map of its time counts the file there (``stocks.counts_in_window_on_map``)."""
    unit = case.recorded_unit
    if unit is None:
        return
    if unit.level != "commune" or unit.valid_to is None:
        message = _("Đơn vị lúc ghi nhận phải là một xã, phường, thị trấn trước 01/7/2025.")
        raise ValidationError({"recorded_unit": message})
    if case.commune_id not in {u.pk for u in unit_current_successors(unit)}:
        raise ValidationError(
            {"recorded_unit": _("%(old)s không thuộc địa bàn %(new)s hiện nay.") % {"old": unit, "new": case.commune}}
        )


@dataclass
class CaseInput:
    person: dict[str, Any]
    case: dict[str, Any]
    substances: list[str]


@transaction.atomic
def case_create(*, actor, data: CaseInput, person: Person | None = None) -> CaseFile:
    """Open a case file (and the person, unless an existing person is given)."""
    scoping.require_action(actor, CaseFile, "add", _("Tài khoản không có quyền lập hồ sơ."))
    on = today()
    person, filled = _person_of_new_file(data.person, person)
    if filled:
        person.version += 1  # an editor holding the older version must not overwrite the filled gaps
    errors = RuleErrors()
    _check_person(person, errors, on=on)
    case = CaseFile(person=person, created_by=actors.user_or_none(actor), status=Status.SIGNS)
    for name, value in data.case.items():
        setattr(case, name, value)
    with errors.collect():
        _ensure_commune(actor, case.commune)
    with errors.collect():
        _ensure_recorded_unit(case)
    with errors.collect():
        _validate_case_dates(case, person, on=on)
    errors.raise_if_any()
    ensure_unlocked(commune=case.commune, day=case.detected_on)
    person.save()
    case.person = person
    case.file_number = _next_file_number(case.commune, case.detected_on.year)
    case.full_clean(exclude=["person", "created_by"])
    case.save()
    case.substances.set(SubstanceType.objects.filter(code__in=data.substances))
    CaseEvent.objects.create(
        case_file=case,
        kind=EventKind.OPENED,
        event_date=case.detected_on,
        to_status=Status.SIGNS,
        whereabouts=case.whereabouts,
        created_by=actors.user_or_none(actor),
        legal_basis="Chương IV Nghị định 105/2021/NĐ-CP",
    )
    clock = load_clock()  # once for the due date and the stock spans
    refresh_due(case, clock)
    case.save(update_fields=["due_date", "due_label", "period_end", "status_since", "last_visit_on"])
    stocks.rebuild([case.pk], clock=clock)
    audit_record(actor=actor, action="cases.casefile.create", obj=case, area=case.commune, after=_snapshot(case))
    return case


@transaction.atomic
def case_update(
    *,
    actor,
    case: CaseFile,
    data: CaseInput,
    expected_version: int | None,
    expected_person_version: int | None = None,
) -> CaseFile:
    """Edit the person and the file. Refused when someone saved the file since ``expected_version``
    or the person (shared with the files of other communes) since ``expected_person_version``."""
    scoping.ensure_can(actor, "change", case)
    case = _lock(case, expected_version)
    _ensure_open(case)
    old_detected = case.detected_on
    before = _snapshot(case)
    case.person = person = lock_for_update(case.person, expected_person_version)
    person_before = person_snapshot(person)
    for name, value in data.person.items():
        setattr(person, name, value)
    on = today()
    errors = RuleErrors()
    _check_person(person, errors, on=on)
    old_commune = case.commune_id
    for name, value in data.case.items():
        setattr(case, name, value)
    if case.commune_id != old_commune:
        raise ValidationError({"commune": _("Muốn đổi xã quản lý, hãy dùng chức năng “Chuyển nơi cư trú”.")})
    with errors.collect():
        _validate_case_dates(case, person, on=on)
    with errors.collect():
        case.full_clean(exclude=["person", "created_by", *errors.fields()])
    errors.raise_if_any()
    proposed = _snapshot(case)
    proposed["substances"] = sorted(data.substances)
    if not edited_fields(before, proposed):
        # Nothing changed: no new version, so a later stale refusal always has a change to name.
        return case
    if case.detected_on != old_detected:
        # Moving a file out of (or into) an approved period changes that period's figures too.
        ensure_unlocked(commune=case.commune, day=old_detected)
        ensure_unlocked(commune=case.commune, day=case.detected_on)
    person_changed = edited_fields(person_before, person_snapshot(person))
    if person_changed:
        person.version += 1
    person.save()
    case.substances.set(SubstanceType.objects.filter(code__in=data.substances))
    case.version += 1
    clock = load_clock()  # once for the due date and the stock spans
    _save_and_derive(case, clock)
    audit_record(
        actor=actor, action="cases.casefile.update", obj=case, area=case.commune, before=before, after=_snapshot(case)
    )
    if person_changed:
        # The person's own trail: what a stale edit of the person is told (core.locking reads it).
        audit_record(
            actor=actor,
            action="cases.person.update",
            obj=person,
            area=case.commune,
            before=person_before,
            after=person_snapshot(person),
        )
    return case


def case_record_view(*, actor, case: CaseFile, reason: str = "") -> None:
    """Every opening of a case page is recorded (sensitive personal data), with the reason given
    when the file lies outside the reader's own commune (break-glass)."""
    audit_record(
        actor=actor,
        action="cases.casefile.view",
        obj=case,
        area=case.commune,
        after={"break_glass": reason} if reason else None,
        message=_("Lý do truy cập ngoài địa bàn: %(r)s") % {"r": reason} if reason else "",
    )
