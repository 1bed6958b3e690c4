"""Writes on case files. Every change goes through here, is validated, and writes its audit row
in the same transaction (views, imports and commands all call these functions)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import unit_current_successors
from apps.audit.services import audit_record, audit_record_many, changed_fields, snapshot
from apps.core import scoping
from apps.core.dates import today
from apps.core.locking import changes_since, lock_for_update
from apps.core.registry import LockIndex, ensure_unlocked
from apps.core.text import clean_name

from . import selectors as selectors_module
from . import stocks, workflow
from .choices import CloseReason, EventKind, IdKind, Status, Whereabouts
from .models import CaseEvent, CaseFile, DistinctPair, Holiday, LegalDuration, Person, PersonMerge, SubstanceType

PERSON_FIELDS = [
    "full_name",
    "aliases",
    "sex",
    "date_of_birth",
    "birth_year",
    "ethnicity",
    "citizen_id",
    "citizen_id_kind",
    "permanent_unit",
    "permanent_village",
    "permanent_address",
    "current_unit",
    "current_village",
    "current_address",
    "occupation",
    "education",
    "marital_status",
    "phone",
    "family_contact",
]
CASE_FIELDS = [
    "commune",
    "recorded_unit",
    "case_type",
    "whereabouts",
    "use_method",
    "first_use_date",
    "detected_on",
    "assigned_officer",
    "helper_name",
    "criminal_record",
    "administrative_sanctions",
    "notes",
]
# Non-transition events an officer may add in any open state.
FREE_EVENTS = (EventKind.HOME_VISIT, EventKind.NOTE, EventKind.VIOLATION, EventKind.RELAPSE, EventKind.WHEREABOUTS)


# A typo like 05/01/0001 parses as a date; nothing this app records happened before this.
EARLIEST_PLAUSIBLE_DATE = dt.date(1950, 1, 1)


def load_clock() -> workflow.Clock:
    """Durations and holidays, two small queries per operation."""
    return workflow.Clock(
        durations=list(LegalDuration.objects.all()),
        holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
    )


def normalize_citizen_id(raw: Any) -> tuple[str, str]:
    """(digits, kind) for a CCCD (12 digits) or old CMND (9 digits); '' when blank.

    A CCCD typed into a spreadsheet as a number loses its leading zeros (001…); a 12-digit CCCD
    always starts with the 3-digit province code of birth, so 10–11 digits are padded back.
    """
    if raw is None or raw == "":
        return "", ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = re.sub(r"[\s.\-]", "", str(raw))
    if not text.isdigit():
        raise ValidationError(_("Số CCCD/CMND chỉ gồm chữ số."), code="citizen_id")
    if len(text) in (10, 11):
        text = text.zfill(12)
    if len(text) == 12:
        return text, IdKind.CCCD
    if len(text) == 9:
        return text, IdKind.CMND
    raise ValidationError(
        _("Số CCCD phải có 12 chữ số (CMND cũ: 9 chữ số); “%(v)s” có %(n)s chữ số.") % {"v": text, "n": len(text)},
        code="citizen_id",
    )


def validate_person(person: Person, *, on: dt.date) -> None:
    # Every path (screen, import, merge) passes here: one stored form of the name so matches hold.
    person.full_name, person.aliases = clean_name(person.full_name), clean_name(person.aliases)
    errors: dict[str, str] = {}
    if person.date_of_birth:
        if person.date_of_birth > on:
            errors["date_of_birth"] = _("Ngày sinh không được sau ngày hôm nay.")
        person.birth_year = person.date_of_birth.year
    if person.birth_year and not (on.year - 100 <= person.birth_year <= on.year - 8):
        errors["birth_year"] = _("Năm sinh không hợp lý (người từ 8 đến 100 tuổi).")
    if errors:
        raise ValidationError(errors)


def _validate_case_dates(case: CaseFile, person: Person, *, on: dt.date) -> None:
    errors: dict[str, str] = {}
    if case.detected_on and case.detected_on > on:
        errors["detected_on"] = _("Ngày phát hiện không được sau ngày hôm nay.")
    elif case.detected_on and case.detected_on < EARLIEST_PLAUSIBLE_DATE:
        errors["detected_on"] = _("Ngày phát hiện không hợp lý (trước năm %(y)s).") % {
            "y": EARLIEST_PLAUSIBLE_DATE.year
        }
    elif case.detected_on and person.birth_year and case.detected_on.year < person.birth_year:
        errors["detected_on"] = _("Ngày phát hiện trước năm sinh.")
    if case.first_use_date:
        if case.first_use_date > on:
            errors["first_use_date"] = _("Ngày bắt đầu sử dụng không được sau ngày hôm nay.")
        elif case.detected_on and case.first_use_date > case.detected_on:
            errors["first_use_date"] = _("Ngày bắt đầu sử dụng phải trước ngày phát hiện.")
        elif case.first_use_date < EARLIEST_PLAUSIBLE_DATE or (
            person.birth_year and case.first_use_date.year < person.birth_year
        ):
            errors["first_use_date"] = _("Ngày bắt đầu sử dụng trước năm sinh.")
    if errors:
        raise ValidationError(errors)


class RuleErrors:
    """The errors of every rule on one input, raised together at the end: an officer fixes the
    form (or an import row) in one pass instead of discovering one rule per submission."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    @contextmanager
    def collect(self, field: str = NON_FIELD_ERRORS) -> Iterator[None]:
        try:
            yield
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    self.errors.setdefault(name, []).extend(errors)
            else:
                self.errors.setdefault(field, []).extend(exc.error_list)

    def fields(self) -> list[str]:
        return [name for name in self.errors if name != NON_FIELD_ERRORS]

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_person(person: Person, errors: RuleErrors, *, on: dt.date, exclude: tuple[str, ...] = ()) -> None:
    with errors.collect("citizen_id"):
        person.citizen_id, person.citizen_id_kind = normalize_citizen_id(person.citizen_id)
    with errors.collect():
        validate_person(person, on=on)
    person.fill_search_fields()
    with errors.collect():
        # A field already refused (e.g. a 20-character CCCD) is not reported a second time.
        person.full_clean(exclude=["photo", *exclude, *errors.fields()], validate_unique=False)


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


