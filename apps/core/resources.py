"""Base pieces for spreadsheet imports (django-import-export) that go through scoping and services."""

from __future__ import annotations

import io
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources, widgets

#: rows between two progress reports of a background import
PROGRESS_EVERY = 200
_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


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
    def template_xlsx(cls) -> bytes:
        """A template with the Vietnamese headers, one example row and text-formatted code columns."""
        import openpyxl
        from openpyxl.styles import Font

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Du lieu"
        ws.append(cls.expected_headers())
        for cell in ws[1]:
            cell.font = Font(bold=True)
        if cls.example_row:
            ws.append(cls.example_row)
        for idx, header in enumerate(cls.expected_headers(), start=1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(idx)].width = max(14, len(header) + 4)
        if cls.blank_keeps_stored:
            # Only the first sheet is imported; the rule for blank cells travels with the template.
            notes = wb.create_sheet("Huong dan")
            notes.append([_("Cột có dấu * trong trang nhập là bắt buộc.")])
            notes.append(
                [
                    _(
                        "Ô để trống không xóa dữ liệu: khi một dòng trùng với bản ghi đã có, các ô trống giữ "
                        "nguyên giá trị đã lưu. Muốn xóa một thông tin, hãy sửa trực tiếp trên bản ghi."
                    )
                ]
            )
            notes.column_dimensions["A"].width = 120
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
