"""Permissions this app adds to each role, added to ``apps.accounts.roles`` from
``ReportsConfig.ready()`` (the one place they are written).

``reports.view_people_list`` (a list of named people) belongs to no role: an administrator
grants it to named accounts, and it still only covers the account's own area.
"""

_READ = ["reports.view_issuedreport", "reports.export_issuedreport"]
_ISSUE = [*_READ, "reports.issue_issuedreport"]
_HEADERS = [
    "reports.view_reportheaderconfig",
    "reports.add_reportheaderconfig",
    "reports.change_reportheaderconfig",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Issues their own commune's report and reads its archive.
    "commune_officer": [*_ISSUE],
    # Reads the reports of their unit (aggregates only).
    "steering_member": [*_READ],
    # Issues the province's and any commune's reports; maintains every unit's header.
    "province_staff": [*_ISSUE, *_HEADERS],
    "administrator": [*_ISSUE, *_HEADERS],
}