def _next_file_number(commune: AdministrativeUnit, year: int) -> str:
    # Lock the commune row so two files created at once in one commune cannot take the same number.
    # FOR NO KEY UPDATE, not FOR UPDATE: it still queues two numberers, but does not block the
    # FOR KEY SHARE that the foreign-key check of any row pointing at the commune takes (an audit row
    # of another request, which holds the audit chain's advisory lock while it commits: with FOR
    # UPDATE, the two deadlocked under the load test, scripts/loadtest.sh).
    AdministrativeUnit.objects.select_for_update(no_key=True).filter(pk=commune.pk).exists()
    prefix = f"HS-{commune.code}-{year}-"
    last = CaseFile.objects.filter(file_number__startswith=prefix).aggregate(m=Max("file_number"))["m"]
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _snapshot(case: CaseFile, substances: list[str] | None = None) -> dict[str, Any]:
    data = snapshot(case, fields=CASE_FIELDS + ["status", "version", "closed_on", "close_reason"])
    data["version"] = case.version  # not editable, so model_to_dict leaves it out
    data["status"] = case.status
    if substances is None:
        substances = list(case.substances.values_list("code", flat=True)) if case.pk else []
    data["substances"] = sorted(substances)
    data["person"] = snapshot(case.person, fields=PERSON_FIELDS)
    return data


def refresh_due(case: CaseFile, clock: workflow.Clock | None = None) -> None:
    """Recompute the stored due date fields from the timeline."""
    clock = clock or load_clock()
    # A transferred file continues the legal clocks of the file it came from (same decision).
    chain = [case.pk]
    node_id = case.transferred_from_id
    while node_id:
        chain.append(node_id)
        node_id = CaseFile.objects.filter(pk=node_id).values_list("transferred_from_id", flat=True).first()
    facts = [
        workflow.EventFact(e.kind, e.event_date, e.to_status, e.decision_date, e.end_date)
        for e in CaseEvent.objects.filter(case_file_id__in=chain, voided_at__isnull=True)
        .exclude(kind=EventKind.TRANSFER)
        .order_by("event_date", "pk")
    ]
    due = (
        workflow.compute_due(
            status=case.status, whereabouts=case.whereabouts, events=facts, detected_on=case.detected_on, clock=clock
        )
        if case.is_open
        else workflow.Due(None, "", None, case.closed_on, None)
    )
    case.due_date, case.due_label, case.period_end = due.due_date, due.due_label[:120], due.period_end
    case.status_since = due.status_since
    case.last_visit_on = (
        due.last_visit_on
        if case.is_open
        else max((f.event_date for f in facts if f.kind == EventKind.HOME_VISIT), default=None)
    )


def _ensure_commune(actor, commune: AdministrativeUnit) -> None:
    scoping.ensure_commune_in_scope(
        actor,
        commune,
        not_current=_("Hồ sơ phải thuộc một xã, phường hiện hành."),
        out_of_scope=_("Xã, phường nằm ngoài phạm vi được giao."),
    )


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
    scoping.require(actor, scoping.permission_name(CaseFile, "add"), _("Tài khoản không có quyền lập hồ sơ."))
    on = today()
    if person is None:
        person = Person()
        for name, value in data.person.items():
            setattr(person, name, value)
    else:
        # An existing identity (matched by CCCD) may be managed elsewhere: fill gaps, never overwrite.
        filled = False
        for name, value in data.person.items():
            if value not in (None, "") and getattr(person, name) in (None, ""):
                setattr(person, name, value)
                filled = True
        if filled:
            person.version += 1  # an editor holding the older version must not overwrite the filled gaps
    errors = RuleErrors()
    _check_person(person, errors, on=on)
    case = CaseFile(person=person, created_by=actor, status=Status.SIGNS)
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
        created_by=scoping.user_or_none(actor),
        legal_basis="Chương IV Nghị định 105/2021/NĐ-CP",
    )
    clock = load_clock()  # once for the due date and the stock spans
    refresh_due(case, clock)
    case.save(update_fields=["due_date", "due_label", "period_end", "status_since", "last_visit_on"])
    stocks.rebuild([case.pk], clock=clock)
    audit_record(actor=actor, action="cases.casefile.create", obj=case, area=case.commune, after=_snapshot(case))
    return case


