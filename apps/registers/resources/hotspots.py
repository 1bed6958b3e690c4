"""Spreadsheet import of the hotspot register (natural key: commune + name)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from apps.core.exports import day
from apps.core.resources import CodedColumn, choice_column
from apps.core.text import normalize

from .. import actions
from ..choices import HotspotKind, HotspotStatus
from ..models import Hotspot
from ..services import hotspots as hotspot_services
from .base import COL_COMMUNE, COL_NOTES, COL_UNIT, COL_VILLAGE, ParsedRow, RegisterResource, units_as_written

COL_NAME = "Tên điểm, tụ điểm"
COL_KIND = "Loại"
COL_ADDRESS = "Địa chỉ, vị trí"
COL_LAT = "Vĩ độ"
COL_LON = "Kinh độ"
COL_DISCOVERED = "Ngày phát hiện"
COL_STATUS = "Tình trạng"
COL_STATUS_SINCE = "Tình trạng từ ngày"


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

    export_action = actions.HOTSPOT_EXPORT
    export_stem = "diem-tu-diem"

    @staticmethod
    def export_row(h) -> list:
        written, current = units_as_written(h)
        return [
            written,
            current,
            h.name,
            h.get_kind_display(),
            h.village,
            h.address,
            h.latitude,
            h.longitude,
            day(h.discovered_on),
            h.get_status_display(),
            day(h.status_since),
            h.notes,
        ]

    class Meta(RegisterResource.Meta):
        model = Hotspot

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
        data = hotspot_services.HotspotInput(
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
            ("village", "address", "latitude", "longitude", "notes"),
        )
        return ParsedRow(number, existing, data, {"status": status, "status_since": status_since})

    def create(self, parsed: ParsedRow) -> Hotspot:
        status, since = parsed.extra["status"], parsed.extra["status_since"]
        return hotspot_services.hotspot_create(
            actor=self.user, data=parsed.data, status=status or HotspotStatus.ACTIVE, status_since=since
        )

    def update(self, parsed: ParsedRow) -> Hotspot:
        status, since = parsed.extra["status"], parsed.extra["status_since"]
        hotspot = hotspot_services.hotspot_update(actor=self.user, hotspot=parsed.existing, data=parsed.data)
        if status and status != hotspot.status:
            hotspot_services.hotspot_change_status(
                actor=self.user, hotspot=hotspot, to_status=status, changed_on=since, reason=_("Nhập từ tệp")
            )
            hotspot.refresh_from_db(fields=["version"])
        return hotspot
