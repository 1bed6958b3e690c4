"""Audit action codes of classification (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

RULESET_CREATE = "classification.ruleset.create"
RULESET_IMPORT = "classification.ruleset.import"
RULESET_REPLACE = "classification.ruleset.replace"
KEYROUTE_CREATE = "classification.keyroute.create"
KEYROUTE_UPDATE = "classification.keyroute.update"
KEYROUTE_DELETE = "classification.keyroute.delete"
ASSESSMENT_RUN = "classification.assessment.run"
ASSESSMENT_APPROVE = "classification.assessment.approve"
ASSESSMENT_SUPERSEDE = "classification.assessment.supersede"
RESULT_OVERRIDE = "classification.assessmentresult.override"

LABELS = {
    RULESET_CREATE: _("Nạp bộ tiêu chí phân loại"),
    RULESET_IMPORT: _("Nhập bộ tiêu chí phân loại từ tệp"),
    RULESET_REPLACE: _("Thay thế bộ tiêu chí phân loại (phiên bản mới)"),
    KEYROUTE_CREATE: _("Thêm tuyến trọng điểm"),
    KEYROUTE_UPDATE: _("Sửa tuyến trọng điểm"),
    KEYROUTE_DELETE: _("Xóa tuyến trọng điểm"),
    ASSESSMENT_RUN: _("Chạy phân loại địa bàn"),
    ASSESSMENT_APPROVE: _("Phê duyệt kết quả phân loại địa bàn"),
    ASSESSMENT_SUPERSEDE: _("Kết quả phân loại được thay thế"),
    RESULT_OVERRIDE: _("Điều chỉnh loại của xã"),
}