class CaseBatch:
    """Many new case files at once (a spreadsheet import), with the rules of ``case_create``.

    ``add`` validates one row completely and in memory (scope, permission, person and file
    checks, period locks, file number) and raises ``ValidationError`` for that row alone;
    ``commit`` then writes every accepted row in a few INSERTs — people, files, substance links,
    the opening events and one audit entry per file — inside the caller's transaction. Reference
    data (durations, holidays, locks, file-number sequences) is read once per batch, so the cost
    per row is a few milliseconds instead of some twenty queries.
    """

    def __init__(self, *, actor, commune_ids: list[int]):
        scoping.require(actor, scoping.permission_name(CaseFile, "add"), _("Tài khoản không có quyền lập hồ sơ."))
        self.actor = actor
        self.on = today()
        self.clock = load_clock()
        self.locks = LockIndex(commune_ids)
        self.substances = {s.code: s for s in SubstanceType.objects.all()}
        self._sequences: dict[tuple[int, int], int] = {}
        self._rows: list[tuple[CaseFile, list[str]]] = []
        self._changed_people: dict[int, Person] = {}

    def add(self, data: CaseInput, person: Person | None = None) -> CaseFile:
        """Validate one row and keep it for ``commit``. ``person``: an existing identity (or one
        added earlier in this batch) to attach the file to, filling its gaps, never overwriting."""
        if person is None:
            person = Person()
            for name, value in data.person.items():
                setattr(person, name, value)
        else:
            for name, value in data.person.items():
                if value not in (None, "") and getattr(person, name) in (None, ""):
                    setattr(person, name, value)
            if person.pk:
                self._changed_people[person.pk] = person
        errors = RuleErrors()
        # Foreign keys come from the caller's resolved objects; only value checks are needed here.
        resolved = ("ethnicity", "permanent_unit", "current_unit", "merged_into")
        _check_person(person, errors, on=self.on, exclude=resolved)
        case = CaseFile(person=person, created_by=self.actor, status=Status.SIGNS)
        for name, value in data.case.items():
            setattr(case, name, value)
        with errors.collect():
            _ensure_commune(self.actor, case.commune)
        with errors.collect():
            _validate_case_dates(case, person, on=self.on)
        if "detected_on" not in errors.errors:
            # name the column that puts the row inside the locked period
            with errors.collect("detected_on"):
                self.locks.ensure_unlocked(commune=case.commune, day=case.detected_on)
        unknown = set(data.substances) - self.substances.keys()
        if unknown:
            errors.errors.setdefault("substances", []).append(
                ValidationError(_("Không có chất ma túy “%(v)s”.") % {"v": ", ".join(sorted(unknown))})
            )
        errors.raise_if_any()
        case.file_number = self._next_number(case.commune, case.detected_on.year)
        # The file number's uniqueness is guaranteed by the locked sequence (and the database).
        case.full_clean(exclude=["person", "created_by", "commune", "assigned_officer"], validate_unique=False)
        opened = workflow.EventFact(EventKind.OPENED, case.detected_on, Status.SIGNS)
        due = workflow.compute_due(
            status=case.status,
            whereabouts=case.whereabouts,
            events=[opened],
            detected_on=case.detected_on,
            clock=self.clock,
        )
        case.due_date, case.due_label, case.period_end = due.due_date, due.due_label[:120], due.period_end
        case.status_since, case.last_visit_on = due.status_since, due.last_visit_on
        self._rows.append((case, sorted(set(data.substances))))
        return case

    def _next_number(self, commune: AdministrativeUnit, year: int) -> str:
        key = (commune.pk, year)
        if key not in self._sequences:
            last = _next_file_number(commune, year)  # locks the commune row until the commit
            self._sequences[key] = int(last.rsplit("-", 1)[1]) - 1
        self._sequences[key] += 1
        return f"HS-{commune.code}-{year}-{self._sequences[key]:05d}"

    def __len__(self) -> int:
        return len(self._rows)

    def commit(self) -> list[CaseFile]:
        """Write the accepted rows. Must run inside the transaction that ``add`` ran in."""
        if not self._rows:
            return []
        new_people = list({id(c.person): c.person for c, _s in self._rows if c.person.pk is None}.values())
        Person.objects.bulk_create(new_people, batch_size=1000)
        for person in self._changed_people.values():
            person.save()
        cases = [c for c, _s in self._rows]
        for case in cases:
            case.person = case.person  # picks up the primary key given by bulk_create
        CaseFile.objects.bulk_create(cases, batch_size=1000)
        through = CaseFile.substances.through
        CaseFile.substances.through.objects.bulk_create(
            [
                through(casefile_id=case.pk, substancetype_id=self.substances[code].pk)
                for case, codes in self._rows
                for code in codes
            ],
            batch_size=2000,
        )
        user = scoping.user_or_none(self.actor)
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case_file=case,
                    kind=EventKind.OPENED,
                    event_date=case.detected_on,
                    to_status=Status.SIGNS,
                    whereabouts=case.whereabouts,
                    created_by=user,
                    legal_basis="Chương IV Nghị định 105/2021/NĐ-CP",
                )
                for case in cases
            ],
            batch_size=1000,
        )
        stocks.rebuild([case.pk for case in cases], clock=self.clock)
        audit_record_many(
            [
                {
                    "actor": self.actor,
                    "action": "cases.casefile.create",
                    "obj": case,
                    "area": case.commune,
                    "after": _snapshot(case, substances=codes),
                }
                for case, codes in self._rows
            ]
        )
        return cases


