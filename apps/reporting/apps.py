from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "apps.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from apps.accounts.roles import register_role_permissions
        from apps.audit.actions import register_labels
        from apps.audit.services import track_area_changes
        from apps.core import registry

        from . import actions, figures, home, locks, permissions, tasks

        track_area_changes(prefixes=figures.SOURCE_ACTIONS, listener=tasks.schedule_refresh)
        register_labels(actions.LABELS)
        register_role_permissions(self.label, permissions.ROLE_PERMISSIONS)
        registry.register_bulk_write_listener("reporting.figures", figures.clear)
        # cases, registers and prevention refuse changes inside approved periods through core
        registry.register_lock_checker(
            "reporting.submissions", registry.LockChecker(ensure_unlocked=locks.ensure_unlocked, index=locks.LockIndex)
        )
        registry.register_nav(registry.NavEntry("reporting", 60, _nav))
        registry.register_home_section("reporting_tasks", home.officer_tasks)
        registry.register_home_section("key_figures", home.steering_figures)
        registry.register_home_queue("reporting", 10, home.submission_queues)


def _nav(user):
    if user.has_perm("reporting.view_dashboard"):
        return _("Thống kê"), reverse("reporting:dashboard")
    return None
