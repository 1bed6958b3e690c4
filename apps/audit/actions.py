"""Audit action codes (``<app>.<model>.<verb>``) with their Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

LOGIN = "accounts.user.login"
LOGIN_FAILED = "accounts.user.login_failed"
LOGOUT = "accounts.user.logout"
LOCKED_OUT = "accounts.user.locked_out"
PASSWORD_CHANGE = "accounts.user.password_change"  # noqa: S105 - an action code, not a secret
USER_CREATE = "accounts.user.create"
USER_UPDATE = "accounts.user.update"

UNIT_VIEW = "areas.administrativeunit.view"
POPULATION_SET = "areas.unitpopulation.set"
POPULATION_IMPORT = "areas.unitpopulation.import"
UNITS_LOAD = "areas.administrativeunit.load"

# Reads of personal data (issue 11 §5): one entry per page view; codes end in a read verb.
CASE_LIST_VIEW = "cases.casefile.list.view"
CASE_EDIT_VIEW = "cases.casefile.edit.view"
CASE_ADMIN_LIST_VIEW = "cases.casefile.admin_list.view"
CASE_ADMIN_VIEW = "cases.casefile.admin.view"
DUPLICATES_VIEW = "cases.person.duplicates.view"
#: a duplicate check that tells whether a person has a file, possibly in another commune (§4)
PERSON_LOOKUP = "cases.person.lookup.view"
IMPORT_PREVIEW = "core.import.preview.view"

CASE_LABELS = {
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
    CASE_LIST_VIEW: _("Xem, tìm danh sách hồ sơ"),
    CASE_EDIT_VIEW: _("Mở hồ sơ để sửa"),
    CASE_ADMIN_LIST_VIEW: _("Xem danh sách hồ sơ (trang quản trị)"),
    CASE_ADMIN_VIEW: _("Xem hồ sơ (trang quản trị)"),
    DUPLICATES_VIEW: _("Xem danh sách nghi trùng người"),
    PERSON_LOOKUP: _("Tra cứu trùng người"),
}

LABELS = {
    **CASE_LABELS,
    LOGIN: _("Đăng nhập"),
    LOGIN_FAILED: _("Đăng nhập thất bại"),
    LOGOUT: _("Đăng xuất"),
    LOCKED_OUT: _("Khóa tài khoản tạm thời"),
    PASSWORD_CHANGE: _("Đổi mật khẩu"),
    USER_CREATE: _("Tạo tài khoản"),
    USER_UPDATE: _("Cập nhật tài khoản"),
    UNIT_VIEW: _("Xem đơn vị"),
    POPULATION_SET: _("Cập nhật dân số"),
    POPULATION_IMPORT: _("Nhập dân số từ tệp"),
    UNITS_LOAD: _("Nạp danh mục đơn vị hành chính"),
    IMPORT_PREVIEW: _("Xem trước tệp nhập"),
}


def label(code: str) -> str:
    return str(LABELS.get(code, code))


def _register_app_labels() -> None:
    # Apps keep their own action labels next to their code; merged here for the log and its filter.
    from apps.classification.actions import LABELS as classification_labels
    from apps.prevention.actions import LABELS as prevention_labels
    from apps.registers.actions import LABELS as registers_labels
    from apps.reporting.actions import LABELS as reporting_labels
    from apps.reports.actions import LABELS as reports_labels

    LABELS.update(registers_labels)
    LABELS.update(classification_labels)
    LABELS.update(prevention_labels)
    LABELS.update(reporting_labels)
    LABELS.update(reports_labels)


_register_app_labels()