def _stale_message(case: CaseFile, expected_version: int) -> str:
    """What changed since the version the editor opened, the person's fields included (the
    file's audit snapshot nests the person's)."""
    changes = [
        f"{c.who} lúc {c.when}: {', '.join(c.fields) or _('tình trạng')}"
        for c in changes_since(case, expected_version, label=_field_label, nested=("person",))
    ]
    detail = "; ".join(changes) or _("không rõ")
    return _(
        "Hồ sơ đã được người khác lưu sau khi bạn mở (%(detail)s). Thay đổi của bạn CHƯA được lưu; "
        "hãy tải lại hồ sơ, xem các thay đổi rồi sửa lại."
    ) % {"detail": detail}


def _field_label(_model: type, name: str) -> str:
    model, field = (Person, name.split(".", 1)[1]) if name.startswith("person.") else (CaseFile, name)
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - a computed key like "substances"
        return str(CaseFile._meta.get_field("substances").verbose_name) if field == "substances" else field


def closed_message(case: CaseFile) -> str:
    if case.close_reason == CloseReason.TRANSFERRED:
        return _(
            "Hồ sơ đã chuyển sang xã, phường khác: hồ sơ này chỉ để xem lại, mọi việc tiếp theo ghi trên hồ sơ ở "
            "nơi nhận."
        )
    return _("Hồ sơ đã kết thúc: chỉ xem được, không sửa hay ghi thêm (muốn ghi tiếp, hãy mở lại hồ sơ).")


def _ensure_open(case: CaseFile) -> None:
    """Closed files are read-only here, not only in the templates: every write path calls this
    (the reopen transition is the one way back, and not for a transferred file)."""
    if not case.is_open:
        raise ValidationError(closed_message(case), code="closed")


def person_snapshot(person: Person) -> dict[str, Any]:
    data = snapshot(person, fields=PERSON_FIELDS)
    data["version"] = person.version  # not editable, so model_to_dict leaves it out
    return data


def _lock(case: CaseFile, expected_version: int | None) -> CaseFile:
    # FOR NO KEY UPDATE (what PostgreSQL's own UPDATE of these rows takes): writers of the file still
    # queue, but the FOR KEY SHARE of foreign-key checks on the joined commune and person rows is not
    # blocked. With FOR UPDATE a visit (commune row locked, then waiting for the audit chain's
    # advisory lock) deadlocked with a case-page view of the same commune (holding that lock, its
    # audit row's FK check on the commune waiting at COMMIT) under scripts/loadtest.sh.
    return lock_for_update(
        case,
        expected_version,
        queryset=CaseFile.objects.select_related("person", "commune"),
        message=_stale_message,
    )


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
    if not changed_fields(before, proposed).keys() - {"version"}:
        # Nothing changed: no new version, so a later stale refusal always has a change to name.
        return case
    if case.detected_on != old_detected:
        # Moving a file out of (or into) an approved period changes that period's figures too.
        ensure_unlocked(commune=case.commune, day=old_detected)
        ensure_unlocked(commune=case.commune, day=case.detected_on)
    person_changed = changed_fields(person_before, person_snapshot(person)).keys() - {"version"}
    if person_changed:
        person.version += 1
    person.save()
    case.substances.set(SubstanceType.objects.filter(code__in=data.substances))
    case.version += 1
    clock = load_clock()  # once for the due date and the stock spans
    refresh_due(case, clock)
    case.save()
    stocks.rebuild([case.pk], clock=clock)
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


@dataclass
class EventInput:
    event_date: dt.date
    decision_number: str = ""
    decision_date: dt.date | None = None
    signer: str = ""
    facility: str = ""
    result: str = ""
    end_date: dt.date | None = None
    notes: str = ""
    close_reason: str = ""
    whereabouts: str = ""


