"""Permission helpers shared by the reports tests and the browser journey."""

from django.contrib.auth.models import Group, Permission


def grant_report_permissions() -> None:
    """The reports permissions, and those of apps.reporting whose figures the reports read."""
    from apps.reporting.permissions import ROLE_PERMISSIONS as REPORTING
    from apps.reports.permissions import ROLE_PERMISSIONS as REPORTS

    for permissions in (REPORTS, REPORTING):
        for role, names in permissions.items():
            group = Group.objects.get(name=role)
            for name in names:
                app_label, codename = name.split(".", 1)
                group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


def grant_people_list(user) -> None:
    user.user_permissions.add(Permission.objects.get(content_type__app_label="reports", codename="view_people_list"))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
