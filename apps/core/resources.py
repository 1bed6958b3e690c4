"""Base pieces for spreadsheet imports (django-import-export) that go through scoping and services."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources, widgets

from apps.areas.models import AdministrativeUnit
from apps.core.imports import UnitConversion, target_digest

#: rows between two progress reports of a background import
PROGRESS_EVERY = 200
#: the template's sheets; the importer reads the data sheet (also "Du lieu" of older templates)
DATA_SHEET, GUIDE_SHEET, EXAMPLE_SHEET, LISTS_SHEET = "Dữ liệu", "Hướng dẫn", "Ví dụ", "Danh mục"


@dataclass(frozen=True)
class CodedColumn:
    """The values of a coded column. ``strict``: nothing else is accepted (the drop-down refuses
    other text); otherwise the list is a help and the importer also reads aliases, former names or
    several values in one cell."""

    values: list[str]
    strict: bool = True
    hint: str = ""


_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def choice_column(choices, *, strict: bool = True, hint: str = "") -> CodedColumn:
    """The labels of a TextChoices (what the importer reads) as a coded column."""
    return CodedColumn([str(label) for _value, label in choices.choices], strict=strict, hint=hint)


def communes_column(hint: str = "") -> CodedColumn:
    """Today's communes by full name. Lenient: codes and former (pre-2025) names are read too."""
    names = AdministrativeUnit.objects.current().filter(level="commune").order_by("search_name")
    return CodedColumn(
        list(names.values_list("full_name", flat=True)),
        strict=False,
        hint=hint or _("Xã, phường hiện nay; mã hoặc tên xã cũ (trước 01/7/2025) cũng được nhận."),
    )


