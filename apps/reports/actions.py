"""Audit action codes of the reports (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.codes import CodeLabels

LABELS = CodeLabels()

HEADER_CREATE = LABELS.add("reports.reportheaderconfig.create", _("Khai báo thể thức báo cáo của đơn vị"))
HEADER_UPDATE = LABELS.add("reports.reportheaderconfig.update", _("Sửa thể thức báo cáo của đơn vị"))
REPORT_ISSUE = LABELS.add("reports.issuedreport.issue", _("Phát hành báo cáo định kỳ"))
REPORT_GENERATED = LABELS.add("reports.issuedreport.generated", _("Tạo xong tệp báo cáo"))
REPORT_FAILED = LABELS.add("reports.issuedreport.failed", _("Tạo tệp báo cáo bị lỗi"))
REPORT_DOWNLOAD = LABELS.add("reports.issuedreport.download", _("Tải báo cáo đã phát hành"))
REPORT_EXPORT = LABELS.add("reports.issuedreport.export", _("Xuất số liệu báo cáo ra Excel"))
PEOPLE_LIST_ISSUE = LABELS.add("reports.issuedreport.people_list_issue", _("In danh sách người có hồ sơ quản lý"))
PEOPLE_LIST_DOWNLOAD = LABELS.add(
    "reports.issuedreport.people_list_download", _("Tải danh sách người có hồ sơ quản lý")
)
