"""The reporting permissions each role holds, added to ``apps.accounts.roles`` from
``ReportingConfig.ready()`` (the one place they are written).
"""

_READ = [
    "reporting.view_dashboard",
    "reporting.view_reportingperiod",
    "reporting.view_submission",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Their commune's dashboard and status; they submit its figures.
    "commune_officer": [*_READ, "reporting.submit_submission"],
    # Dashboards and the status board of their unit: aggregates only.
    "steering_member": [*_READ],
    # Every commune: review (return, approve) and reopen with a reason.
    "province_staff": [*_READ, "reporting.review_submission"],
    # Plus the reporting calendar (start day of the data window, deadline) in the admin.
    "administrator": [
        *_READ,
        "reporting.review_submission",
        "reporting.view_reportingsettings",
        "reporting.change_reportingsettings",
        "reporting.add_reportingsettings",
    ],
}
