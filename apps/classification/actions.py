"""Audit action codes of classification (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.codes import CodeLabels

LABELS = CodeLabels()

RULESET_CREATE = LABELS.add("classification.ruleset.create", _("Nạp bộ tiêu chí phân loại"))
RULESET_IMPORT = LABELS.add("classification.ruleset.import", _("Nhập bộ tiêu chí phân loại từ tệp"))
RULESET_REPLACE = LABELS.add("classification.ruleset.replace", _("Thay thế bộ tiêu chí phân loại (phiên bản mới)"))
KEYROUTE_CREATE = LABELS.add("classification.keyroute.create", _("Thêm tuyến trọng điểm"))
KEYROUTE_UPDATE = LABELS.add("classification.keyroute.update", _("Sửa tuyến trọng điểm"))
KEYROUTE_DELETE = LABELS.add("classification.keyroute.delete", _("Xóa tuyến trọng điểm"))
ASSESSMENT_RUN = LABELS.add("classification.assessment.run", _("Chạy phân loại địa bàn"))
ASSESSMENT_APPROVE = LABELS.add("classification.assessment.approve", _("Phê duyệt kết quả phân loại địa bàn"))
ASSESSMENT_SUPERSEDE = LABELS.add("classification.assessment.supersede", _("Kết quả phân loại được thay thế"))
RESULT_OVERRIDE = LABELS.add("classification.assessmentresult.override", _("Điều chỉnh loại của xã"))