@transaction.atomic
def case_transition(
    *, actor, case: CaseFile, code: str, data: EventInput, expected_version: int | None = None
) -> CaseEvent:
    """Move a file to another status along an allowed transition, recording the dated event with
    its legal basis. Illegal moves raise ``ValidationError`` with a Vietnamese message."""
    scoping.ensure_can(actor, "transition", case)
    case = _lock(case, expected_version)
    transition = workflow.TRANSITIONS_BY_CODE.get(code)
    if transition is None:
        raise ValidationError(_("Thao tác không hợp lệ."))
    if case.close_reason == CloseReason.TRANSFERRED:
        # The person's file lives on in the receiving commune; reopening here would make two open files.
        raise ValidationError(
            _("Hồ sơ đã chuyển sang xã khác: mọi thao tác tiếp theo thực hiện trên hồ sơ ở xã nhận."),
            code="transition",
        )
    clock = load_clock()
    try:
        workflow.check_transition(
            transition,
            status=case.status,
            event_date=data.event_date,
            today=today(),
            status_since=case.status_since,
            period_end=case.period_end,
            closed_on=case.closed_on,
            clock=clock,
            current_close_reason=case.close_reason,
            decision_number=data.decision_number,
            facility=data.facility,
            end_date=data.end_date,
            close_reason=data.close_reason,
            age=workflow.age_range(case.person.date_of_birth, case.person.birth_year, data.event_date),
        )
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc), code="transition") from exc
    ensure_unlocked(commune=case.commune, day=data.event_date)
    before = _snapshot(case)
    event = CaseEvent.objects.create(
        case_file=case,
        kind=transition.event,
        event_date=data.event_date,
        end_date=data.end_date,
        decision_number=data.decision_number,
        decision_date=data.decision_date,
        signer=data.signer,
        facility=data.facility,
        result=data.result or transition.result,
        notes=data.notes,
        from_status=case.status,
        to_status=transition.target,
        whereabouts=transition.whereabouts,
        legal_basis=transition.legal_basis,
        created_by=actor,
    )
    case.status = transition.target
    if transition.case_type:
        case.case_type = transition.case_type
    if transition.whereabouts:
        case.whereabouts = transition.whereabouts
    if transition.target == Status.CLOSED:
        case.closed_on = data.event_date
        case.close_reason = transition.close_reason or data.close_reason or CloseReason.OTHER
        if case.close_reason == CloseReason.DEATH:
            event.kind = EventKind.DEATH
            event.save(update_fields=["kind"])
    elif transition.code == "reopen":
        case.closed_on, case.close_reason = None, ""
    case.version += 1
    refresh_due(case, clock)
    case.save()
    stocks.rebuild([case.pk], clock=clock)
    audit_record(
        actor=actor,
        action="cases.casefile.transition",
        obj=case,
        area=case.commune,
        before=before,
        after=_snapshot(case),
        message=f"{transition.label} ({transition.legal_basis})",
    )
    return event


@transaction.atomic
def case_add_event(*, actor, case: CaseFile, kind: str, data: EventInput) -> CaseEvent:
    """Record a visit, note, violation, relapse or change of whereabouts (no status change)."""
    scoping.ensure_can(actor, "change", case)
    case = _lock(case, None)
    event = _record_free_event(actor=actor, case=case, kind=kind, data=data)
    audit_record(
        actor=actor,
        action=f"cases.casefile.event_{kind}",
        obj=case,
        area=case.commune,
        after={"event": kind, "date": data.event_date, "notes": data.notes, "version": case.version},
    )
    return event


def _record_free_event(
    *, actor, case: CaseFile, kind: str, data: EventInput, replaces: CaseEvent | None = None
) -> CaseEvent:
    """The checks and writes of a free event on a file the caller has locked and may change."""
    if kind not in FREE_EVENTS:
        raise ValidationError(_("Loại sự kiện không hợp lệ."))
    _ensure_open(case)
    if data.event_date > today():
        raise ValidationError({"event_date": _("Ngày sự kiện không được sau ngày hôm nay.")})
    if data.event_date < case.detected_on:
        raise ValidationError({"event_date": _("Ngày sự kiện không được trước ngày lập hồ sơ.")})
    if kind == EventKind.WHEREABOUTS and data.whereabouts not in Whereabouts.values:
        raise ValidationError({"whereabouts": _("Hãy chọn nơi ở hiện nay.")})
    # An approved period is closed for every dated entry, not only those the indicators count today:
    # the signed report rests on the visits and notes recorded for it as much as on its figures.
    ensure_unlocked(commune=case.commune, day=data.event_date)
    event = CaseEvent.objects.create(
        case_file=case,
        kind=kind,
        event_date=data.event_date,
        result=data.result,
        notes=data.notes,
        facility=data.facility,
        whereabouts=data.whereabouts if kind == EventKind.WHEREABOUTS else "",
        created_by=actor,
        replaces=replaces,
    )
    if kind == EventKind.WHEREABOUTS:
        case.whereabouts = data.whereabouts
    case.version += 1
    clock = load_clock()  # once for the due date and the stock spans
    refresh_due(case, clock)
    case.save()
    stocks.rebuild([case.pk], clock=clock)
    return event


