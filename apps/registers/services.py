"""Writes on the registers. Views, imports and the demo data all call these functions: each one
checks the role and the area, validates, refuses a save based on a stale version (optimistic
locking) and writes its audit row in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import describe_candidates, unit_current_successors
from apps.audit.services import audit_record, changed_fields, snapshot
from apps.cases.choices import Sex
from apps.cases.models import CaseFile
from apps.cases.selectors import visible_people as people_visible_to
from apps.core import locking, scoping
from apps.core.dates import today
from apps.core.registry import ensure_unlocked
from apps.core.text import nfc, normalize

from . import actions
from .choices import HOTSPOT_TRANSITIONS, CaseStage, CriminalArticle, HotspotKind, HotspotStatus, PlantSpecies
from .models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange, Offender

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.cases.models import CaseFile, Person

HOTSPOT_FIELDS = [
    "commune",
    "recorded_unit",
    "village",
    "address",
    "latitude",
    "longitude",
    "kind",
    "name",
    "discovered_on",
    "status",
    "status_since",
    "eliminated_on",
    "notes",
]
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
AMOUNT_FIELDS = ("heroin_g", "synthetic_g", "cannabis_g", "other_g")
# Keys of the audit snapshots that are not model fields, with their labels (stale-save messages).
_EXTRA_LABELS = {"offenders": gettext_lazy("đối tượng bị bắt"), "linked_cases": gettext_lazy("hồ sơ liên quan")}
MIN_OFFENDER_AGE = 14  # criminal responsibility for drug offences (BLHS 2015, Art. 12)


def _clean_text(value: Any) -> str:
    """One canonical form for text typed on different keyboards: NFC, single spaces."""
    return " ".join(nfc(str(value or "")).split())


def _quantize(value: Any, places: int) -> Decimal | None:
    """A decimal with the field's scale, so 21.8233 and 21.823300 compare equal in snapshots."""
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _require(actor: User, model: type[models.Model], action: str) -> None:
    scoping.require(actor, scoping.permission_name(model, action))


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
    if before is not None and not (changed_fields(before, after).keys() - {"version"}):
        return False
    audit_record(actor=actor, action=action, obj=obj, area=commune, before=before, after=after, **kw)
    return True


# --- hotspots ------------------------------------------------------------------------------------


@dataclass
class HotspotInput:
    name: str
    kind: str
    discovered_on: dt.date
    commune: AdministrativeUnit | None = None
    recorded_unit: AdministrativeUnit | None = None
    village: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    notes: str = ""
    #: None leaves the links unchanged on update (and means none on create)
    linked_cases: Sequence[CaseFile] | None = None


def _hotspot_snapshot(hotspot: Hotspot, linked: Iterable[int] | None = None) -> dict[str, Any]:
    data = snapshot(hotspot, fields=HOTSPOT_FIELDS)
    data["version"] = hotspot.version
    if linked is None:
        linked = hotspot.linked_cases.values_list("pk", flat=True) if hotspot.pk else []
    data["linked_cases"] = sorted(linked)
    return data


def _check_linked_cases(actor: User, cases: Sequence[CaseFile] | None) -> list[int] | None:
    """Only case files the actor may see can be linked (no linking blind across communes)."""
    if cases is None:
        return None
    ids = sorted({c.pk for c in cases})
    visible = set(scoping.visible_to(CaseFile.objects.filter(pk__in=ids), actor).values_list("pk", flat=True))
    if set(ids) - visible:
        raise ValidationError({"linked_cases": _("Có hồ sơ liên quan nằm ngoài phạm vi được giao.")})
    return ids


def _apply_hotspot(hotspot: Hotspot, data: HotspotInput, commune: AdministrativeUnit) -> None:
    hotspot.commune = commune
    hotspot.recorded_unit = _as_written(data.recorded_unit, commune)
    hotspot.name = _clean_text(data.name)
    hotspot.name_key = normalize(hotspot.name)
    hotspot.kind = data.kind
    hotspot.discovered_on = data.discovered_on
    hotspot.village = _clean_text(data.village)
    hotspot.address = _clean_text(data.address)
    hotspot.latitude = _quantize(data.latitude, 6)
    hotspot.longitude = _quantize(data.longitude, 6)
    hotspot.notes = (data.notes or "").strip()
    hotspot.search_text = " | ".join(
        part for part in (hotspot.name_key, normalize(hotspot.village), normalize(hotspot.address)) if part
    )


