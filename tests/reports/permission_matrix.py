"""Permission-matrix entries of the reports URLs (collected by tests/permission_matrix.py). Reports
are issued through the services by a superuser.
"""

from __future__ import annotations

from tests.permission_matrix import ScopedURL, matrix_root


def _report(world, commune):
    """A commune report, issued (and generated within the request) by a superuser."""
    from apps.reports.models import IssuedReport
    from tests.factories.reports import issued_report

    existing = IssuedReport.objects.filter(unit=commune, kind="periodic").first()
    return existing or issued_report(matrix_root(), commune)


def _report_pk(world, commune):
    return {"pk": _report(world, commune).pk}


def _unit_pk(world, commune):
    return {"unit_pk": commune.pk}


SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("reports:index", "commune_officer"),
    ScopedURL("reports:draft", "commune_officer", kwargs=_unit_pk),
    ScopedURL("reports:archive", "steering_member"),
    ScopedURL("reports:progress", "steering_member", kwargs=_report_pk),
    ScopedURL("reports:download", "steering_member", kwargs=_report_pk),
    ScopedURL("reports:export_xlsx", "steering_member", kwargs=_report_pk),
    # No role holds reports.view_people_list (granted account by account): the role alone gets 403.
    # Reading it with the permission, in and out of scope, is tested in tests/reports/test_views.py.
    ScopedURL("reports:people_list", "province_staff", expect_ok=403),
    ScopedURL("reports:header_list", "province_staff"),
    ScopedURL("reports:header_edit", "province_staff", kwargs=_unit_pk),
]
