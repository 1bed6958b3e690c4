"""Audit action codes of the reports (``<app>.<model>.<verb>``), with Vietnamese labels.

Codes are stored in the log, so they never change meaning; add new ones, never rename.
"""

from django.utils.translation import gettext_lazy as _

HEADER_CREATE = "reports.reportheaderconfig.create"
HEADER_UPDATE = "reports.reportheaderconfig.update"
REPORT_ISSUE = "reports.issuedreport.issue"
REPORT_GENERATED = "reports.issuedreport.generated"
REPORT_FAILED = "reports.issuedreport.failed"
REPORT_DOWNLOAD = "reports.issuedreport.download"
REPORT_EXPORT = "reports.issuedreport.export"
PEOPLE_LIST_ISSUE = "reports.issuedreport.people_list_issue"
PEOPLE_LIST_DOWNLOAD = "reports.issuedreport.people_list_download"

LABELS = {
    HEADER_CREATE: _("Khai báo thể thức báo cáo của đơn vị"),
    HEADER_UPDATE: _("Sửa thể thức báo cáo của đơn vị"),
    REPORT_ISSUE: _("Phát hành báo cáo định kỳ"),
    REPORT_GENERATED: _("Tạo xong tệp báo cáo"),
    REPORT_FAILED: _("Tạo tệp báo cáo bị lỗi"),
    REPORT_DOWNLOAD: _("Tải báo cáo đã phát hành"),
    REPORT_EXPORT: _("Xuất số liệu báo cáo ra Excel"),
    PEOPLE_LIST_ISSUE: _("In danh sách người có hồ sơ quản lý"),
    PEOPLE_LIST_DOWNLOAD: _("Tải danh sách người có hồ sơ quản lý"),
}