def _validate_hotspot(hotspot: Hotspot, *, on: dt.date) -> None:
    errors: dict[str, str] = {}
    if not hotspot.name:
        errors["name"] = _("Hãy ghi tên điểm, tụ điểm.")
    elif Hotspot.objects.filter(commune=hotspot.commune, name_key=hotspot.name_key).exclude(pk=hotspot.pk).exists():
        errors["name"] = _(
            "%(commune)s đã có điểm, tụ điểm tên “%(name)s”. Nếu là điểm đó hoạt động trở lại, hãy chuyển tình "
            "trạng của nó; nếu là điểm khác, hãy ghi tên phân biệt (thôn, chủ hộ…)."
        ) % {"commune": hotspot.commune.full_name, "name": hotspot.name}
    if hotspot.kind not in HotspotKind.values:
        errors["kind"] = _("Hãy chọn loại điểm.")
    if hotspot.discovered_on is None:
        errors["discovered_on"] = _("Hãy ghi ngày phát hiện.")
    _not_future(errors, Hotspot, "discovered_on", hotspot.discovered_on, on)
    _not_future(errors, Hotspot, "status_since", hotspot.status_since, on)
    if hotspot.discovered_on and hotspot.status_since and hotspot.status_since < hotspot.discovered_on:
        errors.setdefault("status_since", _("Ngày của tình trạng không được trước ngày phát hiện."))
    if hotspot.pk and hotspot.discovered_on:
        first = hotspot.status_changes.aggregate(d=Min("changed_on"))["d"]
        if first and hotspot.discovered_on > first:
            errors.setdefault(
                "discovered_on",
                _("Ngày phát hiện không được sau lần ghi tình trạng đầu tiên (%(d)s).") % {"d": _date(first)},
            )
    _raise(errors)


@transaction.atomic
def hotspot_create(
    *,
    actor: User,
    data: HotspotInput,
    status: str = HotspotStatus.ACTIVE,
    status_since: dt.date | None = None,
    reason: str = "",
) -> Hotspot:
    """Enter a hotspot. A register copied from paper may start in any status (e.g. already
    eliminated); the initial status is the first row of its history, dated ``status_since``
    (default: the discovery date)."""
    _require(actor, Hotspot, "add")
    if status not in HotspotStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    linked = _check_linked_cases(actor, data.linked_cases) or []
    hotspot = Hotspot(created_by=scoping.user_or_none(actor), status=status)
    _apply_hotspot(hotspot, data, commune)
    hotspot.status_since = status_since or hotspot.discovered_on
    hotspot.eliminated_on = hotspot.status_since if status == HotspotStatus.ELIMINATED else None
    _validate_hotspot(hotspot, on=today())
    ensure_unlocked(commune=commune, day=min(hotspot.discovered_on, hotspot.status_since))
    hotspot.full_clean(exclude=["created_by"])
    hotspot.save()
    hotspot.linked_cases.set(linked)
    HotspotStatusChange.objects.create(
        hotspot=hotspot,
        from_status="",
        to_status=status,
        changed_on=hotspot.status_since,
        reason=(reason or "").strip(),
        changed_by=scoping.user_or_none(actor),
    )
    _write(
        actor=actor,
        action=actions.HOTSPOT_CREATE,
        obj=hotspot,
        commune=commune,
        before=None,
        after=_hotspot_snapshot(hotspot, linked),
    )
    return hotspot