# --- voiding and correcting a timeline entry (issue 12 §1) ----------------------------------------

#: The entries that may be voided: those an officer records freely, which change no legal state.
#: A legal step (test result, decision, rehab, closure…) moved the file's status and started its
#: legal clocks; striking it would leave a status without the act that caused it. Such a step is
#: corrected by its own reverse procedure (reopening, the next decision), which the law records.
VOIDABLE_EVENTS = FREE_EVENTS
VOID_REASON_MIN_LENGTH = 10


def _event_snapshot(event: CaseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "event_date": event.event_date.isoformat(),
        "result": event.result,
        "notes": event.notes,
        "whereabouts": event.whereabouts,
        "created_by": event.created_by_id,
    }


def may_void(user, event: CaseEvent, case: CaseFile) -> bool:
    """Whether to offer "Hủy / sửa" on this entry of a file the user already sees (no query: the
    service checks again against the database through ``scoping``)."""
    if event.voided_at or event.case_file_id != case.pk or event.kind not in VOIDABLE_EVENTS or not case.is_open:
        return False
    if scoping.has_action(user, CaseEvent, "void"):
        return True
    return event.created_by_id == user.pk and scoping.has_action(user, CaseFile, "change")


def _void(*, actor, case: CaseFile, event: CaseEvent, reason: str, expected_version: int | None) -> tuple:
    """Lock the file, check everything and mark the entry void; the caller finishes and audits."""
    if not scoping.can(actor, "view", case):
        raise Http404
    if event.case_file_id != case.pk:
        raise Http404  # an entry of another file (even one the user sees) is not this file's
    # Province staff (the role holds cases.void_caseevent, scoped to their area) or the author,
    # who still holds the right to change this file.
    if not (
        scoping.can(actor, "void", event) or (event.created_by_id == actor.pk and scoping.can(actor, "change", case))
    ):
        raise PermissionDenied
    case = _lock(case, expected_version)
    event = CaseEvent.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.voided_at:
        raise ValidationError(_("Mục này đã được hủy trước đó."), code="voided")
    if event.kind not in VOIDABLE_EVENTS:
        raise ValidationError(
            _(
                "“%(k)s” là một bước pháp lý đã làm thay đổi tình trạng hồ sơ, không hủy được tại đây. Hãy thực "
                "hiện thủ tục ngược lại theo quy định (ví dụ quyết định tiếp theo, mở lại hồ sơ), hoặc báo Công an "
                "tỉnh nếu ghi nhầm."
            )
            % {"k": event.get_kind_display()},
            code="legal_step",
        )
    _ensure_open(case)
    reason = " ".join((reason or "").split())
    if len(reason) < VOID_REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": _("Hãy ghi lý do hủy (ít nhất %(n)s ký tự).") % {"n": VOID_REASON_MIN_LENGTH}},
            code="reason",
        )
    # The figures of an approved period rest on the entries recorded for it, voided or not.
    ensure_unlocked(commune=case.commune, day=event.event_date)
    event.voided_at, event.voided_by, event.void_reason = timezone.now(), actor, reason
    event.save(update_fields=["voided_at", "voided_by", "void_reason"])
    if event.kind == EventKind.WHEREABOUTS:
        _restore_whereabouts(case, event)
    return case, event, reason


def _restore_whereabouts(case: CaseFile, voided: CaseEvent) -> None:
    """A voided change of whereabouts that set the file's current value gives it back the value
    of the latest entry still standing (the figures' spans follow from the events and this)."""
    standing = (
        CaseEvent.objects.filter(case_file=case, voided_at__isnull=True)
        .exclude(whereabouts="")
        .order_by("event_date", "pk")
        .last()
    )
    if case.whereabouts != voided.whereabouts:
        return  # the current value came from a later edit, not from this entry
    if standing is None or (standing.event_date, standing.pk) < (voided.event_date, voided.pk):
        case.whereabouts = standing.whereabouts if standing else case.whereabouts


@transaction.atomic
def case_void_event(
    *, actor, case: CaseFile, event: CaseEvent, reason: str, expected_version: int | None = None
) -> CaseEvent:
    """Void an entry recorded by mistake, with a reason: it stays in the timeline marked void,
    counts, deadlines and figures ignore it, and the audit log keeps it and its voiding."""
    case, event, reason = _void(actor=actor, case=case, event=event, reason=reason, expected_version=expected_version)
    case.version += 1
    refresh_due(case)
    case.save()
    stocks.rebuild([case.pk])
    audit_record(
        actor=actor,
        action="cases.casefile.event_void",
        obj=case,
        area=case.commune,
        before={"event": _event_snapshot(event)},
        after={"event_id": event.pk, "void_reason": reason, "version": case.version},
        message=_("Hủy “%(k)s” ngày %(d)s: %(r)s")
        % {"k": event.get_kind_display(), "d": f"{event.event_date:%d/%m/%Y}", "r": reason},
    )
    return event


