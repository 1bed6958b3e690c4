"""Spreadsheet import of case files: one row = one person and their file in a commune.

Re-importing the same file updates instead of duplicating: a row is matched to an existing open
file of the same commune by CCCD, or else by normalised name + birth year + sex. Rows go through
``services.case_create`` / ``case_update`` so validation and audit are the same as on screen.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import UnitResolutionError, resolve_current_unit, resolve_unit, unit_current_successors
from apps.core import scoping
from apps.core.imports import FieldChange, RowChange, RowError, clip
from apps.core.resources import CodedColumn, ScopedResource, choice_column, communes_column
from apps.core.text import normalize

from . import services
from .choices import CaseType, Sex, Status
from .models import CaseFile, Ethnicity, Person, SubstanceType
from .selectors import ethnicity_index, ethnicity_key

COL_NAME, COL_ALIAS, COL_SEX, COL_DOB = "Họ và tên", "Tên gọi khác", "Giới tính", "Ngày sinh hoặc năm sinh"
COL_ETHNIC, COL_ID, COL_COMMUNE, COL_VILLAGE = "Dân tộc", "Số CCCD/CMND", "Xã/phường", "Thôn/tổ dân phố"
#: today's commune, needed only when the commune cell names a former one split between several
COL_CURRENT = "Xã/phường hiện nay"
COL_ADDRESS, COL_TYPE, COL_SUBST, COL_DETECTED, COL_NOTES = (
    "Địa chỉ",
    "Loại hồ sơ",
    "Chất ma túy",
    "Ngày phát hiện",
    "Ghi chú",
)

# service/model field → column, so errors raised by services name the spreadsheet column
FIELD_COLUMNS = {
    "full_name": COL_NAME,
    "aliases": COL_ALIAS,
    "sex": COL_SEX,
    "date_of_birth": COL_DOB,
    "birth_year": COL_DOB,
    "ethnicity": COL_ETHNIC,
    "citizen_id": COL_ID,
    "commune": COL_COMMUNE,
    "recorded_unit": COL_COMMUNE,
    "current_commune": COL_CURRENT,
    "current_village": COL_VILLAGE,
    "current_address": COL_ADDRESS,
    "case_type": COL_TYPE,
    "substances": COL_SUBST,
    "detected_on": COL_DETECTED,
    "notes": COL_NOTES,
}


def parse_date(value, *, allow_year: bool = False) -> tuple[dt.date | None, int | None]:
    """(date, year) from an Excel date cell, "dd/mm/yyyy", ISO text, or (if allowed) a bare year."""
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.year
    if isinstance(value, dt.date):
        return value, value.year
    if isinstance(value, int | float) and allow_year and 1900 <= int(value) <= 2100 and float(value).is_integer():
        return None, int(value)
    text = str(value).strip()
    if allow_year and text.isdigit() and len(text) == 4:
        return None, int(text)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            day = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
            return day, day.year
        except ValueError:
            continue
    raise ValueError(_("“%(v)s” không phải ngày hợp lệ (dd/mm/yyyy).") % {"v": clip(text)})


SEX_WORDS = {"nam": Sex.MALE, "nu": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}


class _FileRef(NamedTuple):
    pk: int
    person_id: int
    commune_id: int
    commune_name: str
    status: str


def _commune_text(value) -> str:
    """The commune cell as text: a code typed as a number (2458.0) back to "2458"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _name_key(normalized_name: str) -> str:
    """Word-order-free key of a normalised name, as ``Person.name_key``."""
    return " ".join(sorted(normalized_name.split()))


def _chunks(values: list, size: int = 2000):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _fk_value(value):
    return value.pk if hasattr(value, "pk") else value