@transaction.atomic
def hotspot_update(
    *, actor: User, hotspot: Hotspot, data: HotspotInput, expected_version: int | None = None
) -> Hotspot:
    """Correct a hotspot's description. Its status moves only through ``hotspot_change_status``.
    Refused when someone saved since ``expected_version``; nothing is written when nothing changed."""
    scoping.ensure_can(actor, "change", hotspot)
    hotspot = _lock(hotspot, expected_version)
    old = (hotspot.commune_id, hotspot.discovered_on)
    before = _hotspot_snapshot(hotspot)
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    linked = _check_linked_cases(actor, data.linked_cases)
    _apply_hotspot(hotspot, data, commune)
    _validate_hotspot(hotspot, on=today())
    hotspot.full_clean(exclude=["created_by"])
    links = before["linked_cases"] if linked is None else linked
    if not (changed_fields(before, _hotspot_snapshot(hotspot, links)).keys() - {"version"}):
        return hotspot
    ensure_unlocked(commune=old[0], day=old[1])
    ensure_unlocked(commune=commune, day=hotspot.discovered_on)
    hotspot.version += 1
    hotspot.save()
    if linked is not None:
        hotspot.linked_cases.set(linked)
    _write(
        actor=actor,
        action=actions.HOTSPOT_UPDATE,
        obj=hotspot,
        commune=commune,
        before=before,
        after=_hotspot_snapshot(hotspot, links),
    )
    return hotspot


def allowed_statuses(status: str) -> tuple[str, ...]:
    return HOTSPOT_TRANSITIONS.get(status, ())


@transaction.atomic
def hotspot_change_status(
    *,
    actor: User,
    hotspot: Hotspot,
    to_status: str,
    changed_on: dt.date,
    reason: str = "",
    expected_version: int | None = None,
) -> HotspotStatusChange:
    """Move a hotspot along an allowed transition (``choices.HOTSPOT_TRANSITIONS``), dated.

    Elimination sets ``eliminated_on``; re-emergence clears it. Anything else is refused with a
    Vietnamese message naming the statuses that are possible from here.
    """
    scoping.ensure_can(actor, "change", hotspot)
    hotspot = _lock(hotspot, expected_version)
    current = HotspotStatus(hotspot.status)
    if to_status not in HotspotStatus.values:
        raise ValidationError({"to_status": _("Tình trạng không hợp lệ.")}, code="transition")
    allowed = allowed_statuses(current)
    if to_status not in allowed:
        raise ValidationError(
            {
                "to_status": _(
                    "Không thể chuyển “%(name)s” từ “%(from)s” sang “%(to)s”. Từ tình trạng này chỉ có thể chuyển "
                    "sang: %(allowed)s."
                )
                % {
                    "name": hotspot.name,
                    "from": current.label,
                    "to": HotspotStatus(to_status).label,
                    "allowed": ", ".join(f"“{HotspotStatus(s).label}”" for s in allowed) or "—",
                }
            },
            code="transition",
        )
    errors: dict[str, str] = {}
    if changed_on is None:
        errors["changed_on"] = _("Hãy ghi ngày.")
    elif changed_on > today():
        errors["changed_on"] = _("Ngày không được sau ngày hôm nay.")
    elif changed_on < hotspot.status_since:
        errors["changed_on"] = _("Ngày không được trước ngày bắt đầu tình trạng hiện tại (%(d)s).") % {
            "d": _date(hotspot.status_since)
        }
    _raise(errors)
    ensure_unlocked(commune=hotspot.commune_id, day=changed_on)
    before = _hotspot_snapshot(hotspot)
    change = HotspotStatusChange.objects.create(
        hotspot=hotspot,
        from_status=current,
        to_status=to_status,
        changed_on=changed_on,
        reason=(reason or "").strip(),
        changed_by=scoping.user_or_none(actor),
    )
    hotspot.status = to_status
    hotspot.status_since = changed_on
    if to_status == HotspotStatus.ELIMINATED:
        hotspot.eliminated_on = changed_on
    elif to_status == HotspotStatus.REEMERGED:
        hotspot.eliminated_on = None
    hotspot.version += 1
    hotspot.full_clean(exclude=["created_by"])
    hotspot.save()
    _write(
        actor=actor,
        action=actions.HOTSPOT_STATUS,
        obj=hotspot,
        commune=hotspot.commune,
        before=before,
        after=_hotspot_snapshot(hotspot, before["linked_cases"]),
        message=f"{current.label} → {HotspotStatus(to_status).label}" + (f": {change.reason}" * bool(change.reason)),
    )
    return change


