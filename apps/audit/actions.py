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

# Reads of personal data (issue 11 §5): one entry per page view; codes end in a read verb. They
# stay here because the audit digest reads them (the apps' write codes are in their actions.py).
CASE_LIST_VIEW = "cases.casefile.list.view"
CASE_EDIT_VIEW = "cases.casefile.edit.view"
CASE_ADMIN_LIST_VIEW = "cases.casefile.admin_list.view"
CASE_ADMIN_VIEW = "cases.casefile.admin.view"
DUPLICATES_VIEW = "cases.person.duplicates.view"
#: a duplicate check that tells whether a person has a file, possibly in another commune (§4)
PERSON_LOOKUP = "cases.person.lookup.view"
IMPORT_PREVIEW = "core.import.preview.view"

#: every code's label: the foundation's own here, each app's added from its AppConfig.ready()
#: through ``register_labels`` (the way Wagtail's log-action registry is filled by hooks)
LABELS = {
    CASE_LIST_VIEW: _("Xem, tìm danh sách hồ sơ"),
    CASE_EDIT_VIEW: _("Mở hồ sơ để sửa"),
    CASE_ADMIN_LIST_VIEW: _("Xem danh sách hồ sơ (trang quản trị)"),
    CASE_ADMIN_VIEW: _("Xem hồ sơ (trang quản trị)"),
    DUPLICATES_VIEW: _("Xem danh sách nghi trùng người"),
    PERSON_LOOKUP: _("Tra cứu trùng người"),
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
    "accounts.user.roles_change": _("Thay đổi vai trò, quyền của tài khoản"),
    "auth.group.permissions_change": _("Thay đổi quyền của vai trò"),
}


def label(code: str) -> str:
    return str(LABELS.get(code, code))


def register_labels(labels: dict[str, str]) -> None:
    """Add an app's action labels (called from its ``AppConfig.ready()``); codes never change meaning."""
    LABELS.update(labels)
