"""Audit action codes of reporting (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

SUBMISSION_SUBMIT = "reporting.submission.submit"
SUBMISSION_RETURN = "reporting.submission.return"
SUBMISSION_APPROVE = "reporting.submission.approve"
SUBMISSION_REOPEN = "reporting.submission.reopen"
PERIODS_GENERATE = "reporting.reportingperiod.generate"
SETTINGS_UPDATE = "reporting.reportingsettings.update"

LABELS = {
    SUBMISSION_SUBMIT: _("Nộp số liệu kỳ báo cáo"),
    SUBMISSION_RETURN: _("Trả lại số liệu kỳ báo cáo (có lý do)"),
    SUBMISSION_APPROVE: _("Phê duyệt và khóa số liệu kỳ báo cáo"),
    SUBMISSION_REOPEN: _("Mở lại kỳ báo cáo đã khóa (có lý do)"),
    PERIODS_GENERATE: _("Tạo các kỳ báo cáo của năm"),
    SETTINGS_UPDATE: _("Sửa cấu hình kỳ báo cáo"),
}