@transaction.atomic
def case_correct_event(
    *,
    actor,
    case: CaseFile,
    event: CaseEvent,
    reason: str,
    data: EventInput,
    expected_version: int | None = None,
) -> CaseEvent:
    """Correct an entry: void it (with the reason) and record the corrected one in its place,
    linked to it (``replaces``), both in one transaction and one audit entry (before → after)."""
    case, event, reason = _void(actor=actor, case=case, event=event, reason=reason, expected_version=expected_version)
    new = _record_free_event(actor=actor, case=case, kind=event.kind, data=data, replaces=event)
    audit_record(
        actor=actor,
        action="cases.casefile.event_correct",
        obj=case,
        area=case.commune,
        before={"event": _event_snapshot(event)},
        after={"event": _event_snapshot(new), "void_reason": reason, "version": case.version},
        message=_("Sửa “%(k)s” ngày %(d)s: %(r)s")
        % {"k": event.get_kind_display(), "d": f"{event.event_date:%d/%m/%Y}", "r": reason},
    )
    return new


@transaction.atomic
def case_transfer(*, actor, case: CaseFile, to_commune: AdministrativeUnit, data: EventInput) -> CaseFile:
    """Transfer of residence: this commune's file is closed and a new one opens in the receiving
    commune, linked to it, carrying the status. Both files keep their own history."""
    scoping.ensure_can(actor, "change", case)
    case = _lock(case, None)
    _ensure_open(case)
    if not scoping.is_current_commune(to_commune) or to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": _("Hãy chọn một xã, phường hiện hành khác.")})
    if data.event_date > today() or data.event_date < (case.status_since or case.detected_on):
        raise ValidationError({"event_date": _("Ngày chuyển không hợp lệ.")})
    ensure_unlocked(commune=[case.commune, to_commune], day=data.event_date)
    before = _snapshot(case)
    status, whereabouts = case.status, case.whereabouts
    CaseEvent.objects.create(
        case_file=case,
        kind=EventKind.TRANSFER,
        event_date=data.event_date,
        notes=data.notes,
        other_unit=to_commune,
        from_status=status,
        to_status=Status.CLOSED,
        created_by=actor,
        legal_basis="Luật PCMT 2025 (thông báo 24 giờ)",
    )
    case.status, case.closed_on, case.close_reason = Status.CLOSED, data.event_date, CloseReason.TRANSFERRED
    case.version += 1
    refresh_due(case)
    case.save()
    new_case = CaseFile.objects.create(
        person=case.person,
        commune=to_commune,
        file_number=_next_file_number(to_commune, data.event_date.year),
        case_type=case.case_type,
        status=status,
        whereabouts=whereabouts,
        use_method=case.use_method,
        first_use_date=case.first_use_date,
        detected_on=case.detected_on,
        helper_name="",
        criminal_record=case.criminal_record,
        administrative_sanctions=case.administrative_sanctions,
        transferred_from=case,
        created_by=actor,
    )
    new_case.substances.set(case.substances.all())
    CaseEvent.objects.create(
        case_file=new_case,
        kind=EventKind.TRANSFER,
        event_date=data.event_date,
        notes=data.notes,
        other_unit=case.commune,
        to_status=status,
        whereabouts=whereabouts,
        created_by=actor,
        legal_basis="Luật PCMT 2025 (thông báo 24 giờ)",
    )
    refresh_due(new_case)
    new_case.save()
    stocks.rebuild([case.pk, new_case.pk])
    audit_record(
        actor=actor,
        action="cases.casefile.transfer",
        obj=case,
        area=case.commune,
        before=before,
        after=_snapshot(case),
        message=f"→ {to_commune}",
    )
    audit_record(
        actor=actor,
        action="cases.casefile.transfer_in",
        obj=new_case,
        area=to_commune,
        after=_snapshot(new_case),
        message=f"← {case.commune}",
    )
    return new_case


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


# --- duplicates ---------------------------------------------------------------------------------


class LookupLimitError(ValidationError):
    """The user made more duplicate checks today than ``PCMT_LOOKUP_DAILY_LIMIT`` allows."""


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today(), dt.time.min))


def lookups_today(actor) -> int:
    """Identifiers this user checked today (an import preview counts each cross-commune match)."""
    from apps.audit.actions import PERSON_LOOKUP
    from apps.audit.models import AuditLogEntry

    afters = AuditLogEntry.objects.filter(actor=actor, action=PERSON_LOOKUP, time__gte=_start_of_today()).values_list(
        "after", flat=True
    )
    return sum(int((after or {}).get("count", 1)) for after in afters)


