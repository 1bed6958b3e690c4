from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from apps.core import scoping
from apps.core.resources import CodedColumn, ScopedResource, VNIntegerWidget

from .models import AdministrativeUnit, UnitPopulation
from .selectors import UnitResolutionError, resolve_current_unit, resolve_unit
from .services import population_set

COL_CODE = "Mã đơn vị"
COL_NAME = "Tên đơn vị"
COL_YEAR = "Năm"
COL_POPULATION = "Dân số đang cư trú"
COL_SOURCE = "Nguồn số liệu"


class UnitWidget(widgets.Widget):
    """A unit given by code, or by name when the code cell is empty; former units are mapped to
    today's unit through the official conversion; only units in the importer's scope."""

    def __init__(self, user):
        super().__init__()
        self.user = user

    def clean(self, value, row=None, **kwargs):
        within = scoping.visible_to(AdministrativeUnit.objects.all(), self.user)
        text = str(value).strip() if value not in (None, "") else ""
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        try:
            if text:
                # Population is recorded on units as they are today.
                return resolve_unit(text, within=within.current(), level=None)
            name = (row or {}).get(COL_NAME)
            if not name:
                raise ValueError(_("Cần ghi mã đơn vị hoặc tên đơn vị."))
            return resolve_current_unit(str(name), within=within)
        except UnitResolutionError as exc:
            raise ValueError(exc.message) from exc

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class PopulationResource(ScopedResource):
    columns = {COL_CODE: False, COL_NAME: False, COL_YEAR: True, COL_POPULATION: True, COL_SOURCE: False}
    example_row = ["2458", "Xã Trung Sơn", 2025, 12345, "Công an xã, số liệu dân cư"]
    blank_keeps_stored = True

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        units = AdministrativeUnit.objects.current().exclude(level="country").order_by("level", "search_name")
        return {
            COL_NAME: CodedColumn(
                list(units.values_list("full_name", flat=True)),
                strict=False,
                hint=_("Tên đơn vị hiện nay (khi không ghi mã đơn vị)."),
            )
        }

    unit = fields.Field(attribute="unit", column_name=COL_CODE)
    unit_name = fields.Field(column_name=COL_NAME, readonly=True)
    year = fields.Field(attribute="year", column_name=COL_YEAR)
    population = fields.Field(attribute="population", column_name=COL_POPULATION)
    source = fields.Field(attribute="source", column_name=COL_SOURCE, widget=widgets.CharWidget())

    class Meta:
        model = UnitPopulation
        fields = ("unit", "unit_name", "year", "population", "source")
        import_id_fields = ("unit", "year")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        self.fields["unit"].widget = UnitWidget(user)
        self.fields["year"].widget = VNIntegerWidget(minimum=2000)
        self.fields["population"].widget = VNIntegerWidget(minimum=1)
        self._seen: dict[tuple[int, int], int] = {}

    def get_queryset(self):
        return scoping.visible_to(UnitPopulation.objects.all(), self.user, "view")

    def import_instance(self, instance, row, **kwargs):
        if instance.pk:
            index = kwargs.get("row_number", 1) - 1
            rows = getattr(self, "sheet_rows", None) or []
            self.note_target(
                row=rows[index] if 0 <= index < len(rows) else index + 2,
                label=_("Dân số năm %(year)s của %(unit)s") % {"year": instance.year, "unit": instance.unit},
                objects=[instance],
                values={COL_POPULATION: str(instance.population), COL_SOURCE: instance.source},
            )
        stored_source = instance.source if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if stored_source and not (instance.source or "").strip():
            # A blank optional cell on a row matching a stored figure keeps the stored value.
            instance.source = stored_source
        key = (instance.unit_id, instance.year)
        index = kwargs.get("row_number", 1) - 1
        rows = getattr(self, "sheet_rows", None) or []
        number = rows[index] if 0 <= index < len(rows) else index + 2
        if None not in key:
            if key in self._seen:
                raise ValidationError({"year": _("Trùng đơn vị và năm với dòng %(row)s.") % {"row": self._seen[key]}})
            self._seen[key] = number
        if instance.source is None:
            instance.source = ""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Uniqueness of (unit, year) is handled by updating the existing row, not by refusing.
        super().validate_instance(instance, import_validation_errors, validate_unique=False)

    def do_instance_save(self, instance, is_create):
        saved = population_set(
            actor=self.user,
            unit=instance.unit,
            year=instance.year,
            population=instance.population,
            source=instance.source or "",
        )
        instance.pk = saved.pk
