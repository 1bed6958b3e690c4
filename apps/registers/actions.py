"""Audit action codes of the registers (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

HOTSPOT_CREATE = "registers.hotspot.create"
HOTSPOT_UPDATE = "registers.hotspot.update"
HOTSPOT_STATUS = "registers.hotspot.status"
HOTSPOT_IMPORT = "registers.hotspot.import"
HOTSPOT_EXPORT = "registers.hotspot.export"
CRIMECASE_CREATE = "registers.crimecase.create"
CRIMECASE_UPDATE = "registers.crimecase.update"
CRIMECASE_VIEW = "registers.crimecase.view"
CRIMECASE_IMPORT = "registers.crimecase.import"
CRIMECASE_EXPORT = "registers.crimecase.export"
CULTIVATION_CREATE = "registers.cultivation.create"
CULTIVATION_UPDATE = "registers.cultivation.update"
CULTIVATION_IMPORT = "registers.cultivation.import"
CULTIVATION_EXPORT = "registers.cultivation.export"

LABELS = {
    HOTSPOT_CREATE: _("Thêm điểm, tụ điểm"),
    HOTSPOT_UPDATE: _("Sửa điểm, tụ điểm"),
    HOTSPOT_STATUS: _("Chuyển tình trạng điểm, tụ điểm"),
    HOTSPOT_IMPORT: _("Nhập điểm, tụ điểm từ tệp"),
    HOTSPOT_EXPORT: _("Xuất danh sách điểm, tụ điểm"),
    CRIMECASE_CREATE: _("Thêm vụ án về ma túy"),
    CRIMECASE_UPDATE: _("Sửa vụ án về ma túy"),
    CRIMECASE_VIEW: _("Xem vụ án có đối tượng bị bắt"),
    CRIMECASE_IMPORT: _("Nhập vụ án về ma túy từ tệp"),
    CRIMECASE_EXPORT: _("Xuất danh sách vụ án về ma túy"),
    CULTIVATION_CREATE: _("Thêm vụ phát hiện trồng cây có chứa chất ma túy"),
    CULTIVATION_UPDATE: _("Sửa vụ phát hiện trồng cây có chứa chất ma túy"),
    CULTIVATION_IMPORT: _("Nhập số liệu trồng cây từ tệp"),
    CULTIVATION_EXPORT: _("Xuất số liệu trồng cây"),
}
