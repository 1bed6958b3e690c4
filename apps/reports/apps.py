from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        from apps.accounts.roles import register_role_permissions
        from apps.audit.actions import register_labels
        from apps.core import registry

        from . import actions, home, permissions

        register_labels(actions.LABELS)
        register_role_permissions(self.label, permissions.ROLE_PERMISSIONS)
        registry.register_nav(registry.NavEntry("reports", 70, _nav, active_prefix="/reports/"))
        registry.register_home_queue("reports", 30, home.running_queues)


def _nav(user):
    if user.has_perm("reports.view_issuedreport"):
        if user.has_perm("reports.issue_issuedreport"):
            return _("Báo cáo"), reverse("reports:index")
        return _("Báo cáo"), reverse("reports:archive")
    return None