def ensure_lookup_allowed(actor, count: int = 1) -> None:
    """Refuse a check that would take the user past today's limit (probing who has a file)."""
    from django.conf import settings

    limit = settings.PCMT_LOOKUP_DAILY_LIMIT
    done = lookups_today(actor)
    if done + count > limit:
        raise LookupLimitError(
            _(
                "Bạn đã tra cứu trùng người %(done)s lần hôm nay; giới hạn là %(limit)s lần mỗi ngày. Việc kiểm tra "
                "trùng người tạm dừng đến ngày mai; nếu cần gấp, hãy liên hệ Công an tỉnh."
            )
            % {"done": done, "limit": limit},
            code="lookup_limit",
        )


def record_lookup(*, actor, source: str, identifiers: list[dict[str, Any]], answered: list[dict[str, Any]]) -> None:
    """Audit a duplicate check: who asked, for which identifiers, what was answered. Filed under
    the asker's unit, so the province reads it in the log and in the monthly access digest."""
    from apps.audit.actions import PERSON_LOOKUP
    from apps.audit.services import audit_read

    audit_read(
        actor=actor,
        action=PERSON_LOOKUP,
        after={
            "source": source,
            "count": max(len(identifiers), 1) if source == "entry" else len(answered),
            "identifiers": identifiers,
            "answered": answered,
            "cross_commune": sum(1 for a in answered if a.get("elsewhere")),
        },
    )


def person_lookup(
    *, actor, full_name: str, birth_year: int | None, sex: str, citizen_id: str = ""
) -> list[selectors_module.DuplicateMatch]:
    """The duplicate check at entry: may this person already have a file, here or in another
    commune? Rate-limited per user and day, and audited with what it answered."""
    ensure_lookup_allowed(actor)
    matches = selectors_module.duplicates_find(
        user=actor, full_name=full_name, birth_year=birth_year, sex=sex, citizen_id=citizen_id
    )
    own = set(scoping.visible_unit_ids(actor))
    record_lookup(
        actor=actor,
        source="entry",
        identifiers=[{"citizen_id": citizen_id, "full_name": full_name, "birth_year": birth_year, "sex": sex}],
        answered=[
            {
                "person": m.person.pk,
                "communes": [u.code for u in m.communes],
                "elsewhere": any(u.pk not in own for u in m.communes),
                "reason": m.reason,
            }
            for m in matches
        ],
    )
    return matches


@transaction.atomic
def person_merge(*, actor, keep: Person, merge: Person, reason: str) -> PersonMerge:
    """Move ``merge``'s files to ``keep`` and mark ``merge`` as merged. Reversible."""
    if not actor.has_perm("cases.merge_person"):
        raise ValidationError(_("Bạn không có quyền gộp hồ sơ."))
    if keep.pk == merge.pk or merge.merged_into_id or keep.merged_into_id:
        raise ValidationError(_("Không thể gộp hai bản ghi này."))
    if not reason.strip():
        raise ValidationError(_("Cần ghi lý do gộp."))
    moved = list(merge.case_files.values_list("pk", flat=True))
    merge.case_files.update(person=keep)
    merge.merged_into = keep
    merge.save(update_fields=["merged_into"])
    record = PersonMerge.objects.create(kept=keep, merged=merge, moved_case_ids=moved, reason=reason, merged_by=actor)
    for case in CaseFile.objects.filter(pk__in=moved).select_related("commune"):
        audit_record(
            actor=actor,
            action="cases.person.merge",
            obj=case,
            area=case.commune,
            before={"person": merge.pk},
            after={"person": keep.pk},
            message=reason,
        )
    return record


@transaction.atomic
def person_unmerge(*, actor, record: PersonMerge) -> None:
    """Undo a merge: the moved files go back to the merged person."""
    if not actor.has_perm("cases.merge_person"):
        raise ValidationError(_("Bạn không có quyền tách hồ sơ."))
    if record.undone_at:
        raise ValidationError(_("Lần gộp này đã được hoàn tác."))
    CaseFile.objects.filter(pk__in=record.moved_case_ids).update(person=record.merged)
    Person.objects.filter(pk=record.merged_id).update(merged_into=None)
    record.undone_by, record.undone_at = actor, timezone.now()
    record.save(update_fields=["undone_by", "undone_at"])
    for case in CaseFile.objects.filter(pk__in=record.moved_case_ids).select_related("commune"):
        audit_record(
            actor=actor,
            action="cases.person.unmerge",
            obj=case,
            area=case.commune,
            before={"person": record.kept_id},
            after={"person": record.merged_id},
        )


@transaction.atomic
def person_mark_distinct(*, actor, first: Person, second: Person) -> DistinctPair:
    if not actor.has_perm("cases.merge_person"):
        raise ValidationError(_("Bạn không có quyền thực hiện thao tác này."))
    a, b = sorted([first, second], key=lambda p: p.pk)
    pair, _created = DistinctPair.objects.get_or_create(first=a, second=b, defaults={"decided_by": actor})
    audit_record(actor=actor, action="cases.person.distinct", obj=a, message=f"≠ {b} (#{b.pk})")
    return pair
