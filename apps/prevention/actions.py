"""Audit action codes of the prevention app (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
``LABELS`` is added to ``apps.audit.actions.LABELS`` from ``PreventionConfig.ready()``.
"""

from django.utils.translation import gettext_lazy as _

ACTIVITY_CREATE = "prevention.activity.create"
ACTIVITY_UPDATE = "prevention.activity.update"
ACTIVITY_REACH = "prevention.activity.reach"
ACTIVITY_ATTACH = "prevention.activity.attach"
ACTIVITY_IMPORT = "prevention.activity.import"
ACTIVITY_REACH_IMPORT = "prevention.activity.reach_import"
ACTIVITY_EXPORT = "prevention.activity.export"
HIGHRISK_CREATE = "prevention.highriskperson.create"
HIGHRISK_UPDATE = "prevention.highriskperson.update"
HIGHRISK_SYNC = "prevention.highriskperson.sync"
HIGHRISK_EXPORT = "prevention.highriskperson.export"
TRAINING_CREATE = "prevention.training.create"
TRAINING_UPDATE = "prevention.training.update"
TRAINING_EXPORT = "prevention.training.export"
MODELPOINT_CREATE = "prevention.modelpoint.create"
MODELPOINT_UPDATE = "prevention.modelpoint.update"
MODELPOINT_EVALUATE = "prevention.modelpoint.evaluate"
MODELPOINT_EXPORT = "prevention.modelpoint.export"
TIPOFF_CREATE = "prevention.tipoff.create"
TIPOFF_UPDATE = "prevention.tipoff.update"
TIPOFF_EXPORT = "prevention.tipoff.export"
INFORMANT_SET = "prevention.informant.set"
INFORMANT_VIEW = "prevention.informant.view"
# Reads of personal data (issue 11 §5): one entry per page view or download.
HIGHRISK_VIEW = "prevention.highriskperson.view"
HIGHRISK_LIST_VIEW = "prevention.highriskperson.list.view"
ATTACHMENT_DOWNLOAD = "prevention.activityattachment.download"

LABELS = {
    ACTIVITY_CREATE: _("Thêm hoạt động tuyên truyền"),
    ACTIVITY_UPDATE: _("Sửa hoạt động tuyên truyền"),
    ACTIVITY_REACH: _("Ghi người nguy cơ cao được tiếp cận"),
    ACTIVITY_ATTACH: _("Đính kèm tệp vào hoạt động tuyên truyền"),
    ACTIVITY_IMPORT: _("Nhập hoạt động tuyên truyền từ tệp"),
    ACTIVITY_REACH_IMPORT: _("Nhập danh sách người được tiếp cận từ tệp"),
    ACTIVITY_EXPORT: _("Xuất danh sách hoạt động tuyên truyền"),
    HIGHRISK_CREATE: _("Thêm người vào sổ nhóm nguy cơ cao"),
    HIGHRISK_UPDATE: _("Sửa sổ nhóm nguy cơ cao"),
    HIGHRISK_SYNC: _("Cập nhật sổ nguy cơ cao từ hồ sơ quản lý"),
    HIGHRISK_EXPORT: _("Xuất sổ nhóm nguy cơ cao"),
    TRAINING_CREATE: _("Thêm lớp tập huấn"),
    TRAINING_UPDATE: _("Sửa lớp tập huấn"),
    TRAINING_EXPORT: _("Xuất danh sách tập huấn"),
    MODELPOINT_CREATE: _("Thêm mô hình điểm"),
    MODELPOINT_UPDATE: _("Sửa mô hình điểm"),
    MODELPOINT_EVALUATE: _("Đánh giá mô hình điểm"),
    MODELPOINT_EXPORT: _("Xuất danh sách mô hình điểm"),
    TIPOFF_CREATE: _("Tiếp nhận tin báo, tố giác"),
    TIPOFF_UPDATE: _("Cập nhật xử lý tin báo"),
    TIPOFF_EXPORT: _("Xuất danh sách tin báo"),
    INFORMANT_SET: _("Ghi thông tin người báo tin"),
    INFORMANT_VIEW: _("Xem thông tin người báo tin"),
    HIGHRISK_VIEW: _("Xem người trong sổ nhóm nguy cơ cao"),
    HIGHRISK_LIST_VIEW: _("Xem, tìm sổ nhóm nguy cơ cao"),
    ATTACHMENT_DOWNLOAD: _("Tải tệp đính kèm hoạt động"),
}
