from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "apps.cases"
    label = "cases"
    verbose_name = _("Hồ sơ quản lý người sử dụng, người nghiện ma túy")

    def ready(self) -> None:
        from apps.accounts.roles import register_role_permissions
        from apps.audit.actions import register_labels
        from apps.core import registry

        from . import actions, permissions

        register_labels(actions.LABELS)
        register_role_permissions(self.label, permissions.ROLE_PERMISSIONS)
        registry.register_nav(registry.NavEntry("worklist", 10, _nav_worklist, exact=True))
        registry.register_nav(registry.NavEntry("cases", 20, _nav_cases))
        registry.register_nav(registry.NavEntry("duplicates", 40, _nav_duplicates))
        registry.register_home_section("worklist_counts", _home_worklist_counts)


def _nav_worklist(user):
    if user.has_perm("cases.view_casefile") and user.has_perm("cases.change_casefile"):
        return _("Việc cần làm"), reverse("cases:worklist")
    return None


def _nav_cases(user):
    if user.has_perm("cases.view_casefile"):
        return _("Hồ sơ"), reverse("cases:casefile_list")
    return None


def _nav_duplicates(user):
    if user.has_perm("cases.merge_person"):
        return _("Trùng người"), reverse("cases:duplicates")
    return None


def _home_worklist_counts(*, user):
    """The officer's worklist counts on the home page (officers who change files only)."""
    if not user.has_perm("cases.change_casefile"):
        return None
    from .selectors import worklist  # selectors read models: imported once the app registry is ready

    return worklist(user=user, limit=0).counts
