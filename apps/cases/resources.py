"""Spreadsheet import of case files: one row = one person and their file in a commune.

Re-importing the same file updates instead of duplicating: a row is matched to an existing open
file of the same commune by CCCD, or else by normalised name + birth year + sex. Rows go through
``services.case_create`` / ``case_update`` so validation and audit are the same as on screen.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import UnitResolutionError, resolve_current_unit
from apps.core import scoping
from apps.core.imports import RowError
from apps.core.resources import ScopedResource
from apps.core.text import normalize

from . import services
from .choices import CaseType, Sex, Status
from .models import CaseFile, Ethnicity, Person, SubstanceType

COL_NAME, COL_ALIAS, COL_SEX, COL_DOB = "Họ và tên", "Tên gọi khác", "Giới tính", "Ngày sinh hoặc năm sinh"
COL_ETHNIC, COL_ID, COL_COMMUNE, COL_VILLAGE = "Dân tộc", "Số CCCD/CMND", "Xã/phường", "Thôn/tổ dân phố"
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
    raise ValueError(_("“%(v)s” không phải ngày hợp lệ (dd/mm/yyyy).") % {"v": text})


class CaseResource(ScopedResource):
    columns = {
        COL_NAME: True,
        COL_ALIAS: False,
        COL_SEX: True,
        COL_DOB: True,
        COL_ETHNIC: False,
        COL_ID: False,
        COL_COMMUNE: True,
        COL_VILLAGE: False,
        COL_ADDRESS: False,
        COL_TYPE: False,
        COL_SUBST: False,
        COL_DETECTED: True,
        COL_NOTES: False,
    }
    example_row = [
        "Nguyễn Văn Hùng",
        "Hùng còi",
        "Nam",
        "05/03/1990",
        "Kinh",
        "008090001234",
        "Xã Trung Sơn",
        "Thôn Đồng Cầu",
        "",
        "Người sử dụng",
        "Methamphetamine, Heroin",
        "12/01/2026",
        "",
    ]

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
        self._ethnicities = {e.search_name: e for e in Ethnicity.objects.all()}
        self._ethnicities.update({normalize(e.name.replace("-", " ")): e for e in self._ethnicities.values()})
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

    # --- parsing -------------------------------------------------------------------------------

    def _parse(self, row, number: int) -> tuple[services.CaseInput, AdministrativeUnit]:
        errors: dict[str, str] = {}

        def get(col):
            value = row.get(col)
            return value.strip() if isinstance(value, str) else value

        name = " ".join(str(get(COL_NAME) or "").split())
        if not name:
            errors["full_name"] = _("Thiếu họ và tên.")
        sex_text = normalize(str(get(COL_SEX) or ""))
        sex = {"nam": Sex.MALE, "nu": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}.get(sex_text)
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
            ethnicity = self._ethnicities.get(normalize(str(get(COL_ETHNIC)).replace("-", " ")))
            if ethnicity is None:
                errors["ethnicity"] = _("Không có dân tộc “%(v)s” trong danh mục 54 dân tộc.") % {"v": get(COL_ETHNIC)}
        citizen_id = ""
        try:
            citizen_id, _kind = services.normalize_citizen_id(get(COL_ID))
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages[0]
        commune = None
        commune_text = get(COL_COMMUNE)
        if isinstance(commune_text, float) and commune_text.is_integer():
            commune_text = int(commune_text)
        if commune_text in (None, ""):
            errors["commune"] = _("Thiếu xã/phường.")
        else:
            try:
                commune = resolve_current_unit(str(commune_text))
                if not scoping.unit_in_scope(self.user, commune):
                    errors["commune"] = _("%(u)s nằm ngoài phạm vi được giao.") % {"u": commune.full_name}
            except UnitResolutionError as exc:
                hint = _(" Với xã cũ bị chia cho nhiều xã mới, hãy ghi tên hoặc mã xã mới.") if exc.candidates else ""
                errors["commune"] = exc.message + hint
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
                errors["substances"] = _("Không nhận ra chất ma túy “%(v)s”.") % {"v": part.strip()}
            else:
                substances.append(code)
        detected = None
        try:
            detected, _y = parse_date(get(COL_DETECTED))
            if detected is None:
                errors["detected_on"] = _("Thiếu ngày phát hiện.")
        except ValueError as exc:
            errors["detected_on"] = str(exc)
        if errors:
            raise ValidationError(errors)
        key = (citizen_id or (" ".join(sorted(normalize(name).split())), year, sex), commune.pk)
        if key in self._seen:
            raise ValidationError({"full_name": _("Trùng với dòng %(n)s của tệp.") % {"n": self._seen[key]}})
        self._seen[key] = number
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
        return data, commune

    # --- import-export hooks -----------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        pass

    def before_import(self, dataset, **kwargs):
        self._index = 0

    def get_or_init_instance(self, instance_loader, row):
        # Parsed here (not in import_instance) so the row is counted as new or update correctly.
        rows = getattr(self, "sheet_rows", None) or []
        self._row_number = rows[self._index] if self._index < len(rows) else self._index + 2
        self._index += 1
        data, commune = self._parse(row, self._row_number)
        existing = self._find_existing(data, commune)
        instance = existing or CaseFile()
        instance._pcmt_input, instance._pcmt_existing, instance._pcmt_row = data, existing, self._row_number
        return instance, existing is None

    def import_instance(self, instance, row, **kwargs):
        pass

    def _person_match(self, data: services.CaseInput) -> Person | None:
        p = data.person
        if p["citizen_id"]:
            return Person.objects.filter(citizen_id=p["citizen_id"], merged_into__isnull=True).first()
        key = " ".join(sorted(normalize(p["full_name"]).split()))
        return Person.objects.filter(
            name_key=key, birth_year=p["birth_year"], sex=p["sex"], merged_into__isnull=True
        ).first()

    def _find_existing(self, data: services.CaseInput, commune) -> CaseFile | None:
        person = self._person_match(data)
        if person is None:
            return None
        return (
            CaseFile.objects.filter(person=person, commune=commune)
            .exclude(status=Status.CLOSED)
            .select_related("person")
            .first()
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        data, existing = instance._pcmt_input, instance._pcmt_existing
        try:
            if existing is not None:
                # The file's type and detection date belong to the workflow once it exists: a
                # re-import refreshes personal data and notes, it does not turn an addict back.
                data.case.pop("case_type", None)
                data.case.pop("detected_on", None)
                services.case_update(actor=self.user, case=existing, data=data, expected_version=None)
            else:
                person = self._person_match(data) if data.person["citizen_id"] else None
                if person is None:
                    self._warn_possible_duplicate(data, instance._pcmt_row)
                else:
                    self._warn_open_elsewhere(person, data.case["commune"], instance._pcmt_row)
                services.case_create(actor=self.user, data=data, person=person)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError({k: v for k, v in exc.message_dict.items()}) from exc
            raise

    def _warn_possible_duplicate(self, data: services.CaseInput, number: int) -> None:
        p = data.person
        key = " ".join(sorted(normalize(p["full_name"]).split()))
        others = Person.objects.filter(name_key=key, birth_year=p["birth_year"], sex=p["sex"])
        communes = sorted(
            {c for c in CaseFile.objects.filter(person__in=others).values_list("commune__full_name", flat=True)}
        )
        if communes:
            self.warnings.append(
                RowError(
                    number, COL_NAME, _("Có thể trùng người đã có hồ sơ tại: %(c)s.") % {"c": ", ".join(communes)}
                )
            )

    def _warn_open_elsewhere(self, person: Person, commune, number: int) -> None:
        elsewhere = sorted(
            set(
                CaseFile.objects.filter(person=person)
                .exclude(status=Status.CLOSED)
                .exclude(commune=commune)
                .values_list("commune__full_name", flat=True)
            )
        )
        if elsewhere:
            self.warnings.append(
                RowError(
                    number,
                    COL_ID,
                    _(
                        "Người có số CCCD này đang có hồ sơ mở tại %(c)s: nếu chuyển nơi cư trú, hãy dùng chức năng "
                        "chuyển hồ sơ thay vì lập hồ sơ mới."
                    )
                    % {"c": ", ".join(elsewhere)},
                )
            )

    def column_label(self, attribute: str) -> str:
        return FIELD_COLUMNS.get(attribute, "")
