"""Writes on the crime case register and its offenders: create, edit and the audited read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.cases.choices import Sex
from apps.cases.selectors import visible_people as people_visible_to
from apps.core import actors, scoping
from apps.core.dates import today
from apps.core.locking import versioned_snapshot
from apps.core.text import clean_name, normalize

from .. import actions
from ..choices import CaseStage, CriminalArticle
from ..models import CrimeCase, Offender
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
    from apps.cases.models import Person

CRIMECASE_FIELDS = [
    "commune",
    "recorded_unit",
    "occurred_on",
    "article",
    "summary",
    "offenders_count",
    "stage",
    "heroin_g",
    "synthetic_g",
    "cannabis_g",
    "other_g",
    "synthetic_tablets",
    "other_desc",
    "notes",
]
AMOUNT_FIELDS = ("heroin_g", "synthetic_g", "cannabis_g", "other_g")
MIN_OFFENDER_AGE = 14  # criminal responsibility for drug offences (BLHS 2015, Art. 12)


@dataclass
class OffenderInput:
    full_name: str
    sex: str
    arrested_on: dt.date
    birth_year: int | None = None
    person: Person | None = None
    #: an offender already recorded in this case, edited in place (keeps its link to a person)
    pk: int | None = None


@dataclass
class CrimeCaseInput:
    occurred_on: dt.date
    article: str
    summary: str
    commune: AdministrativeUnit | None = None
    recorded_unit: AdministrativeUnit | None = None
    #: number arrested; None means the number of offenders named
    offenders_count: int | None = None
    stage: str = CaseStage.DETECTED
    heroin_g: Decimal = Decimal(0)
    synthetic_g: Decimal = Decimal(0)
    cannabis_g: Decimal = Decimal(0)
    other_g: Decimal = Decimal(0)
    synthetic_tablets: int = 0
    other_desc: str = ""
    notes: str = ""


def _offender_row(o: Offender) -> dict[str, Any]:
    return {
        "full_name": o.full_name,
        "birth_year": o.birth_year,
        "sex": o.sex,
        "arrested_on": o.arrested_on.isoformat() if o.arrested_on else None,
        "person": o.person_id,
    }


def _crime_snapshot(case: CrimeCase, offenders: Sequence[Offender] | None = None) -> dict[str, Any]:
    data = versioned_snapshot(case, CRIMECASE_FIELDS)
    data["number"] = case.number
    if offenders is None:
        offenders = list(case.offenders.order_by("pk")) if case.pk else []
    data["offenders"] = [_offender_row(o) for o in offenders]
    return data


def _apply_crime(case: CrimeCase, data: CrimeCaseInput, commune: AdministrativeUnit) -> None:
    case.commune = commune
    case.recorded_unit = _as_written(data.recorded_unit, commune)
    case.occurred_on = data.occurred_on
    case.article = data.article
    case.summary = (data.summary or "").strip()
    case.stage = data.stage or CaseStage.DETECTED
    for name in AMOUNT_FIELDS:
        setattr(case, name, _quantize(getattr(data, name) or 0, 3))
    case.synthetic_tablets = data.synthetic_tablets or 0
    case.other_desc = clean_name(data.other_desc)
    case.notes = (data.notes or "").strip()


def _build_offenders(
    actor: User, case: CrimeCase, offenders: Sequence[OffenderInput], *, on: dt.date
) -> tuple[list[Offender], dict[str, list[str]]]:
    """Unsaved ``Offender`` objects for the rows (existing ones edited in place), and the errors."""
    existing = {o.pk: o for o in case.offenders.all()} if case.pk else {}
    person_ids = {o.person.pk for o in offenders if o.person is not None}
    visible_people: set[int] = set()
    if person_ids:
        visible_people = set(people_visible_to(actor).filter(pk__in=person_ids).values_list("pk", flat=True))
    built: list[Offender] = []
    problems: list[str] = []
    for number, row in enumerate(offenders, start=1):
        name = clean_name(row.full_name)
        issues: list[str] = []
        if row.pk is not None and row.pk not in existing:
            issues.append(_("không thuộc vụ án này"))
        offender = existing.get(row.pk) or Offender(crime_case=case)
        offender.full_name, offender.sex, offender.arrested_on = name, row.sex, row.arrested_on
        offender.birth_year, offender.person = row.birth_year, row.person
        if not name:
            issues.append(_("thiếu họ tên"))
        if row.sex not in Sex.values:
            issues.append(_("giới tính phải là Nam hoặc Nữ"))
        if row.arrested_on is None:
            issues.append(_("thiếu ngày bắt"))
        elif row.arrested_on > on:
            issues.append(_("ngày bắt sau ngày hôm nay"))
        elif case.occurred_on and row.arrested_on < case.occurred_on:
            issues.append(_("ngày bắt trước ngày xảy ra vụ việc"))
        if row.birth_year is not None:
            year = (row.arrested_on or on).year
            if not (year - 100 <= row.birth_year <= year - MIN_OFFENDER_AGE):
                issues.append(
                    _("năm sinh %(y)s không hợp lý (người bị bắt từ %(min)s đến 100 tuổi)")
                    % {"y": row.birth_year, "min": MIN_OFFENDER_AGE}
                )
        if row.person is not None and row.person.pk not in visible_people:
            issues.append(_("người có hồ sơ được chọn nằm ngoài phạm vi được giao"))
        if issues:
            who = name or _("chưa ghi tên")
            problems.append(
                _("Người thứ %(n)s (%(who)s): %(issues)s.") % {"n": number, "who": who, "issues": "; ".join(issues)}
            )
        built.append(offender)
    return built, ({"offenders": problems} if problems else {})


def _validate_crime(case: CrimeCase, named: int, *, on: dt.date) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if case.occurred_on is None:
        errors["occurred_on"] = _("Hãy ghi ngày xảy ra, phát hiện.")
    _not_future(errors, CrimeCase, "occurred_on", case.occurred_on, on)
    if case.article not in CriminalArticle.values:
        errors["article"] = _("Hãy chọn tội danh.")
    if case.stage not in CaseStage.values:
        errors["stage"] = _("Giai đoạn không hợp lệ.")
    if not case.summary:
        errors["summary"] = _("Hãy ghi tóm tắt vụ việc.")
    for name in AMOUNT_FIELDS:
        value = getattr(case, name)
        if value is not None and value < 0:
            errors[name] = _("Khối lượng không được âm.")
    if case.synthetic_tablets is not None and case.synthetic_tablets < 0:
        errors["synthetic_tablets"] = _("Số viên không được âm.")
    if case.offenders_count is not None and case.offenders_count < 0:
        errors["offenders_count"] = _("Số đối tượng không được âm.")
    elif case.offenders_count is not None and case.offenders_count < named:
        errors["offenders_count"] = _("Số đối tượng bị bắt (%(count)s) ít hơn số người đã ghi tên (%(named)s).") % {
            "count": case.offenders_count,
            "named": named,
        }
    return errors


def _check_crime_date_first(case: CrimeCase, *, on: dt.date) -> None:
    """Arrests are checked against the day of the case: a wrong day is reported alone first,
    rather than with a cascade of offender errors it caused."""
    if case.occurred_on is None or case.occurred_on > on:
        _raise(_validate_crime(case, 0, on=on))


def _crime_search_text(case: CrimeCase, offenders: Sequence[Offender]) -> str:
    parts = [normalize(case.number), normalize(case.summary), normalize(case.other_desc), normalize(case.notes)]
    parts += [normalize(o.full_name) for o in offenders]
    return " | ".join(p for p in parts if p)


def _save_offenders(case: CrimeCase, built: list[Offender]) -> None:
    keep = [o.pk for o in built if o.pk]
    case.offenders.exclude(pk__in=keep).delete()
    for offender in built:
        offender.crime_case = case
        offender.full_clean(exclude=["crime_case"])
        offender.save()


@transaction.atomic
def crime_case_create(*, actor: User, data: CrimeCaseInput, offenders: Sequence[OffenderInput] = ()) -> CrimeCase:
    """Enter a drug crime case with the people arrested; numbered ``VA-<commune>-<year>-NNNN``."""
    scoping.require_action(actor, CrimeCase, "add")
    on = today()
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    case = CrimeCase(created_by=actors.user_or_none(actor))
    _apply_crime(case, data, commune)
    _check_crime_date_first(case, on=on)
    built, errors = _build_offenders(actor, case, offenders, on=on)
    case.offenders_count = len(built) if data.offenders_count is None else data.offenders_count
    errors.update(_validate_crime(case, len(built), on=on))
    _raise(errors)
    save_created(
        actor=actor,
        action=actions.CRIMECASE_CREATE,
        obj=case,
        commune=commune,
        day=case.occurred_on,
        number_prefix="VA",
        search_text=lambda: _crime_search_text(case, built),
        then=lambda: _save_offenders(case, built),
        after=lambda: _crime_snapshot(case, built),
    )
    return case


@transaction.atomic
def crime_case_update(
    *,
    actor: User,
    crime_case: CrimeCase,
    data: CrimeCaseInput,
    offenders: Sequence[OffenderInput] | None = None,
    expected_version: int | None = None,
) -> CrimeCase:
    """Edit a crime case. ``offenders`` replaces the list (rows with ``pk`` are edited in place,
    the others added, the missing ones removed); ``None`` leaves it unchanged."""
    case, old = open_update(actor=actor, obj=crime_case, expected_version=expected_version, day_field="occurred_on")
    on = today()
    current = list(case.offenders.order_by("pk"))
    before = _crime_snapshot(case, current)
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    _apply_crime(case, data, commune)
    _check_crime_date_first(case, on=on)
    if offenders is None:
        built, errors = current, {}
    else:
        built, errors = _build_offenders(actor, case, offenders, on=on)
    case.offenders_count = len(built) if data.offenders_count is None else data.offenders_count
    errors.update(_validate_crime(case, len(built), on=on))
    _raise(errors)
    case.search_text = _crime_search_text(case, built)
    save_changed(
        actor=actor,
        action=actions.CRIMECASE_UPDATE,
        obj=case,
        commune=commune,
        old=old,
        day=case.occurred_on,
        before=before,
        proposed=_crime_snapshot(case, built),
        then=None if offenders is None else lambda: _save_offenders(case, built),
        after=lambda: _crime_snapshot(case, list(case.offenders.order_by("pk"))),
    )
    return case


def crime_case_record_view(*, actor: User, crime_case: CrimeCase) -> bool:
    """Opening a crime case that names arrested people is recorded (personal data); the others
    are not. Uses the prefetched offenders when present. Returns whether a row was written."""
    if not list(crime_case.offenders.all()):
        return False
    audit_record(actor=actor, action=actions.CRIMECASE_VIEW, obj=crime_case, area=crime_case.commune)
    return True
