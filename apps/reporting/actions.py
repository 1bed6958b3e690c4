"""Audit action codes of reporting (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.codes import CodeLabels

LABELS = CodeLabels()

SUBMISSION_SUBMIT = LABELS.add("reporting.submission.submit", _("Nộp số liệu kỳ báo cáo"))
SUBMISSION_RETURN = LABELS.add("reporting.submission.return", _("Trả lại số liệu kỳ báo cáo (có lý do)"))
SUBMISSION_APPROVE = LABELS.add("reporting.submission.approve", _("Phê duyệt và khóa số liệu kỳ báo cáo"))
SUBMISSION_REOPEN = LABELS.add("reporting.submission.reopen", _("Mở lại kỳ báo cáo đã khóa (có lý do)"))
PERIODS_GENERATE = LABELS.add("reporting.reportingperiod.generate", _("Tạo các kỳ báo cáo của năm"))
SETTINGS_UPDATE = LABELS.add("reporting.reportingsettings.update", _("Sửa cấu hình kỳ báo cáo"))
