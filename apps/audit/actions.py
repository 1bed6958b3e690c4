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

LABELS = {
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
}


def label(code: str) -> str:
    return str(LABELS.get(code, code))
