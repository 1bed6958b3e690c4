"""Audit action codes (``<app>.<model>.<verb>``) with their Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.codes import CodeLabels

#: every code's label: the foundation's own here, each app's added from its AppConfig.ready()
#: through ``register_labels`` (the way Wagtail's log-action registry is filled by hooks); in the
#: order declared, which is the order of the audit log's action filter
LABELS = CodeLabels()

# Reads of personal data (issue 11 §5): one entry per page view; codes end in a read verb. They
# stay here because the audit digest reads them (the apps' write codes are in their actions.py).
CASE_LIST_VIEW = LABELS.add("cases.casefile.list.view", _("Xem, tìm danh sách hồ sơ"))
CASE_EDIT_VIEW = LABELS.add("cases.casefile.edit.view", _("Mở hồ sơ để sửa"))
CASE_ADMIN_LIST_VIEW = LABELS.add("cases.casefile.admin_list.view", _("Xem danh sách hồ sơ (trang quản trị)"))
CASE_ADMIN_VIEW = LABELS.add("cases.casefile.admin.view", _("Xem hồ sơ (trang quản trị)"))
DUPLICATES_VIEW = LABELS.add("cases.person.duplicates.view", _("Xem danh sách nghi trùng người"))
#: a duplicate check that tells whether a person has a file, possibly in another commune (§4)
PERSON_LOOKUP = LABELS.add("cases.person.lookup.view", _("Tra cứu trùng người"))

LOGIN = LABELS.add("accounts.user.login", _("Đăng nhập"))
LOGIN_FAILED = LABELS.add("accounts.user.login_failed", _("Đăng nhập thất bại"))
LOGOUT = LABELS.add("accounts.user.logout", _("Đăng xuất"))
LOCKED_OUT = LABELS.add("accounts.user.locked_out", _("Khóa tài khoản tạm thời"))
PASSWORD_CHANGE = LABELS.add("accounts.user.password_change", _("Đổi mật khẩu"))
USER_CREATE = LABELS.add("accounts.user.create", _("Tạo tài khoản"))
USER_UPDATE = LABELS.add("accounts.user.update", _("Cập nhật tài khoản"))

UNIT_VIEW = LABELS.add("areas.administrativeunit.view", _("Xem đơn vị"))
POPULATION_SET = LABELS.add("areas.unitpopulation.set", _("Cập nhật dân số"))
POPULATION_IMPORT = LABELS.add("areas.unitpopulation.import", _("Nhập dân số từ tệp"))
UNITS_LOAD = LABELS.add("areas.administrativeunit.load", _("Nạp danh mục đơn vị hành chính"))

# A read too (of the rows of a file being imported).
IMPORT_PREVIEW = LABELS.add("core.import.preview.view", _("Xem trước tệp nhập"))

# Written by the accounts admin (apps/accounts/admin.py) in the transaction of the change.
ROLES_CHANGE = LABELS.add("accounts.user.roles_change", _("Thay đổi vai trò, quyền của tài khoản"))
GROUP_PERMISSIONS_CHANGE = LABELS.add("auth.group.permissions_change", _("Thay đổi quyền của vai trò"))


def label(code: str) -> str:
    return str(LABELS.get(code, code))


def register_labels(labels: dict[str, str]) -> None:
    """Add an app's action labels (called from its ``AppConfig.ready()``); codes never change
    meaning, so a code another app already declared with another label is refused, as
    ``CodeLabels.add`` refuses it within one app."""
    for code, text in labels.items():
        if code in LABELS and LABELS[code] != text:
            raise ValueError(f"audit action {code!r} is declared twice")
        LABELS[code] = text
