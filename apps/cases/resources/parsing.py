"""A spreadsheet row as service input (``CaseResource`` mixes this in)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.imports import clip
from apps.core.text import normalize

from .. import services
from ..choices import CaseType
from ..selectors import ethnicity_key
from . import columns as cols
from ._common import _commune_text, _name_key


class CaseParsingMixin:
    """Reads a row into ``services.CaseInput``; needs the state ``CaseResource`` sets up."""

    def _parse(self, row, number: int) -> tuple[services.CaseInput, AdministrativeUnit, set[str]]:
        """The row as service input, its commune, and the optional fields whose cells are blank."""
        errors: dict[str, str] = {}

        def get(col):
            value = row.get(col)
            return value.strip() if isinstance(value, str) else value

        name = " ".join(str(get(cols.COL_NAME) or "").split())
        if not name:
            errors["full_name"] = _("Thiếu họ và tên.")
        sex = cols.SEX_WORDS.get(normalize(str(get(cols.COL_SEX) or "")))
        if sex is None:
            errors["sex"] = _("Giới tính phải là “Nam” hoặc “Nữ”.")
        dob = year = None
        try:
            dob, year = cols.parse_date(get(cols.COL_DOB), allow_year=True)
            if year is None:
                errors["birth_year"] = _("Thiếu ngày sinh hoặc năm sinh.")
        except ValueError as exc:
            errors["birth_year"] = str(exc)
        ethnicity = None
        if get(cols.COL_ETHNIC):
            ethnicity = self._ethnicities.get(ethnicity_key(str(get(cols.COL_ETHNIC))))
            if ethnicity is None:
                errors["ethnicity"] = _("Không có dân tộc “%(v)s” trong danh mục 54 dân tộc.") % {
                    "v": clip(get(cols.COL_ETHNIC))
                }
        citizen_id = ""
        try:
            citizen_id, _kind = services.normalize_citizen_id(get(cols.COL_ID))
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages[0]
        commune = recorded = None
        commune_text = _commune_text(get(cols.COL_COMMUNE))
        current_text = _commune_text(get(cols.COL_CURRENT))
        if not commune_text:
            errors["commune"] = _("Thiếu xã/phường.")
        else:
            try:
                commune, recorded = self._communes_of(commune_text, current_text)
                if not scoping.unit_in_scope(self.user, commune):
                    errors["commune"] = _("%(u)s nằm ngoài phạm vi được giao.") % {"u": commune.full_name}
            except ValidationError as exc:
                errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        type_text = normalize(str(get(cols.COL_TYPE) or ""))
        case_type = CaseType.ADDICT if "nghien" in type_text else CaseType.USER
        substances = []
        for part in str(get(cols.COL_SUBST) or "").replace(";", ",").split(","):
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
            detected, _y = cols.parse_date(get(cols.COL_DETECTED))
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
                ("aliases", cols.COL_ALIAS),
                ("ethnicity", cols.COL_ETHNIC),
                ("current_village", cols.COL_VILLAGE),
                ("current_address", cols.COL_ADDRESS),
                ("notes", cols.COL_NOTES),
                ("substances", cols.COL_SUBST),
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
                "aliases": str(get(cols.COL_ALIAS) or ""),
                "sex": sex,
                "date_of_birth": dob,
                "birth_year": year,
                "ethnicity": ethnicity,
                "citizen_id": citizen_id,
                "current_unit": commune,
                "current_village": str(get(cols.COL_VILLAGE) or ""),
                "current_address": str(get(cols.COL_ADDRESS) or ""),
            },
            case={
                "commune": commune,
                "case_type": case_type,
                "detected_on": detected,
                "notes": str(get(cols.COL_NOTES) or ""),
            },
            substances=substances,
        )
        if recorded is not None:
            # The file is counted in the old unit on the map of its time; a row naming today's
            # commune says nothing about it, so a recorded unit stays (no key, as a blank cell).
            data.case["recorded_unit"] = recorded
            self.note_conversion(row=number, old=recorded, new=commune)
        return data, commune, blank
