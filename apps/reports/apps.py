from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        from apps.core.registry import NavEntry, register_app

        from . import actions, home, permissions

        register_app(
            self.label,
            labels=actions.LABELS,
            role_permissions=permissions.ROLE_PERMISSIONS,
            nav=(NavEntry("reports", 70, _nav, active_prefix="/reports/"),),
            home_queues=((30, home.running_queues),),
        )


def _nav(user):
    if not user.has_perm("reports.view_issuedreport"):
        return None
    # those who only read the archive land on it; those who issue, on the index
    url = reverse("reports:index") if user.has_perm("reports.issue_issuedreport") else reverse("reports:archive")
    return _("Báo cáo"), url