# --- crime cases ---------------------------------------------------------------------------------


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
    data = snapshot(case, fields=CRIMECASE_FIELDS)
    data["version"] = case.version
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
    case.other_desc = _clean_text(data.other_desc)
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
        name = _clean_text(row.full_name)
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
    _require(actor, CrimeCase, "add")
    on = today()
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    case = CrimeCase(created_by=scoping.user_or_none(actor))
    _apply_crime(case, data, commune)
    _check_crime_date_first(case, on=on)
    built, errors = _build_offenders(actor, case, offenders, on=on)
    case.offenders_count = len(built) if data.offenders_count is None else data.offenders_count
    errors.update(_validate_crime(case, len(built), on=on))
    _raise(errors)
    ensure_unlocked(commune=commune, day=case.occurred_on)
    case.number = _next_number(CrimeCase, "VA", commune, case.occurred_on.year)
    case.search_text = _crime_search_text(case, built)
    case.full_clean(exclude=["created_by"])
    case.save()
    _save_offenders(case, built)
    _write(
        actor=actor,
        action=actions.CRIMECASE_CREATE,
        obj=case,
        commune=commune,
        before=None,
        after=_crime_snapshot(case, built),
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
    scoping.ensure_can(actor, "change", crime_case)
    case = _lock(crime_case, expected_version)
    old = (case.commune_id, case.occurred_on)
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
    case.full_clean(exclude=["created_by"])
    if not (changed_fields(before, _crime_snapshot(case, built)).keys() - {"version"}):
        return case
    ensure_unlocked(commune=old[0], day=old[1])
    ensure_unlocked(commune=commune, day=case.occurred_on)
    case.version += 1
    case.save()
    if offenders is not None:
        _save_offenders(case, built)
    _write(
        actor=actor,
        action=actions.CRIMECASE_UPDATE,
        obj=case,
        commune=commune,
        before=before,
        after=_crime_snapshot(case, list(case.offenders.order_by("pk"))),
    )
    return case


def crime_case_record_view(*, actor: User, crime_case: CrimeCase) -> bool:
    """Opening a crime case that names arrested people is recorded (personal data); the others
    are not. Uses the prefetched offenders when present. Returns whether a row was written."""
    if not list(crime_case.offenders.all()):
        return False
    audit_record(actor=actor, action=actions.CRIMECASE_VIEW, obj=crime_case, area=crime_case.commune)
    return True


# --- cultivation ---------------------------------------------------------------------------------


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
    data = snapshot(item, fields=CULTIVATION_FIELDS)
    data["version"] = item.version
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
    item.village = _clean_text(data.village)
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
    _require(actor, Cultivation, "add")
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    item = Cultivation(created_by=scoping.user_or_none(actor))
    _apply_cultivation(item, data, commune)
    _validate_cultivation(item, on=today())
    ensure_unlocked(commune=commune, day=item.found_on)
    item.number = _next_number(Cultivation, "TC", commune, item.found_on.year)
    item.search_text = _cultivation_search_text(item)
    item.full_clean(exclude=["created_by"])
    item.save()
    _write(
        actor=actor,
        action=actions.CULTIVATION_CREATE,
        obj=item,
        commune=commune,
        before=None,
        after=_cultivation_snapshot(item),
    )
    return item


@transaction.atomic
def cultivation_update(
    *, actor: User, cultivation: Cultivation, data: CultivationInput, expected_version: int | None = None
) -> Cultivation:
    scoping.ensure_can(actor, "change", cultivation)
    item = _lock(cultivation, expected_version)
    old = (item.commune_id, item.found_on)
    before = _cultivation_snapshot(item)
    commune = resolve_commune(actor=actor, recorded_unit=data.recorded_unit, commune=data.commune)
    _apply_cultivation(item, data, commune)
    _validate_cultivation(item, on=today())
    item.full_clean(exclude=["created_by"])
    if not (changed_fields(before, _cultivation_snapshot(item)).keys() - {"version"}):
        return item
    ensure_unlocked(commune=old[0], day=old[1])
    ensure_unlocked(commune=commune, day=item.found_on)
    item.version += 1
    item.save()
    _write(
        actor=actor,
        action=actions.CULTIVATION_UPDATE,
        obj=item,
        commune=commune,
        before=before,
        after=_cultivation_snapshot(item),
    )
    return item