def _shown(value) -> str:
    """A stored or imported value as the preview shows it."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, AdministrativeUnit):
        return value.full_name
    if isinstance(value, Ethnicity):
        return value.name
    return str(value)


def _differences(case: CaseFile, data: services.CaseInput, substance_names: dict[str, str]) -> list[FieldChange]:
    """What applying ``data`` to ``case`` (loaded with its person and substances) would change,
    field by field in the template's column order; empty when the row changes nothing."""
    changes: list[tuple[int, FieldChange]] = []
    order = list(FIELD_COLUMNS)
    for target, values in ((case.person, data.person), (case, data.case)):
        for name, value in values.items():
            field = target._meta.get_field(name)
            if getattr(target, field.attname) == _fk_value(value):
                continue
            old = getattr(target, name)
            column = FIELD_COLUMNS.get(name) or str(field.verbose_name)
            rank = order.index(name) if name in order else len(order)
            changes.append((rank, FieldChange(column, _shown(old), _shown(value))))
    current = sorted(s.code for s in case.substances.all())
    proposed = sorted(set(data.substances))
    if current != proposed:

        def names(codes):
            return ", ".join(substance_names.get(c, c) for c in codes)

        changes.append((order.index("substances"), FieldChange(COL_SUBST, names(current), names(proposed))))
    return [c for _r, c in sorted(changes, key=lambda item: item[0])]


# What a row can change on a matched file, by column: the preview's baseline digests these (the
# person's fields, then the file's), so a colleague's edit of any of them refuses the confirmation.
_PERSON_BASELINE = {
    "full_name": COL_NAME,
    "aliases": COL_ALIAS,
    "sex": COL_SEX,
    "date_of_birth": COL_DOB,
    "birth_year": COL_DOB,
    "ethnicity": COL_ETHNIC,
    "citizen_id": COL_ID,
    "current_unit": COL_COMMUNE,
    "current_village": COL_VILLAGE,
    "current_address": COL_ADDRESS,
}
_CASE_BASELINE = {
    "commune": COL_COMMUNE,
    "recorded_unit": COL_COMMUNE,
    "case_type": COL_TYPE,
    "detected_on": COL_DETECTED,
    "notes": COL_NOTES,
}

#: optional cells that, left blank on a row matching an existing file, keep the stored value
_KEPT_WHEN_BLANK = ("aliases", "ethnicity", "citizen_id", "current_village", "current_address", "notes")