class VNIntegerWidget(widgets.Widget):
    """Whole numbers as Vietnamese spreadsheets write them: 12.345 / 12,345 / 12 345 / 12345.0.

    import-export's IntegerWidget reads "12.345" as 12 — silently wrong for a population figure,
    so grouping separators are recognised and anything else that is not whole is refused.
    """

    def __init__(self, *, minimum: int | None = 0, label: str = ""):
        super().__init__()
        self.minimum = minimum
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ValueError(_("Giá trị phải là số nguyên."))
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise ValueError(_("Giá trị phải là số nguyên, không có phần thập phân."))
            number = int(value)
        else:
            text = str(value).strip()
            if _GROUPED.match(text):
                text = re.sub(r"[.,\s]", "", text)
            try:
                dec = Decimal(text)
            except InvalidOperation as exc:
                raise ValueError(_("“%(value)s” không phải là số nguyên.") % {"value": value}) from exc
            if dec != dec.to_integral_value():
                raise ValueError(_("Giá trị phải là số nguyên, không có phần thập phân."))
            number = int(dec)
        if self.minimum is not None and number < self.minimum:
            raise ValueError(_("Giá trị phải từ %(min)s trở lên.") % {"min": self.minimum})
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class ScopedResource(resources.ModelResource):
    """A resource bound to the importing user; rows are saved through services, never raw saves."""

    #: header text → whether the column is required; defines the template and header checks
    columns: dict[str, bool] = {}
    #: one example row for the downloadable template
    example_row: list = []
    #: a blank cell on a row matching an existing record keeps the stored value (shown on the page)
    blank_keeps_stored: bool = False

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        #: called with the number of rows done, every few hundred rows (a background import)
        self.progress = None
        self._rows_done = 0
        #: the existing records the rows match, as found before any write (see ``note_target``)
        self.targets: dict[str, dict] = {}
        #: (former unit, today's unit) → the rows naming it (see ``note_conversion``)
        self.conversions: dict[tuple[int, int], UnitConversion] = {}

    def note_conversion(self, *, row: int, old, new) -> None:
        """A row names a former unit (``old``), recorded as written, and goes to ``new``: the preview
        lists each pair once with its rows, so the officer sees what the old names become."""
        if old is None or new is None or old.valid_to is None:
            return
        key = (old.pk, new.pk)
        if key not in self.conversions:
            parent = f", {old.parent.full_name}" if old.parent_id else ""
            self.conversions[key] = UnitConversion(old=f"{old.full_name}{parent}", new=new.full_name)
        if row not in self.conversions[key].rows:
            self.conversions[key].rows.append(row)

    def note_target(self, *, row: int, label: str, objects: list, values: dict[str, Any]) -> None:
        """Record a record a row matches, before the row writes: its version(s) and a digest of each
        column's stored value. The preview's are stored with the upload; the confirmation is refused
        when any differ (a colleague saved meanwhile), so a row never overwrites an unseen edit.
        ``values``: column → the stored value(s) the column can change."""
        key = "|".join(f"{obj._meta.label_lower}:{obj.pk}" for obj in objects)
        if key in self.targets:
            return  # the first sight is the one before this import wrote anything
        self.targets[key] = {
            "row": row,
            "label": label,
            "objects": [[obj._meta.label_lower, obj.pk] for obj in objects],
            "v": [getattr(obj, "version", None) for obj in objects],
            "f": {column: target_digest(key, column, value) for column, value in values.items()},
        }

    @staticmethod
    def stored_values(obj, columns: dict[str, str]) -> dict[str, str]:
        """Column → the stored values of the model fields in ``columns`` (field → column) that it
        holds, for ``note_target``; several fields sharing a column are joined."""
        values: dict[str, str] = {}
        names = {f.name: f for f in obj._meta.concrete_fields}
        for name, column in columns.items():
            field = names.get(name)
            if field is None:
                continue
            value = getattr(obj, field.attname)
            values[column] = values.get(column, "") + "\x1f" + ("" if value is None else str(value))
        return values

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        self._rows_done += 1
        if self.progress is not None and self._rows_done % PROGRESS_EVERY == 0:
            self.progress(self._rows_done)
        return result

    def before_import_row(self, row, **kwargs):
        # The id fields are cleaned while looking up the existing row, outside import-export's
        # per-field error handling; clean them first so their errors name the column.
        errors = {}
        for name in self._meta.import_id_fields:
            field = self.fields[name]
            try:
                field.clean(row)
            except ValueError as exc:
                errors[field.attribute] = str(exc)
        if errors:
            # The row stops here: the other cells are checked now too, so the preview lists every
            # error of the row at once instead of one per upload.
            for name, field in self.fields.items():
                if name in self._meta.import_id_fields or field.readonly or not field.attribute:
                    continue
                if field.attribute in errors or field.column_name not in row:
                    continue
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = str(exc)
            raise ValidationError(errors)

    @classmethod
    def expected_headers(cls) -> list[str]:
        return list(cls.columns)

    @classmethod
    def required_headers(cls) -> list[str]:
        return [h for h, required in cls.columns.items() if required]

    def column_label(self, attribute: str) -> str:
        field = self.fields.get(attribute)
        if field is not None and field.column_name:
            return field.column_name
        for f in self.fields.values():
            if f.attribute == attribute:
                return f.column_name
        return "" if attribute == "__all__" else attribute

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        """Header → the values a column takes (its drop-down list in the template). Read when the
        template is built, so catalogues (ethnic groups, communes) come from the database."""
        return {}

    @classmethod
    def template_xlsx(cls) -> bytes:
        """The import template: the data sheet (headers only: no person, real or realistic, sits
        where the importer reads), a drop-down list on every coded column, the allowed values,
        the instructions and a clearly marked example on sheets of their own."""
        import openpyxl
        from django.conf import settings
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter, quote_sheetname
        from openpyxl.worksheet.datavalidation import DataValidation

        headers = cls.expected_headers()
        coded = {h: c for h, c in cls.coded_columns().items() if h in headers and c.values}
        bold = Font(bold=True)
        wb = openpyxl.Workbook()
        data = wb.active
        data.title = DATA_SHEET
        data.append(headers)
        for cell in data[1]:
            cell.font = bold
        data.freeze_panes = "A2"
        for idx, header in enumerate(headers, start=1):
            data.column_dimensions[get_column_letter(idx)].width = max(14, len(header) + 4)

        guide = wb.create_sheet(GUIDE_SHEET)
        guide.append([_("Cách dùng tệp mẫu")])
        guide["A1"].font = bold
        guide.append(
            [_("Nhập mỗi người, mỗi bản ghi một dòng trên trang “%(s)s”, bắt đầu từ dòng 2.") % {"s": DATA_SHEET}]
        )
        guide.append([_("Chỉ trang “%(s)s” được nhập; các trang khác chỉ để tham khảo.") % {"s": DATA_SHEET}])
        guide.append([_("Cột bắt buộc: %(c)s.") % {"c": ", ".join(cls.required_headers())}])
        if coded:
            guide.append(
                [
                    _("Các cột có danh sách chọn (%(c)s): bấm vào ô rồi chọn; danh sách đầy đủ ở trang “%(s)s”.")
                    % {"c": ", ".join(coded), "s": LISTS_SHEET}
                ]
            )
        if cls.blank_keeps_stored:
            guide.append(
                [
                    _(
                        "Ô để trống không xóa dữ liệu: khi một dòng trùng với bản ghi đã có, các ô trống giữ "
                        "nguyên giá trị đã lưu. Muốn xóa một thông tin, hãy sửa trực tiếp trên bản ghi."
                    )
                ]
            )
        guide.column_dimensions["A"].width = 120

        if cls.example_row:
            example = wb.create_sheet(EXAMPLE_SHEET)
            example.append([_("VÍ DỤ — dòng minh họa cách ghi, không phải dữ liệu thật và không được nhập.")])
            example["A1"].font = Font(bold=True, color="9C0006")
            example.append(headers)
            for cell in example[2]:
                cell.font = bold
            example.append(list(cls.example_row))
            for cell in example[3]:
                cell.fill = PatternFill("solid", fgColor="FFF2CC")
            for idx, header in enumerate(headers, start=1):
                example.column_dimensions[get_column_letter(idx)].width = max(14, len(header) + 4)

        if coded:
            lists = wb.create_sheet(LISTS_SHEET)
            last_row = settings.IMPORT_MAX_ROWS + 1
            for list_idx, (header, column) in enumerate(coded.items(), start=1):
                letter = get_column_letter(list_idx)
                lists.cell(row=1, column=list_idx, value=header).font = bold
                for row_idx, value in enumerate(column.values, start=2):
                    lists.cell(row=row_idx, column=list_idx, value=value)
                lists.column_dimensions[letter].width = max(18, len(header) + 4, *(len(v) + 2 for v in column.values))
                source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(column.values) + 1}"
                # A strict list refuses other text; a lenient one (names with aliases, former
                # communes, several values in one cell) warns and lets the importer decide.
                validation = DataValidation(
                    type="list",
                    formula1=source,
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="stop" if column.strict else "warning",
                    errorTitle=header,
                    error=column.hint
                    or _("Hãy chọn một giá trị trong danh sách (trang “%(s)s”).") % {"s": LISTS_SHEET},
                )
                target = get_column_letter(headers.index(header) + 1)
                validation.add(f"{target}2:{target}{last_row}")
                data.add_data_validation(validation)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
