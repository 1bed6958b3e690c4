"""Spreadsheet import of the three registers (upload → dry run → confirm, see ``core.imports``).

The commune is written as in the paper register: today's commune or a pre-2025 one, by code or
name, diacritics optional; a former commune split between several new ones needs the column
“Xã/phường hiện nay”. Re-importing updates instead of duplicating, through natural keys:

* hotspots: commune + name (diacritics and case ignored);
* crime cases and cultivation finds: “Số hiệu” when given (the exported files carry it), otherwise
  commune + date + article + summary (crime) / commune + date + species + village (cultivation).

Rows are saved through the services, so validation, scope and audit are the same as on screen.
On a row matching an existing record a blank optional cell keeps the stored value; the preview
lists what each updating row changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields
from import_export.results import RowResult

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import UnitResolutionError, resolve_unit
from apps.cases.choices import Sex
from apps.cases.resources import parse_date
from apps.core import scoping
from apps.core.imports import RowChange, field_changes
from apps.core.resources import CodedColumn, ScopedResource, VNIntegerWidget, choice_column, communes_column
from apps.core.text import normalize

from . import services
from .choices import CaseStage, CriminalArticle, HotspotKind, HotspotStatus, PlantSpecies
from .models import CrimeCase, Cultivation, Hotspot

COL_NUMBER = "Số hiệu"
COL_UNIT = "Xã/phường"
COL_COMMUNE = "Xã/phường hiện nay"
COL_VILLAGE = "Thôn/tổ dân phố"
COL_NOTES = "Ghi chú"

COL_NAME = "Tên điểm, tụ điểm"
COL_KIND = "Loại"
COL_ADDRESS = "Địa chỉ, vị trí"
COL_LAT = "Vĩ độ"
COL_LON = "Kinh độ"
COL_DISCOVERED = "Ngày phát hiện"
COL_STATUS = "Tình trạng"
COL_STATUS_SINCE = "Tình trạng từ ngày"

COL_OCCURRED = "Ngày xảy ra, phát hiện"
COL_ARTICLE = "Tội danh (điều BLHS)"
COL_STAGE = "Giai đoạn"
COL_SUMMARY = "Tóm tắt vụ việc"
COL_COUNT = "Số đối tượng bị bắt"
COL_OFFENDERS = "Đối tượng bị bắt"
COL_HEROIN = "Heroin (gam)"
COL_SYNTHETIC_G = "Ma túy tổng hợp (gam)"
COL_SYNTHETIC_T = "Ma túy tổng hợp (viên)"
COL_CANNABIS = "Cần sa (gam)"
COL_OTHER_G = "Ma túy khác (gam)"
COL_OTHER_DESC = "Mô tả ma túy khác"

COL_FOUND = "Ngày phát hiện"
COL_SPECIES = "Loại cây"
COL_PLANTS = "Số cây"
COL_AREA = "Diện tích (m²)"
COL_DESTROYED = "Đã triệt phá"

_GROUPED = {".": re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$"), ",": re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")}
_ARTICLE = re.compile(r"\b(2[45]\d)\s*(a?)\b")
_YES = {"co", "x", "1", "true", "yes", "da", "da triet pha", "roi"}
_NO = {"khong", "0", "false", "no", "chua", "chua triet pha"}


# --- cell parsing --------------------------------------------------------------------------------


def parse_decimal(value: Any, *, places: int, allow_grouping: bool = True) -> Decimal | None:
    """A non-negative number as Vietnamese spreadsheets write it: 1,5 / 1.234,5 / 1234.5 / 1 234.

    A text cell with one separator followed by exactly three digits (“1.500”, “2,750”) could be a
    thousands group or a decimal part — a factor of 1000 on a seizure — so it is refused with a
    request to write it unambiguously; numeric Excel cells are never ambiguous.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("Giá trị phải là số."))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:
            decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
            group_sep = "." if decimal_sep == "," else ","
            text = text.replace(group_sep, "").replace(decimal_sep, ".")
        elif "," in text or "." in text:
            sep = "," if "," in text else "."
            if allow_grouping and _GROUPED[sep].match(text):
                if text.count(sep) == 1:
                    raise ValueError(
                        _("“%(v)s” không rõ là số nguyên hay số thập phân: hãy ghi %(whole)s hoặc %(dec)s.")
                        % {"v": text, "whole": text.replace(sep, ""), "dec": text.replace(sep, ",").rstrip("0")}
                    )
                text = text.replace(sep, "")
            else:
                text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_("“%(v)s” không phải là số.") % {"v": value}) from exc
    if not number.is_finite():
        raise ValueError(_("“%(v)s” không phải là số.") % {"v": value})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_choice(value: Any, choices: type[models.TextChoices]) -> str | None:
    """A choice written as its label (diacritics optional, a unique beginning or part is enough)
    or its code. Raises ``ValueError`` listing the accepted labels."""
    if value is None or value == "":
        return None
    key = normalize(str(value))
    options = [(v, normalize(str(label))) for v, label in choices.choices]
    for test in (
        lambda v, label: key in (v, label),
        lambda v, label: label.startswith(key),
        lambda v, label: key in label,
    ):
        found = [v for v, label in options if test(v, label)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            break
    raise ValueError(
        _("Không nhận ra “%(v)s”. Giá trị hợp lệ: %(options)s.")
        % {"v": value, "options": "; ".join(str(label) for _v, label in choices.choices)}
    )


def parse_article(value: Any) -> str | None:
    """“251”, “Điều 251”, “Đ.256a BLHS” or the title of the offence."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        value = str(int(value))
    match = _ARTICLE.search(normalize(str(value)))
    if match and f"{match.group(1)}{match.group(2)}" in CriminalArticle.values:
        return f"{match.group(1)}{match.group(2)}"
    return parse_choice(value, CriminalArticle)


def parse_bool(value: Any, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    key = normalize(str(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(_("Hãy ghi “Có” hoặc “Không”."))


def parse_sex(value: Any) -> str | None:
    return {"nam": Sex.MALE, "nu": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}.get(normalize(str(value or "")))


def resolve_written_unit(text: str) -> AdministrativeUnit:
    """A commune as written in a register: today's commune first, otherwise a former one
    (“Đạo Viện, Yên Sơn”, “pre2025:2467”). Raises ``UnitResolutionError`` with candidates."""
    try:
        return resolve_unit(text, on=timezone.localdate())
    except UnitResolutionError as exc:
        if exc.candidates:
            raise
    return resolve_unit(text)


def unit_as_written(unit: AdministrativeUnit) -> str:
    """The text the import resolves back to this unit (the export writes it)."""
    if unit.valid_to is None or unit.parent_id is None:
        return unit.full_name
    return f"{unit.full_name}, {unit.parent.full_name}"


# --- the shared import machinery ----------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int
    existing: models.Model | None
    data: Any
    extra: dict[str, Any] = field(default_factory=dict)


class RegisterResource(ScopedResource):
    """Rows are parsed in ``before_import_row`` (errors name the column), matched to an existing
    record by natural key, and saved through a service; unchanged rows are reported as such."""

    #: service/model field → spreadsheet column, so errors raised by services name the column
    FIELD_COLUMNS: dict[str, str] = {}
    blank_keeps_stored = True

    class Meta:
        skip_diff = True
        use_transactions = True

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            COL_UNIT: communes_column(_("Xã, phường như sổ ghi: hiện nay hoặc xã cũ (ghi kèm huyện cũ).")),
            COL_COMMUNE: communes_column(_("Chỉ xã, phường hiện nay (từ 01/7/2025).")),
        }

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        self._seen: dict[tuple, int] = {}
        self._parsed: ParsedRow | None = None
        self._changed = True
        self.changes: list[RowChange] = []

    # helpers ------------------------------------------------------------------------------------

    @staticmethod
    def cell(row, column: str) -> Any:
        value = row.get(column)
        if isinstance(value, str):
            value = value.strip()
        return None if value == "" else value

    def text(self, row, column: str) -> str:
        value = self.cell(row, column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else " ".join(str(value).split())

    def date(self, row, column: str, errors: dict, name: str, *, required: bool = False) -> dt.date | None:
        try:
            day, _year = parse_date(self.cell(row, column))
        except ValueError as exc:
            errors[name] = str(exc)
            return None
        if day is None and required:
            errors[name] = _("Thiếu %(col)s.") % {"col": column.lower()}
        elif day is not None and day > timezone.localdate():
            # Every date of these registers is of something that happened (as the services say):
            # said here too, so the preview lists it with the row's other errors.
            errors[name] = _("%(col)s không được sau ngày hôm nay.") % {"col": column}
        return day

    def choice(self, row, column: str, choices, errors: dict, name: str, *, required: bool = False) -> str | None:
        try:
            value = parse_choice(self.cell(row, column), choices)
        except ValueError as exc:
            errors[name] = str(exc)
            return None
        if value is None and required:
            errors[name] = _("Thiếu %(col)s.") % {"col": column.lower()}
        return value

    def decimal(self, row, column: str, errors: dict, name: str, *, places: int, grouping: bool = True):
        try:
            value = parse_decimal(self.cell(row, column), places=places, allow_grouping=grouping)
        except ValueError as exc:
            errors[name] = str(exc)
            return None
        if value is not None and value < 0:
            errors[name] = _("Giá trị không được âm.")
        return value

    def integer(self, row, column: str, errors: dict, name: str) -> int | None:
        try:
            return VNIntegerWidget(minimum=0).clean(self.cell(row, column))
        except ValueError as exc:
            errors[name] = str(exc)
            return None

    def communes(self, row, errors: dict) -> tuple[AdministrativeUnit | None, AdministrativeUnit | None]:
        """(unit as written, today's commune) — the commune resolved and scope-checked now, so the
        natural key can be looked up; the service checks it again when saving."""
        written_text = self.text(row, COL_UNIT)
        explicit_text = self.text(row, COL_COMMUNE)
        written = explicit = None
        if not written_text and not explicit_text:
            errors["recorded_unit"] = _("Thiếu xã/phường.")
            return None, None
        try:
            written = resolve_written_unit(written_text) if written_text else None
        except UnitResolutionError as exc:
            errors["recorded_unit"] = exc.message
        try:
            if explicit_text:
                explicit = resolve_unit(explicit_text, on=timezone.localdate())
        except UnitResolutionError as exc:
            errors["commune"] = exc.message + _(" Cột này chỉ nhận xã, phường hiện nay (từ 01/7/2025).")
        if errors:
            return None, None
        try:
            commune = services.resolve_commune(actor=self.user, recorded_unit=written, commune=explicit)
        except ValidationError as exc:
            split = any(e.code == "split" for e in exc.error_dict.get("commune", []))
            for name, messages in exc.message_dict.items():
                target = "recorded_unit" if name == "commune" and explicit is None and not split else name
                hint = _(" Ghi xã, phường hiện nay vào cột “%(col)s”.") % {"col": COL_COMMUNE} if split else ""
                errors[target] = " ".join(messages) + hint
            return None, None
        return written, commune

    def keep_blank(self, row, existing: models.Model | None, data, fields: dict[str, str]):
        """``data`` with, on a row matching ``existing``, every blank cell among ``fields``
        (input field → column) replaced by the stored value: blank means "not given", not "erase"."""
        if existing is None:
            return data
        kept = {name: getattr(existing, name) for name, column in fields.items() if self.cell(row, column) is None}
        return dataclasses.replace(data, **kept) if kept else data

    def once(self, key: tuple, number: int, name: str) -> None:
        if key in self._seen:
            raise ValidationError({name: _("Trùng với dòng %(n)s của tệp.") % {"n": self._seen[key]}})
        self._seen[key] = number

    def editable(self, model: type[models.Model]) -> models.QuerySet:
        """Records the importer may change: only these can be matched and updated."""
        return scoping.visible_to(model.objects.all(), self.user, "change")

    # import-export hooks --------------------------------------------------------------------------

    def parse(self, row, number: int) -> ParsedRow:  # pragma: no cover - abstract
        raise NotImplementedError

    def save_parsed(self, parsed: ParsedRow) -> tuple[models.Model, bool]:  # pragma: no cover - abstract
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        self._seen = {}

    def before_import_row(self, row, **kwargs):
        self._parsed = None
        self._changed = True
        self._parsed = self.parse(row, kwargs.get("row_number", 0) + 1)
        data = self._parsed.data
        self.note_conversion(row=self._parsed.number, old=data.recorded_unit, new=data.commune)
        existing = self._parsed.existing
        if existing is not None:
            values = {**self.stored_values(existing, self.FIELD_COLUMNS), **self.stored_other(existing)}
            self.note_target(
                row=self._parsed.number, label=self.record_label(existing), objects=[existing], values=values
            )

    @staticmethod
    def record_label(record: models.Model) -> str:
        return " — ".join(str(v) for v in (getattr(record, "number", ""), str(record)) if v)

    def stored_other(self, record: models.Model) -> dict[str, str]:
        """Stored values a row can change that are not plain fields (e.g. the list of offenders)."""
        return {}

    def get_or_init_instance(self, instance_loader, row):
        parsed = self._parsed
        instance = parsed.existing or self._meta.model()
        return instance, parsed.existing is None

    def import_instance(self, instance, row, **kwargs):
        pass

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        parsed = self._parsed
        saved, changed = self.save_parsed(parsed)
        instance.pk = saved.pk
        self._changed = changed
        if changed and parsed.existing is not None:
            # ``existing`` was read before the service locked and re-read the row: the old values.
            fresh = type(saved)._default_manager.get(pk=saved.pk)
            differences = field_changes(parsed.existing, fresh, self.FIELD_COLUMNS) + self.other_changes(
                parsed.existing, fresh
            )
            label = self.record_label(fresh)
            self.changes.append(RowChange(row=parsed.number, label=label, fields=differences))

    def other_changes(self, old: models.Model, new: models.Model) -> list:
        """Differences that are not plain fields (e.g. the list of offenders)."""
        return []

    def save_m2m(self, instance, row, **kwargs):
        pass

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE and not self._changed:
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP

    def column_label(self, attribute: str) -> str:
        if attribute in self.FIELD_COLUMNS:
            return self.FIELD_COLUMNS[attribute]
        return attribute if attribute in self.columns else ""


# --- hotspots ------------------------------------------------------------------------------------


class HotspotResource(RegisterResource):
    columns = {
        COL_UNIT: True,
        COL_COMMUNE: False,
        COL_NAME: True,
        COL_KIND: True,
        COL_VILLAGE: False,
        COL_ADDRESS: False,
        COL_LAT: False,
        COL_LON: False,
        COL_DISCOVERED: True,
        COL_STATUS: False,
        COL_STATUS_SINCE: False,
        COL_NOTES: False,
    }
    example_row = [
        "Xã Trung Sơn",
        "",
        "Lán trại bãi sông thôn Đồng Cầu",
        "Tụ điểm",
        "Thôn Đồng Cầu",
        "Bãi sông, cách cầu treo 200 m",
        "21,823300",
        "105,214200",
        "12/01/2026",
        "Đang hoạt động",
        "",
        "",
    ]
    FIELD_COLUMNS = {
        "recorded_unit": COL_UNIT,
        "commune": COL_COMMUNE,
        "name": COL_NAME,
        "kind": COL_KIND,
        "village": COL_VILLAGE,
        "address": COL_ADDRESS,
        "latitude": COL_LAT,
        "longitude": COL_LON,
        "discovered_on": COL_DISCOVERED,
        "status": COL_STATUS,
        "to_status": COL_STATUS,
        "status_since": COL_STATUS_SINCE,
        "changed_on": COL_STATUS_SINCE,
        "notes": COL_NOTES,
    }

    ref = fields.Field(attribute="name", column_name="Tên", readonly=True)

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            **super().coded_columns(),
            COL_KIND: choice_column(HotspotKind),
            COL_STATUS: choice_column(HotspotStatus),
        }

    class Meta(RegisterResource.Meta):
        model = Hotspot
        fields = ("ref",)
        import_id_fields = ()

    def parse(self, row, number: int) -> ParsedRow:
        errors: dict[str, str] = {}
        written, commune = self.communes(row, errors)
        name = self.text(row, COL_NAME)
        if not name:
            errors["name"] = _("Thiếu tên điểm, tụ điểm.")
        kind = self.choice(row, COL_KIND, HotspotKind, errors, "kind", required=True)
        discovered = self.date(row, COL_DISCOVERED, errors, "discovered_on", required=True)
        status = self.choice(row, COL_STATUS, HotspotStatus, errors, "status")
        status_since = self.date(row, COL_STATUS_SINCE, errors, "status_since")
        latitude = self.decimal(row, COL_LAT, errors, "latitude", places=6, grouping=False)
        longitude = self.decimal(row, COL_LON, errors, "longitude", places=6, grouping=False)
        if errors:
            raise ValidationError(errors)
        self.once((commune.pk, normalize(name)), number, "name")
        existing = self.editable(Hotspot).filter(commune=commune, name_key=normalize(name)).first()
        if existing is not None and status and status != existing.status and status_since is None:
            raise ValidationError(
                {"status_since": _("Tình trạng thay đổi: hãy ghi ngày của tình trạng mới vào cột này.")}
            )
        data = services.HotspotInput(
            name=name,
            kind=kind,
            discovered_on=discovered,
            commune=commune,
            recorded_unit=written,
            village=self.text(row, COL_VILLAGE),
            address=self.text(row, COL_ADDRESS),
            latitude=latitude,
            longitude=longitude,
            notes=self.text(row, COL_NOTES),
        )
        data = self.keep_blank(
            row,
            existing,
            data,
            {
                "village": COL_VILLAGE,
                "address": COL_ADDRESS,
                "latitude": COL_LAT,
                "longitude": COL_LON,
                "notes": COL_NOTES,
            },
        )
        return ParsedRow(number, existing, data, {"status": status, "status_since": status_since})

    def save_parsed(self, parsed: ParsedRow) -> tuple[models.Model, bool]:
        status, since = parsed.extra["status"], parsed.extra["status_since"]
        existing = parsed.existing
        if existing is None:
            hotspot = services.hotspot_create(
                actor=self.user, data=parsed.data, status=status or HotspotStatus.ACTIVE, status_since=since
            )
            return hotspot, True
        hotspot = services.hotspot_update(actor=self.user, hotspot=existing, data=parsed.data)
        if status and status != hotspot.status:
            services.hotspot_change_status(
                actor=self.user, hotspot=hotspot, to_status=status, changed_on=since, reason=_("Nhập từ tệp")
            )
            hotspot.refresh_from_db(fields=["version"])
        return hotspot, hotspot.version != existing.version


# --- crime cases ---------------------------------------------------------------------------------


def parse_offenders(text: Any, *, default_day: dt.date | None) -> tuple[list[services.OffenderInput], list[str]]:
    """“Nguyễn Văn A, 1990, Nam, 12/03/2026; Trần Thị B, 1995, Nữ” → offenders (the arrest date
    defaults to the day of the case), and the problems found."""
    offenders: list[services.OffenderInput] = []
    problems: list[str] = []
    if text in (None, ""):
        return offenders, problems
    for index, chunk in enumerate(re.split(r"[;\n]+", str(text)), start=1):
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        if not parts:
            continue
        name, birth_year, sex, day = parts[0], None, None, None
        for part in parts[1:]:
            if re.fullmatch(r"\d{4}", part):
                birth_year = int(part)
            elif parse_sex(part):
                sex = parse_sex(part)
            else:
                try:
                    day, _y = parse_date(part)
                except ValueError:
                    problems.append(
                        _("Người thứ %(n)s (%(name)s): không hiểu “%(v)s”.") % {"n": index, "name": name, "v": part}
                    )
        if sex is None:
            problems.append(_("Người thứ %(n)s (%(name)s): thiếu giới tính (Nam/Nữ).") % {"n": index, "name": name})
        offenders.append(
            services.OffenderInput(
                full_name=name, sex=sex or "", arrested_on=day or default_day, birth_year=birth_year
            )
        )
    return offenders, problems


def format_offenders(offenders) -> str:
    parts = []
    for o in offenders:
        bits = [o.full_name] + ([str(o.birth_year)] if o.birth_year else []) + [o.get_sex_display()]
        bits.append(o.arrested_on.strftime("%d/%m/%Y"))
        parts.append(", ".join(bits))
    return "; ".join(parts)


class CrimeCaseResource(RegisterResource):
    columns = {
        COL_NUMBER: False,
        COL_UNIT: True,
        COL_COMMUNE: False,
        COL_OCCURRED: True,
        COL_ARTICLE: True,
        COL_STAGE: False,
        COL_SUMMARY: True,
        COL_COUNT: False,
        COL_OFFENDERS: False,
        COL_HEROIN: False,
        COL_SYNTHETIC_G: False,
        COL_SYNTHETIC_T: False,
        COL_CANNABIS: False,
        COL_OTHER_G: False,
        COL_OTHER_DESC: False,
        COL_NOTES: False,
    }
    example_row = [
        "",
        "Xã Trung Sơn",
        "",
        "12/01/2026",
        "Điều 251",
        "Khởi tố",
        "Bắt quả tang mua bán trái phép chất ma túy tại thôn Đồng Cầu",
        2,
        "Nguyễn Văn A, 1990, Nam, 12/01/2026; Trần Thị B, 1995, Nữ",
        "1,5",
        "12,25",
        40,
        "",
        "",
        "",
        "",
    ]
    FIELD_COLUMNS = {
        "number": COL_NUMBER,
        "recorded_unit": COL_UNIT,
        "commune": COL_COMMUNE,
        "occurred_on": COL_OCCURRED,
        "article": COL_ARTICLE,
        "stage": COL_STAGE,
        "summary": COL_SUMMARY,
        "offenders_count": COL_COUNT,
        "offenders": COL_OFFENDERS,
        "heroin_g": COL_HEROIN,
        "synthetic_g": COL_SYNTHETIC_G,
        "synthetic_tablets": COL_SYNTHETIC_T,
        "cannabis_g": COL_CANNABIS,
        "other_g": COL_OTHER_G,
        "other_desc": COL_OTHER_DESC,
        "notes": COL_NOTES,
    }

    ref = fields.Field(attribute="number", column_name="Số", readonly=True)

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            **super().coded_columns(),
            COL_ARTICLE: choice_column(CriminalArticle, strict=False, hint=_("Tên tội danh, hoặc số điều (“251”).")),
            COL_STAGE: choice_column(CaseStage),
        }

    class Meta(RegisterResource.Meta):
        model = CrimeCase
        fields = ("ref",)
        import_id_fields = ()

    def parse(self, row, number: int) -> ParsedRow:
        errors: dict[str, str] = {}
        ref = self.text(row, COL_NUMBER)
        written, commune = self.communes(row, errors)
        occurred = self.date(row, COL_OCCURRED, errors, "occurred_on", required=True)
        try:
            article = parse_article(self.cell(row, COL_ARTICLE))
            if article is None:
                errors["article"] = _("Thiếu tội danh (số điều của Bộ luật Hình sự).")
        except ValueError as exc:
            article, errors["article"] = None, str(exc)
        stage = self.choice(row, COL_STAGE, CaseStage, errors, "stage") or CaseStage.DETECTED
        summary = " ".join(str(self.cell(row, COL_SUMMARY) or "").split())
        if not summary:
            errors["summary"] = _("Thiếu tóm tắt vụ việc.")
        count = self.integer(row, COL_COUNT, errors, "offenders_count")
        amounts = {
            name: self.decimal(row, column, errors, name, places=3) or Decimal(0)
            for name, column in (
                ("heroin_g", COL_HEROIN),
                ("synthetic_g", COL_SYNTHETIC_G),
                ("cannabis_g", COL_CANNABIS),
                ("other_g", COL_OTHER_G),
            )
        }
        tablets = self.integer(row, COL_SYNTHETIC_T, errors, "synthetic_tablets") or 0
        offenders, problems = parse_offenders(self.cell(row, COL_OFFENDERS), default_day=occurred)
        if problems:
            errors["offenders"] = " ".join(problems)
        if errors:
            raise ValidationError(errors)
        existing = self._match(ref, commune, occurred, article, summary)
        self.once(
            ("number", existing.pk) if existing else (commune.pk, occurred, article, normalize(summary)),
            number,
            "summary",
        )
        if existing is not None and offenders:
            # Keep the recorded offenders (and their links to case files) that the row still names.
            current = {(normalize(o.full_name), o.birth_year): o for o in existing.offenders.all()}
            for offender in offenders:
                match = current.pop((normalize(offender.full_name), offender.birth_year), None)
                if match is not None:
                    offender.pk, offender.person = match.pk, match.person
        data = services.CrimeCaseInput(
            occurred_on=occurred,
            article=article,
            summary=summary,
            commune=commune,
            recorded_unit=written,
            offenders_count=count,
            stage=stage,
            synthetic_tablets=tablets,
            other_desc=self.text(row, COL_OTHER_DESC),
            notes=self.text(row, COL_NOTES),
            **amounts,
        )
        kept = {
            "stage": COL_STAGE,
            "heroin_g": COL_HEROIN,
            "synthetic_g": COL_SYNTHETIC_G,
            "synthetic_tablets": COL_SYNTHETIC_T,
            "cannabis_g": COL_CANNABIS,
            "other_g": COL_OTHER_G,
            "other_desc": COL_OTHER_DESC,
            "notes": COL_NOTES,
        }
        if existing is not None and self.cell(row, COL_OFFENDERS) is None:
            offenders = None  # the recorded offenders stay, and so does their count unless given
            kept["offenders_count"] = COL_COUNT
        data = self.keep_blank(row, existing, data, kept)
        return ParsedRow(number, existing, data, {"offenders": offenders})

    def _match(self, ref: str, commune, occurred, article, summary) -> CrimeCase | None:
        qs = self.editable(CrimeCase).prefetch_related("offenders")
        if ref:
            found = qs.filter(number=ref.upper()).first()
            if found is None:
                raise ValidationError(
                    {
                        "number": _(
                            "Không có vụ án số hiệu “%(n)s” trong phạm vi được giao. Để thêm mới, bỏ trống cột này."
                        )
                        % {"n": ref}
                    }
                )
            return found
        key = normalize(summary)
        matches = [
            c for c in qs.filter(commune=commune, occurred_on=occurred, article=article) if normalize(c.summary) == key
        ]
        if len(matches) > 1:
            raise ValidationError({"number": _("Có nhiều vụ án trùng ngày, tội danh và nội dung: hãy ghi số hiệu.")})
        return matches[0] if matches else None

    def stored_other(self, record: models.Model) -> dict[str, str]:
        return {COL_OFFENDERS: format_offenders(sorted(record.offenders.all(), key=lambda o: o.pk))}

    def other_changes(self, old: models.Model, new: models.Model) -> list:
        from apps.core.imports import FieldChange

        before = format_offenders(sorted(old.offenders.all(), key=lambda o: o.pk))
        after = format_offenders(new.offenders.order_by("pk"))
        return [] if before == after else [FieldChange(COL_OFFENDERS, before, after)]

    def save_parsed(self, parsed: ParsedRow) -> tuple[models.Model, bool]:
        offenders = parsed.extra["offenders"]
        if parsed.existing is None:
            return services.crime_case_create(actor=self.user, data=parsed.data, offenders=offenders), True
        saved = services.crime_case_update(
            actor=self.user, crime_case=parsed.existing, data=parsed.data, offenders=offenders
        )
        return saved, saved.version != parsed.existing.version


# --- cultivation ---------------------------------------------------------------------------------


class CultivationResource(RegisterResource):
    columns = {
        COL_NUMBER: False,
        COL_UNIT: True,
        COL_COMMUNE: False,
        COL_FOUND: True,
        COL_SPECIES: True,
        COL_PLANTS: False,
        COL_AREA: False,
        COL_DESTROYED: False,
        COL_VILLAGE: False,
        COL_NOTES: False,
    }
    example_row = [
        "",
        "Xã Trung Sơn",
        "",
        "20/02/2026",
        "Cây thuốc phiện",
        1200,
        "350,5",
        "Có",
        "Thôn Khuôn Khoai",
        "",
    ]
    FIELD_COLUMNS = {
        "number": COL_NUMBER,
        "recorded_unit": COL_UNIT,
        "commune": COL_COMMUNE,
        "found_on": COL_FOUND,
        "species": COL_SPECIES,
        "plants": COL_PLANTS,
        "area_m2": COL_AREA,
        "destroyed": COL_DESTROYED,
        "village": COL_VILLAGE,
        "notes": COL_NOTES,
    }

    ref = fields.Field(attribute="number", column_name="Số", readonly=True)

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            **super().coded_columns(),
            COL_SPECIES: choice_column(PlantSpecies),
            COL_DESTROYED: CodedColumn([_("Có"), _("Không")]),
        }

    class Meta(RegisterResource.Meta):
        model = Cultivation
        fields = ("ref",)
        import_id_fields = ()

    def parse(self, row, number: int) -> ParsedRow:
        errors: dict[str, str] = {}
        ref = self.text(row, COL_NUMBER)
        written, commune = self.communes(row, errors)
        found = self.date(row, COL_FOUND, errors, "found_on", required=True)
        species = self.choice(row, COL_SPECIES, PlantSpecies, errors, "species", required=True)
        plants = self.integer(row, COL_PLANTS, errors, "plants") or 0
        area = self.decimal(row, COL_AREA, errors, "area_m2", places=2) or Decimal(0)
        try:
            destroyed = parse_bool(self.cell(row, COL_DESTROYED), default=True)
        except ValueError as exc:
            destroyed, errors["destroyed"] = True, str(exc)
        village = self.text(row, COL_VILLAGE)
        if errors:
            raise ValidationError(errors)
        existing = self._match(ref, commune, found, species, village)
        self.once(
            ("number", existing.pk) if existing else (commune.pk, found, species, normalize(village)),
            number,
            "found_on",
        )
        data = services.CultivationInput(
            found_on=found,
            species=species,
            commune=commune,
            recorded_unit=written,
            plants=plants,
            area_m2=area,
            destroyed=destroyed,
            village=village,
            notes=self.text(row, COL_NOTES),
        )
        data = self.keep_blank(
            row,
            existing,
            data,
            {
                "plants": COL_PLANTS,
                "area_m2": COL_AREA,
                "destroyed": COL_DESTROYED,
                "village": COL_VILLAGE,
                "notes": COL_NOTES,
            },
        )
        return ParsedRow(number, existing, data)

    def _match(self, ref: str, commune, found, species, village) -> Cultivation | None:
        qs = self.editable(Cultivation)
        if ref:
            match = qs.filter(number=ref.upper()).first()
            if match is None:
                raise ValidationError(
                    {
                        "number": _("Không có số hiệu “%(n)s” trong phạm vi được giao. Để thêm mới, bỏ trống cột này.")
                        % {"n": ref}
                    }
                )
            return match
        key = normalize(village)
        matches = [
            c for c in qs.filter(commune=commune, found_on=found, species=species) if normalize(c.village) == key
        ]
        if len(matches) > 1:
            raise ValidationError({"number": _("Có nhiều bản ghi trùng ngày, loại cây và thôn: hãy ghi số hiệu.")})
        return matches[0] if matches else None

    def save_parsed(self, parsed: ParsedRow) -> tuple[models.Model, bool]:
        if parsed.existing is None:
            return services.cultivation_create(actor=self.user, data=parsed.data), True
        saved = services.cultivation_update(actor=self.user, cultivation=parsed.existing, data=parsed.data)
        return saved, saved.version != parsed.existing.version
