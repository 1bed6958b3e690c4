"""What every write on a case file shares: the editable fields, the person and date rules, the
file number, the audit snapshot, the due-date refresh and the locking of a file for an edit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.audit.services import snapshot
from apps.core import scoping
from apps.core.locking import changes_since, lock_for_update, versioned_snapshot
from apps.core.text import clean_name

from .. import stocks, workflow
from ..choices import CloseReason, EventKind, IdKind
from ..models import CaseEvent, CaseFile, Holiday, LegalDuration, Person

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
    data = versioned_snapshot(case, CASE_FIELDS + ["status", "version", "closed_on", "close_reason"])
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


def _person_of_new_file(values: dict[str, Any], person: Person | None) -> tuple[Person, bool]:
    """The person a new file is opened for, and whether an existing one gained a value: a new
    person from ``values``, or ``person`` (an existing identity, matched by CCCD, perhaps managed
    in another commune) with its gaps filled from ``values``, never overwritten."""
    if person is None:
        person = Person()
        for name, value in values.items():
            setattr(person, name, value)
        return person, False
    filled = False
    for name, value in values.items():
        if value not in (None, "") and getattr(person, name) in (None, ""):
            setattr(person, name, value)
            filled = True
    return person, filled


def _save_and_derive(case: CaseFile, clock: workflow.Clock | None = None) -> None:
    """Save a file whose timeline or fields changed, with what is derived from them: its due dates
    (on the row) and its stock spans (``cases.stocks``, which the figures count)."""
    refresh_due(case, clock)
    case.save()
    stocks.rebuild([case.pk], clock=clock)


def _ensure_commune(actor, commune: AdministrativeUnit) -> None:
    scoping.ensure_commune_in_scope(
        actor,
        commune,
        not_current=_("Hồ sơ phải thuộc một xã, phường hiện hành."),
        out_of_scope=_("Xã, phường nằm ngoài phạm vi được giao."),
    )


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
    return versioned_snapshot(person, PERSON_FIELDS)


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
