"""Permission helpers shared by the reports tests and the browser journey."""

from django.contrib.auth.models import Permission


def grant_report_permissions() -> None:
    """The real role definitions (tables are flushed between browser tests)."""
    from tests.factories.accounts import ensure_roles

    ensure_roles()


def grant_people_list(user) -> None:
    user.user_permissions.add(Permission.objects.get(content_type__app_label="reports", codename="view_people_list"))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
