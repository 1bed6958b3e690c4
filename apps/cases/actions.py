"""Audit action codes of the case files (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename. The labels
are added to ``apps.audit.actions.LABELS`` from ``CasesConfig.ready()``; the codes of reads of
personal data live in ``apps.audit.actions`` (the audit digest reads them).
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "cases.casefile.create": _("Lập hồ sơ"),
    "cases.casefile.update": _("Sửa hồ sơ"),
    "cases.casefile.view": _("Xem hồ sơ"),
    "cases.casefile.transition": _("Chuyển tình trạng"),
    "cases.casefile.transfer": _("Chuyển hồ sơ đi xã khác"),
    "cases.casefile.transfer_in": _("Nhận hồ sơ từ xã khác"),
    "cases.casefile.import": _("Nhập hồ sơ từ tệp"),
    "cases.casefile.export": _("Xuất danh sách hồ sơ"),
    "cases.casefile.event_home_visit": _("Ghi thăm gặp"),
    "cases.casefile.event_note": _("Ghi chú"),
    "cases.casefile.event_violation": _("Ghi vi phạm"),
    "cases.casefile.event_relapse": _("Ghi tái sử dụng"),
    "cases.casefile.event_whereabouts": _("Đổi nơi ở hiện nay"),
    "cases.casefile.event_void": _("Hủy mục diễn biến ghi nhầm"),
    "cases.casefile.event_correct": _("Sửa mục diễn biến ghi nhầm"),
    "cases.person.merge": _("Gộp người trùng"),
    "cases.person.unmerge": _("Hoàn tác gộp"),
    "cases.person.distinct": _("Xác nhận hai người khác nhau"),
    "cases.person.update": _("Sửa thông tin người"),
}
