"""Audit action codes of the registers (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.codes import CodeLabels

LABELS = CodeLabels()

HOTSPOT_CREATE = LABELS.add("registers.hotspot.create", _("Thêm điểm, tụ điểm"))
HOTSPOT_UPDATE = LABELS.add("registers.hotspot.update", _("Sửa điểm, tụ điểm"))
HOTSPOT_STATUS = LABELS.add("registers.hotspot.status", _("Chuyển tình trạng điểm, tụ điểm"))
HOTSPOT_IMPORT = LABELS.add("registers.hotspot.import", _("Nhập điểm, tụ điểm từ tệp"))
HOTSPOT_EXPORT = LABELS.add("registers.hotspot.export", _("Xuất danh sách điểm, tụ điểm"))
CRIMECASE_CREATE = LABELS.add("registers.crimecase.create", _("Thêm vụ án về ma túy"))
CRIMECASE_UPDATE = LABELS.add("registers.crimecase.update", _("Sửa vụ án về ma túy"))
CRIMECASE_VIEW = LABELS.add("registers.crimecase.view", _("Xem vụ án có đối tượng bị bắt"))
CRIMECASE_IMPORT = LABELS.add("registers.crimecase.import", _("Nhập vụ án về ma túy từ tệp"))
CRIMECASE_EXPORT = LABELS.add("registers.crimecase.export", _("Xuất danh sách vụ án về ma túy"))
CULTIVATION_CREATE = LABELS.add("registers.cultivation.create", _("Thêm vụ phát hiện trồng cây có chứa chất ma túy"))
CULTIVATION_UPDATE = LABELS.add("registers.cultivation.update", _("Sửa vụ phát hiện trồng cây có chứa chất ma túy"))
CULTIVATION_IMPORT = LABELS.add("registers.cultivation.import", _("Nhập số liệu trồng cây từ tệp"))
CULTIVATION_EXPORT = LABELS.add("registers.cultivation.export", _("Xuất số liệu trồng cây"))
