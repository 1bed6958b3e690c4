"""Spreadsheet import of the register of illegal cultivation finds."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.exports import day
from apps.core.resources import CodedColumn, choice_column
from apps.core.text import normalize

from .. import actions
from ..choices import PlantSpecies
from ..models import Cultivation
from ..services import cultivation as cultivation_services
from .base import (
    COL_COMMUNE,
    COL_NOTES,
    COL_NUMBER,
    COL_UNIT,
    COL_VILLAGE,
    ParsedRow,
    RegisterResource,
    units_as_written,
)
from .parsing import parse_bool

COL_FOUND = "Ngày phát hiện"
COL_SPECIES = "Loại cây"
COL_PLANTS = "Số cây"
COL_AREA = "Diện tích (m²)"
COL_DESTROYED = "Đã triệt phá"


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
    create_service = cultivation_services.cultivation_create
    update_service = cultivation_services.cultivation_update
    record_arg = "cultivation"
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

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            **super().coded_columns(),
            COL_SPECIES: choice_column(PlantSpecies),
            COL_DESTROYED: CodedColumn([_("Có"), _("Không")]),
        }

    export_action = actions.CULTIVATION_EXPORT
    export_stem = "trong-cay-ma-tuy"

    @staticmethod
    def export_row(c) -> list:
        written, current = units_as_written(c)
        return [
            c.number,
            written,
            current,
            day(c.found_on),
            c.get_species_display(),
            c.plants,
            c.area_m2,
            "Có" if c.destroyed else "Không",
            c.village,
            c.notes,
        ]

    class Meta(RegisterResource.Meta):
        model = Cultivation

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
        data = cultivation_services.CultivationInput(
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
            ("plants", "area_m2", "destroyed", "village", "notes"),
        )
        return ParsedRow(number, existing, data)

    def _match(self, ref: str, commune, found, species, village) -> Cultivation | None:
        qs = self.editable(Cultivation)
        if ref:
            return self.by_number(
                qs, ref, _("Không có số hiệu “%(n)s” trong phạm vi được giao. Để thêm mới, bỏ trống cột này.")
            )
        key = normalize(village)
        matches = [
            c for c in qs.filter(commune=commune, found_on=found, species=species) if normalize(c.village) == key
        ]
        return self.one_of(matches, _("Có nhiều bản ghi trùng ngày, loại cây và thôn: hãy ghi số hiệu."))
