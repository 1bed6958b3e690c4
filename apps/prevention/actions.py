"""Audit action codes of the prevention app (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
``LABELS`` is added to ``apps.audit.actions.LABELS`` from ``PreventionConfig.ready()``.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.codes import CodeLabels

LABELS = CodeLabels()

ACTIVITY_CREATE = LABELS.add("prevention.activity.create", _("Thêm hoạt động tuyên truyền"))
ACTIVITY_UPDATE = LABELS.add("prevention.activity.update", _("Sửa hoạt động tuyên truyền"))
ACTIVITY_REACH = LABELS.add("prevention.activity.reach", _("Ghi người nguy cơ cao được tiếp cận"))
ACTIVITY_ATTACH = LABELS.add("prevention.activity.attach", _("Đính kèm tệp vào hoạt động tuyên truyền"))
ACTIVITY_IMPORT = LABELS.add("prevention.activity.import", _("Nhập hoạt động tuyên truyền từ tệp"))
ACTIVITY_REACH_IMPORT = LABELS.add("prevention.activity.reach_import", _("Nhập danh sách người được tiếp cận từ tệp"))
ACTIVITY_EXPORT = LABELS.add("prevention.activity.export", _("Xuất danh sách hoạt động tuyên truyền"))
HIGHRISK_CREATE = LABELS.add("prevention.highriskperson.create", _("Thêm người vào sổ nhóm nguy cơ cao"))
HIGHRISK_UPDATE = LABELS.add("prevention.highriskperson.update", _("Sửa sổ nhóm nguy cơ cao"))
HIGHRISK_SYNC = LABELS.add("prevention.highriskperson.sync", _("Cập nhật sổ nguy cơ cao từ hồ sơ quản lý"))
HIGHRISK_EXPORT = LABELS.add("prevention.highriskperson.export", _("Xuất sổ nhóm nguy cơ cao"))
TRAINING_CREATE = LABELS.add("prevention.training.create", _("Thêm lớp tập huấn"))
TRAINING_UPDATE = LABELS.add("prevention.training.update", _("Sửa lớp tập huấn"))
TRAINING_EXPORT = LABELS.add("prevention.training.export", _("Xuất danh sách tập huấn"))
MODELPOINT_CREATE = LABELS.add("prevention.modelpoint.create", _("Thêm mô hình điểm"))
MODELPOINT_UPDATE = LABELS.add("prevention.modelpoint.update", _("Sửa mô hình điểm"))
MODELPOINT_EVALUATE = LABELS.add("prevention.modelpoint.evaluate", _("Đánh giá mô hình điểm"))
MODELPOINT_EXPORT = LABELS.add("prevention.modelpoint.export", _("Xuất danh sách mô hình điểm"))
TIPOFF_CREATE = LABELS.add("prevention.tipoff.create", _("Tiếp nhận tin báo, tố giác"))
TIPOFF_UPDATE = LABELS.add("prevention.tipoff.update", _("Cập nhật xử lý tin báo"))
TIPOFF_EXPORT = LABELS.add("prevention.tipoff.export", _("Xuất danh sách tin báo"))
INFORMANT_SET = LABELS.add("prevention.informant.set", _("Ghi thông tin người báo tin"))
INFORMANT_VIEW = LABELS.add("prevention.informant.view", _("Xem thông tin người báo tin"))
# Reads of personal data (issue 11 §5): one entry per page view or download.
HIGHRISK_VIEW = LABELS.add("prevention.highriskperson.view", _("Xem người trong sổ nhóm nguy cơ cao"))
HIGHRISK_LIST_VIEW = LABELS.add("prevention.highriskperson.list.view", _("Xem, tìm sổ nhóm nguy cơ cao"))
ATTACHMENT_DOWNLOAD = LABELS.add("prevention.activityattachment.download", _("Tải tệp đính kèm hoạt động"))