class CaseResource(ScopedResource):
    columns = {
        COL_NAME: True,
        COL_ALIAS: False,
        COL_SEX: True,
        COL_DOB: True,
        COL_ETHNIC: False,
        COL_ID: False,
        COL_COMMUNE: True,
        COL_CURRENT: False,
        COL_VILLAGE: False,
        COL_ADDRESS: False,
        COL_TYPE: False,
        COL_SUBST: False,
        COL_DETECTED: True,
        COL_NOTES: False,
    }
    # On the template's "Ví dụ" sheet, never read by the import; no real-looking person or CCCD.
    example_row = [
        "Nguyễn Văn A",
        "Tên gọi khác (nếu có)",
        "Nam",
        "05/03/1990",
        "Kinh",
        "",
        "Xã Trung Sơn",
        "",
        "Thôn Đồng Cầu",
        "",
        "Người sử dụng trái phép chất ma túy",
        "Methamphetamine, Heroin",
        "12/01/2026",
        "Dòng ví dụ, không phải người thật",
    ]

    blank_keeps_stored = True

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            COL_SEX: choice_column(Sex),
            COL_ETHNIC: CodedColumn(
                list(Ethnicity.objects.values_list("name", flat=True)),
                strict=False,
                hint=_("Tên dân tộc trong danh mục; tên gọi khác (như “Mông”, “H'Mông”) cũng được nhận."),
            ),
            COL_COMMUNE: communes_column(),
            COL_CURRENT: CodedColumn(
                communes_column().values,
                hint=_("Chỉ cần khi cột “Xã/phường” ghi xã cũ bị chia cho nhiều xã mới: xã, phường hiện nay."),
            ),
            COL_TYPE: choice_column(CaseType),
            COL_SUBST: CodedColumn(
                list(SubstanceType.objects.values_list("name", flat=True)),
                strict=False,
                hint=_("Một hoặc nhiều chất, cách nhau bằng dấu phẩy."),
            ),
        }

    file_number = fields.Field(attribute="file_number", column_name="Số hồ sơ", readonly=True)

    class Meta:
        model = CaseFile
        fields = ("file_number",)
        import_id_fields = ()
        skip_unchanged = False
        use_transactions = True
        skip_diff = True

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        self.warnings: list[RowError] = []
        self.changes: list[RowChange] = []
        self._substance_names = {s.code: s.name for s in SubstanceType.objects.all()}
        self._ethnicities = ethnicity_index()  # names and aliases ("Mông", "H'Mông", "Hmông"…)
        self._substances = {normalize(s.name): s.code for s in SubstanceType.objects.all()}
        self._substances.update({s.code: s.code for s in SubstanceType.objects.all()})
        # Names officers write that are not the catalogue's wording ("ATS, thuốc lắc" has a comma).
        self._substances.update(
            {
                "thuoc lac": "ats",
                "mdma": "ats",
                "ma tuy da": "meth",
                "can sa": "cannabis",
                "ke": "ketamine",
            }
        )
        self._scope = scoping.visible_to(AdministrativeUnit.objects.all(), user)
        self._seen: dict[tuple, int] = {}
        # Rows whose person has a file in a commune outside the user's scope (issue 11 §4).
        self._own_units = set(scoping.visible_unit_ids(user))
        self.cross_commune: list[dict] = []

    # --- parsing -------------------------------------------------------------------------------

    def _parse(self, row, number: int) -> tuple[services.CaseInput, AdministrativeUnit, set[str]]:
        """The row as service input, its commune, and the optional fields whose cells are blank."""
        errors: dict[str, str] = {}

        def get(col):
            value = row.get(col)
            return value.strip() if isinstance(value, str) else value

        name = " ".join(str(get(COL_NAME) or "").split())
        if not name:
            errors["full_name"] = _("Thiếu họ và tên.")
        sex = SEX_WORDS.get(normalize(str(get(COL_SEX) or "")))
        if sex is None:
            errors["sex"] = _("Giới tính phải là “Nam” hoặc “Nữ”.")
        dob = year = None
        try:
            dob, year = parse_date(get(COL_DOB), allow_year=True)
            if year is None:
                errors["birth_year"] = _("Thiếu ngày sinh hoặc năm sinh.")
        except ValueError as exc:
            errors["birth_year"] = str(exc)
        ethnicity = None
        if get(COL_ETHNIC):
            ethnicity = self._ethnicities.get(ethnicity_key(str(get(COL_ETHNIC))))
            if ethnicity is None:
                errors["ethnicity"] = _("Không có dân tộc “%(v)s” trong danh mục 54 dân tộc.") % {
                    "v": clip(get(COL_ETHNIC))
                }
        citizen_id = ""
        try:
            citizen_id, _kind = services.normalize_citizen_id(get(COL_ID))
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages[0]
        commune = recorded = None
        commune_text = _commune_text(get(COL_COMMUNE))
        current_text = _commune_text(get(COL_CURRENT))
        if not commune_text:
            errors["commune"] = _("Thiếu xã/phường.")
        else:
            try:
                commune, recorded = self._communes_of(commune_text, current_text)
                if not scoping.unit_in_scope(self.user, commune):
                    errors["commune"] = _("%(u)s nằm ngoài phạm vi được giao.") % {"u": commune.full_name}
            except ValidationError as exc:
                errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        type_text = normalize(str(get(COL_TYPE) or ""))
        case_type = CaseType.ADDICT if "nghien" in type_text else CaseType.USER
        substances = []
        for part in str(get(COL_SUBST) or "").replace(";", ",").split(","):
            key = normalize(part)
            if not key:
                continue
            code = self._substances.get(key) or next(
                (c for n, c in self._substances.items() if n.startswith(key)), None
            )
            if code is None:
                errors["substances"] = _("Không nhận ra chất ma túy “%(v)s”.") % {"v": clip(part.strip())}
            else:
                substances.append(code)
        detected = None
        try:
            detected, _y = parse_date(get(COL_DETECTED))
            if detected is None:
                errors["detected_on"] = _("Thiếu ngày phát hiện.")
        except ValueError as exc:
            errors["detected_on"] = str(exc)
        # The rules of case_create (plausible birth year, dates not in the future nor before the
        # birth) and the identity behind the CCCD are checked on what could be read, together
        # with the cell errors: the preview lists every error of the row at once.
        readable_person = {"full_name": name, "sex": sex, "date_of_birth": dob, "birth_year": year}
        if "citizen_id" not in errors:
            readable_person["citizen_id"] = citizen_id
        for field, messages in services.case_input_errors(readable_person, {"detected_on": detected}).items():
            column = "birth_year" if field == "date_of_birth" else field
            if column not in errors:
                errors[column] = " ".join(messages)
        if citizen_id and name and sex and year and "citizen_id" not in errors:
            owner = self._by_id.get(citizen_id) or self._pending_by_id.get(citizen_id)
            if owner is not None:
                problem = self._identity_error(owner, readable_person, commune)
                if problem:
                    errors["citizen_id"] = problem
        if errors:
            raise ValidationError(errors)
        key = (citizen_id or (_name_key(normalize(name)), year, sex), commune.pk)
        if key in self._seen:
            raise ValidationError({"full_name": _("Trùng với dòng %(n)s của tệp.") % {"n": self._seen[key]}})
        self._seen[key] = number
        blank = {
            name
            for name, column in (
                ("aliases", COL_ALIAS),
                ("ethnicity", COL_ETHNIC),
                ("current_village", COL_VILLAGE),
                ("current_address", COL_ADDRESS),
                ("notes", COL_NOTES),
                ("substances", COL_SUBST),
            )
            if get(column) in (None, "")
        }
        if not citizen_id:
            blank.add("citizen_id")
        if dob is None:
            blank.add("date_of_birth")
        data = services.CaseInput(
            person={
                "full_name": name,
                "aliases": str(get(COL_ALIAS) or ""),
                "sex": sex,
                "date_of_birth": dob,
                "birth_year": year,
                "ethnicity": ethnicity,
                "citizen_id": citizen_id,
                "current_unit": commune,
                "current_village": str(get(COL_VILLAGE) or ""),
                "current_address": str(get(COL_ADDRESS) or ""),
            },
            case={
                "commune": commune,
                "case_type": case_type,
                "detected_on": detected,
                "notes": str(get(COL_NOTES) or ""),
            },
            substances=substances,
        )
        if recorded is not None:
            # The file is counted in the old unit on the map of its time; a row naming today's
            # commune says nothing about it, so a recorded unit stays (no key, as a blank cell).
            data.case["recorded_unit"] = recorded
            self.note_conversion(row=number, old=recorded, new=commune)
        return data, commune, blank

    # --- import-export hooks -----------------------------------------------------------------------
    #
    # The file is read in three passes, so the cost per row is a few in-memory checks instead of
    # some twenty queries: ``before_import`` loads every person and file the rows can match (by
    # CCCD and by name key) in a handful of queries; each row is then parsed and validated in
    # memory (new rows through ``services.CaseBatch.add``, which applies every rule of
    # ``case_create``); ``after_import`` writes the new rows in bulk. Rows matching an open file go
    # through ``services.case_update`` one by one, unless nothing in them changed.

    def before_import_row(self, row, **kwargs):
        pass

    def before_import(self, dataset, **kwargs):
        self._index = 0
        self._batch: services.CaseBatch | None = None  # made at the first new row (it checks the permission)
        self._communes: dict[str | tuple, AdministrativeUnit | UnitResolutionError] = {}
        self._former: dict[str, tuple[AdministrativeUnit | None, set[int]]] = {}
        self._pending_by_id: dict[str, Person] = {}
        self._pending_communes: dict[tuple, set[str]] = {}
        # What the rows can match: CCCDs, and (name key, birth year, sex) for rows without one.
        citizen_ids, name_keys, communes = set(), set(), set()
        for raw in dataset.dict:
            try:
                citizen_id, _kind = services.normalize_citizen_id(raw.get(COL_ID))
            except ValidationError:
                citizen_id = ""
            if citizen_id:
                citizen_ids.add(citizen_id)
            name = normalize(str(raw.get(COL_NAME) or ""))
            try:
                _day, year = parse_date(raw.get(COL_DOB), allow_year=True)
            except ValueError:
                year = None
            if name and year:
                name_keys.add((_name_key(name), year, SEX_WORDS.get(normalize(str(raw.get(COL_SEX) or "")))))
            commune_text = _commune_text(raw.get(COL_COMMUNE))
            try:
                communes.add(self._resolve_commune(commune_text).pk if commune_text else None)
            except UnitResolutionError:
                pass
            current_text = _commune_text(raw.get(COL_CURRENT))
            try:  # a split former commune: today's commune is in this column
                communes.add(self._resolve_today(current_text).pk if current_text else None)
            except UnitResolutionError:
                pass
        people: dict[int, Person] = {}
        for chunk in _chunks(sorted(citizen_ids)):
            people.update({p.pk: p for p in Person.objects.filter(citizen_id__in=chunk)})
        for chunk in _chunks(sorted({key for key, _y, _s in name_keys})):
            people.update(
                {
                    p.pk: p
                    for p in Person.objects.filter(name_key__in=chunk)
                    if (p.name_key, p.birth_year, p.sex) in name_keys
                }
            )
        self._by_id: dict[str, Person] = {}
        self._by_key: dict[tuple, list[Person]] = {}
        for person in sorted(people.values(), key=lambda p: p.pk):
            if person.citizen_id and person.merged_into_id is None:
                self._by_id.setdefault(person.citizen_id, person)
            self._by_key.setdefault((person.name_key, person.birth_year, person.sex), []).append(person)
        # Every file of those people, for the warnings (commune names only) ...
        self._files: dict[int, list[_FileRef]] = {}
        open_ids: list[int] = []
        for chunk in _chunks(sorted(people)):
            rows = CaseFile.objects.filter(person_id__in=chunk).order_by("pk")
            for ref in rows.values_list("pk", "person_id", "commune_id", "commune__full_name", "status"):
                ref = _FileRef(*ref)
                self._files.setdefault(ref.person_id, []).append(ref)
                if ref.status != Status.CLOSED and ref.commune_id in communes:
                    open_ids.append(ref.pk)
        # ... and the open ones in the communes of the file, whole: rows matching them update them.
        self._open: dict[tuple[int, int], CaseFile] = {}
        for chunk in _chunks(open_ids):
            found = CaseFile.objects.filter(pk__in=chunk).order_by("pk")
            for case in found.select_related("commune", "recorded_unit").prefetch_related("substances"):
                case.person = people[case.person_id]  # one object per person across its files
                self._open.setdefault((case.person_id, case.commune_id), case)

    def get_or_init_instance(self, instance_loader, row):
        # Parsed here (not in import_instance) so the row is counted as new or update correctly.
        rows = getattr(self, "sheet_rows", None) or []
        self._row_number = rows[self._index] if self._index < len(rows) else self._index + 2
        self._index += 1
        data, commune, blank = self._parse(row, self._row_number)
        existing = self._find_existing(data, commune)
        if existing is not None:
            values = self.stored_values(existing.person, _PERSON_BASELINE)
            for column, value in self.stored_values(existing, _CASE_BASELINE).items():
                values[column] = values.get(column, "") + value
            values[COL_SUBST] = ",".join(sorted(s.code for s in existing.substances.all()))
            self.note_target(
                row=self._row_number,
                label=f"{existing.file_number} — {existing.person.full_name}",
                objects=[existing, existing.person],
                values=values,
            )
            # A blank cell is "not given", never "erase": the stored value stays.
            for name in blank:
                if name == "substances":
                    data.substances = [s.code for s in existing.substances.all()]
                else:
                    data.person.pop(name, None)
                    data.case.pop(name, None)
        instance = existing or CaseFile()
        instance._pcmt_input, instance._pcmt_existing, instance._pcmt_row = data, existing, self._row_number
        return instance, existing is None

    def import_instance(self, instance, row, **kwargs):
        pass

    def _resolve_commune(self, text: str) -> AdministrativeUnit:
        if text not in self._communes:
            try:
                self._communes[text] = resolve_current_unit(text)
            except UnitResolutionError as exc:
                self._communes[text] = exc
        found = self._communes[text]
        if isinstance(found, UnitResolutionError):
            raise found
        return found

    def _communes_of(self, text: str, current_text: str) -> tuple[AdministrativeUnit, AdministrativeUnit | None]:
        """(today's commune, the former unit as written or None) for the two commune cells. A former
        commune split between several new ones needs “Xã/phường hiện nay” to say which."""
        explicit = None
        if current_text:
            try:
                explicit = self._resolve_today(current_text)
            except UnitResolutionError as exc:
                raise ValidationError(
                    {"current_commune": exc.message + _(" Cột này chỉ nhận xã, phường hiện nay (từ 01/7/2025).")}
                ) from exc
        try:
            commune = self._resolve_commune(text)
        except UnitResolutionError as exc:
            if explicit is not None and explicit.pk in {u.pk for u in exc.candidates}:
                return explicit, self._former_unit(text, explicit)
            hint = _(" Với xã cũ bị chia cho nhiều xã mới, hãy ghi xã, phường hiện nay vào cột “%(col)s”.") % {
                "col": COL_CURRENT
            }
            raise ValidationError({"commune": exc.message + (hint if exc.candidates else "")}) from exc
        if explicit is not None and explicit.pk != commune.pk:
            raise ValidationError(
                {
                    "current_commune": _("%(old)s không thuộc địa bàn %(new)s hiện nay (mà thuộc %(real)s).")
                    % {"old": clip(text), "new": explicit.full_name, "real": commune.full_name}
                }
            )
        return commune, self._former_unit(text, commune)

    def _resolve_today(self, text: str) -> AdministrativeUnit:
        key = ("today", text)
        if key not in self._communes:
            try:
                self._communes[key] = resolve_unit(text, on=timezone.localdate())
            except UnitResolutionError as exc:
                self._communes[key] = exc
        found = self._communes[key]
        if isinstance(found, UnitResolutionError):
            raise found
        return found

    def _former_unit(self, text: str, commune: AdministrativeUnit) -> AdministrativeUnit | None:
        """The former unit the cell names, if it names one whose territory is now ``commune``
        (the form's "đơn vị lúc ghi nhận"); None for today's commune or when it cannot be told."""
        if text not in self._former:
            try:
                self._resolve_today(text)
                found = None  # a unit in force today: nothing former about it
            except UnitResolutionError:
                try:
                    found = resolve_unit(text)
                except UnitResolutionError:
                    found = None  # e.g. the same old name in two districts, both merged into one commune
            if found is not None and (found.valid_to is None or found.level != "commune"):
                found = None
            successors = {u.pk for u in unit_current_successors(found)} if found is not None else set()
            self._former[text] = (found, successors)
        found, successors = self._former[text]
        return found if commune.pk in successors else None

    def _person_match(self, data: services.CaseInput) -> Person | None:
        p = data.person
        if p["citizen_id"]:
            return self._by_id.get(p["citizen_id"]) or self._pending_by_id.get(p["citizen_id"])
        key = (_name_key(normalize(p["full_name"])), p["birth_year"], p["sex"])
        return next((person for person in self._by_key.get(key, []) if person.merged_into_id is None), None)

    def _identity_error(self, person: Person, p: dict, commune: AdministrativeUnit | None) -> str:
        """A CCCD names one person: a row giving it with another name, sex or birth year is a
        typing error or another person, never a reason to rewrite who that person is."""
        differs = []
        if _name_key(normalize(p["full_name"])) != person.name_key:
            differs.append(_("họ tên"))
        if p["sex"] != person.sex:
            differs.append(_("giới tính"))
        if p["birth_year"] != person.birth_year:
            differs.append(_("năm sinh"))
        if not differs:
            return ""
        own = self._open.get((person.pk, commune.pk)) if person.pk and commune is not None else None
        if own is not None:
            # The importer manages this file: show what is stored, so the row can be corrected.
            stored = _("hồ sơ %(f)s: %(n)s, %(s)s, sinh năm %(y)s") % {
                "f": own.file_number,
                "n": person.full_name,
                "s": person.get_sex_display(),
                "y": person.birth_year,
            }
        else:
            # Someone filed elsewhere (or earlier in this file): their identity is not disclosed.
            stored = _("người đã có trong cơ sở dữ liệu hoặc ở dòng trước của tệp")
        return _(
            "Số CCCD/CMND này đã thuộc về một người khác (%(stored)s); dòng này khác ở: %(diff)s. "
            "Nhập dữ liệu không được đổi danh tính của một người: hãy kiểm tra lại số CCCD, "
            "hoặc sửa thông tin trên hồ sơ nếu thông tin đã lưu sai."
        ) % {"stored": stored, "diff": ", ".join(differs)}

    def _find_existing(self, data: services.CaseInput, commune) -> CaseFile | None:
        person = self._person_match(data)
        if person is None or person.pk is None:
            return None
        return self._open.get((person.pk, commune.pk))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        existing = getattr(instance, "_pcmt_existing", None)
        if existing is None or import_validation_errors:
            return False
        data = instance._pcmt_input
        # The file's type and detection date belong to the workflow once it exists: a re-import
        # refreshes personal data and notes, it does not turn an addict back into a user.
        data.case.pop("case_type", None)
        data.case.pop("detected_on", None)
        differences = _differences(existing, data, self._substance_names)
        if not differences:
            return True
        label = f"{existing.file_number} — {existing.person.full_name}"
        self.changes.append(RowChange(row=instance._pcmt_row, label=label, fields=differences))
        return False

    def save_instance(self, instance, is_create, row, **kwargs):
        data, existing = instance._pcmt_input, instance._pcmt_existing
        try:
            if existing is not None:
                data.case.pop("case_type", None)  # see skip_row
                data.case.pop("detected_on", None)
                services.case_update(actor=self.user, case=existing, data=data, expected_version=None)
                return
            person = self._person_match(data) if data.person["citizen_id"] else None
            if person is None:
                self._warn_possible_duplicate(data, instance._pcmt_row)
            else:
                self._warn_open_elsewhere(person, data.case["commune"], instance._pcmt_row)
            if self._batch is None:
                self._batch = services.CaseBatch(actor=self.user, commune_ids=scoping.visible_unit_ids(self.user))
            case = self._batch.add(data, person=person)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError({k: v for k, v in exc.message_dict.items()}) from exc
            raise
        if case.person.citizen_id:
            self._pending_by_id.setdefault(case.person.citizen_id, case.person)
        key = (case.person.name_key, case.person.birth_year, case.person.sex)
        self._pending_communes.setdefault(key, set()).add(case.commune.full_name)
        if case.person.citizen_id:
            self._pending_communes.setdefault(("id", case.person.citizen_id), set()).add(case.commune.full_name)

    def after_import(self, dataset, result, **kwargs):
        if self._batch is not None and not result.has_errors() and not result.has_validation_errors():
            self._batch.commit()

    def _warn_possible_duplicate(self, data: services.CaseInput, number: int) -> None:
        p = data.person
        key = (_name_key(normalize(p["full_name"])), p["birth_year"], p["sex"])
        refs = [c for person in self._by_key.get(key, []) for c in self._files.get(person.pk, [])]
        self._note_cross_commune(number, p, refs)
        communes = {c.commune_name for c in refs}
        communes |= self._pending_communes.get(key, set())
        if communes:
            self.warnings.append(
                RowError(
                    number,
                    COL_NAME,
                    _("Có thể trùng người đã có hồ sơ tại: %(c)s.") % {"c": ", ".join(sorted(communes))},
                )
            )

    def _warn_open_elsewhere(self, person: Person, commune, number: int) -> None:
        refs = [c for c in self._files.get(person.pk, []) if c.status != Status.CLOSED and c.commune_id != commune.pk]
        self._note_cross_commune(number, {"citizen_id": person.citizen_id}, refs)
        elsewhere = {c.commune_name for c in refs}
        elsewhere |= self._pending_communes.get(("id", person.citizen_id), set()) - {commune.full_name}
        if elsewhere:
            self.warnings.append(
                RowError(
                    number,
                    COL_ID,
                    _(
                        "Người có số CCCD này đang có hồ sơ mở tại %(c)s: nếu chuyển nơi cư trú, hãy dùng chức năng "
                        "chuyển hồ sơ thay vì lập hồ sơ mới."
                    )
                    % {"c": ", ".join(sorted(elsewhere))},
                )
            )

    def _note_cross_commune(self, number: int, identifier: dict, refs: list[_FileRef]) -> None:
        outside = sorted({c.commune_id for c in refs if c.commune_id not in self._own_units})
        if outside:
            keys = ("citizen_id", "full_name", "birth_year", "sex")
            self.cross_commune.append(
                {"row": number, "identifier": {k: identifier[k] for k in keys if k in identifier}, "units": outside}
            )

    def after_preview(self, report) -> None:
        """Called by the import view after the dry run: the preview's cross-commune matches are
        duplicate checks like the one at entry (audited, counted in the daily limit), and a file
        with more than PCMT_IMPORT_CROSS_COMMUNE_MAX of them stops and goes to the province."""
        from django.conf import settings

        crossing = self.cross_commune
        if not crossing:
            return
        limit = settings.PCMT_IMPORT_CROSS_COMMUNE_MAX
        refusal = ""
        try:
            services.ensure_lookup_allowed(self.user, len(crossing))
        except services.LookupLimitError as exc:
            refusal = " ".join(exc.messages)
        if not refusal and len(crossing) > limit:
            refusal = _(
                "Tệp có %(n)s dòng trùng với người đã có hồ sơ ở xã, phường khác (tối đa %(max)s dòng mỗi lần "
                "nhập). Việc nhập dừng lại ở đây: hãy gửi tệp cho Công an tỉnh để kiểm tra trùng người."
            ) % {"n": len(crossing), "max": limit}
        services.record_lookup(
            actor=self.user,
            source="import",
            identifiers=[c["identifier"] for c in crossing],
            answered=[
                {"row": c["row"], "units": c["units"], "elsewhere": True, "withheld": bool(refusal)} for c in crossing
            ],
        )
        if refusal:
            rows = {c["row"] for c in crossing}
            report.warnings = [w for w in report.warnings if w.row not in rows]  # the communes stay unsaid
            report.errors.append(RowError(row=0, column="", message=refusal))

    def column_label(self, attribute: str) -> str:
        return FIELD_COLUMNS.get(attribute, "")
