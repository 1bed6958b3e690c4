"""The import machinery shared by the three registers: the columns every kind has, the parsed
row, and ``RegisterResource`` (parse → match by natural key → save through a service)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields
from import_export.results import RowResult

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import UnitResolutionError, resolve_unit
from apps.cases.resources import parse_date
from apps.core import scoping
from apps.core.imports import RowChange, field_changes
from apps.core.resources import CodedColumn, ScopedResource, VNIntegerWidget, communes_column

from ..services._common import resolve_commune
from .parsing import parse_choice, parse_decimal, resolve_written_unit, unit_as_written

COL_NUMBER = "Số hiệu"
COL_UNIT = "Xã/phường"
COL_COMMUNE = "Xã/phường hiện nay"
COL_VILLAGE = "Thôn/tổ dân phố"
COL_NOTES = "Ghi chú"


def units_as_written(record) -> tuple[str, str]:
    """(“Xã/phường” as written, “Xã/phường hiện nay”): the second only when a former unit was
    written — the two unit columns of an exported row."""
    if record.recorded_unit_id and record.recorded_unit_id != record.commune_id:
        return unit_as_written(record.recorded_unit), record.commune.full_name
    return record.commune.full_name, ""


@dataclass
class ParsedRow:
    number: int
    existing: models.Model | None
    data: Any
    #: what the kind's services take besides ``data`` (the offenders…)
    extra: dict[str, Any] = field(default_factory=dict)


class RegisterResource(ScopedResource):
    """Rows are parsed in ``before_import_row`` (errors name the column), matched to an existing
    record by natural key, and saved through a service; unchanged rows are reported as such."""

    #: service/model field → spreadsheet column, so errors raised by services name the column
    FIELD_COLUMNS: dict[str, str] = {}
    blank_keeps_stored = True
    #: the kind's create and update services, and the keyword the update takes its record by
    create_service = None
    update_service = None
    record_arg = ""

    #: the export of the kind (``registers.exports``): its audit code, the file's name and what the
    #: rows read besides the list's joins; ``export_row(record)`` writes a record in this import's
    #: columns, so an exported file can be corrected and imported back
    export_action = ""
    export_stem = ""
    export_prefetch: tuple[str, ...] = ()

    @staticmethod
    def export_row(record) -> list:
        raise NotImplementedError

    #: the one model column a kind shows: the record's number (a kind without numbers names another)
    ref = fields.Field(attribute="number", column_name="Số", readonly=True)

    class Meta:
        skip_diff = True
        use_transactions = True
        # Rows are matched by ``parse`` (number, then natural key), not by import-export's id fields.
        fields = ("ref",)
        import_id_fields = ()

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
            commune = resolve_commune(actor=self.user, recorded_unit=written, commune=explicit)
        except ValidationError as exc:
            split = any(e.code == "split" for e in exc.error_dict.get("commune", []))
            for name, messages in exc.message_dict.items():
                target = "recorded_unit" if name == "commune" and explicit is None and not split else name
                hint = _(" Ghi xã, phường hiện nay vào cột “%(col)s”.") % {"col": COL_COMMUNE} if split else ""
                errors[target] = " ".join(messages) + hint
            return None, None
        return written, commune

    def keep_blank(self, row, existing: models.Model | None, data, fields: Iterable[str]):
        """``data`` with, on a row matching ``existing``, every blank cell among ``fields`` (input
        fields, in their ``FIELD_COLUMNS``) replaced by the stored value: blank means "not given",
        not "erase"."""
        if existing is None:
            return data
        columns = self.FIELD_COLUMNS
        kept = {name: getattr(existing, name) for name in fields if self.cell(row, columns[name]) is None}
        return dataclasses.replace(data, **kept) if kept else data

    def once(self, key: tuple, number: int, name: str) -> None:
        if key in self._seen:
            raise ValidationError({name: _("Trùng với dòng %(n)s của tệp.") % {"n": self._seen[key]}})
        self._seen[key] = number

    def editable(self, model: type[models.Model]) -> models.QuerySet:
        """Records the importer may change: only these can be matched and updated."""
        return scoping.visible_to(model.objects.all(), self.user, "change")

    @staticmethod
    def by_number(qs: models.QuerySet, ref: str, unknown: str) -> models.Model:
        """The record a row names by its number: an unknown number (``unknown``, a message
        with ``%(n)s``) is an error, never a new record."""
        match = qs.filter(number=ref.upper()).first()
        if match is None:
            raise ValidationError({"number": unknown % {"n": ref}})
        return match

    @staticmethod
    def one_of(matches: list, ambiguous: str) -> models.Model | None:
        """The record a row's natural key found, if any; several are an error (``ambiguous``):
        the row must then give the number."""
        if len(matches) > 1:
            raise ValidationError({"number": ambiguous})
        return matches[0] if matches else None

    # import-export hooks --------------------------------------------------------------------------

    def parse(self, row, number: int) -> ParsedRow:  # pragma: no cover - abstract
        raise NotImplementedError

    def create(self, parsed: ParsedRow) -> models.Model:
        return type(self).create_service(actor=self.user, data=parsed.data, **parsed.extra)

    def update(self, parsed: ParsedRow) -> models.Model:
        return type(self).update_service(
            actor=self.user, data=parsed.data, **{self.record_arg: parsed.existing}, **parsed.extra
        )

    def save_parsed(self, parsed: ParsedRow) -> tuple[models.Model, bool]:
        """Save a row through the kind's service (``create`` or ``update``); whether it changed
        anything is whether the version moved."""
        if parsed.existing is None:
            return self.create(parsed), True
        saved = self.update(parsed)
        return saved, saved.version != parsed.existing.version

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
