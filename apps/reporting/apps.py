from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "apps.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from apps.audit.services import track_area_changes
        from apps.core import registry

        from . import actions, figures, home, locks, permissions, tasks

        track_area_changes(prefixes=figures.SOURCE_ACTIONS, listener=tasks.schedule_refresh)
        registry.register_bulk_write_listener("reporting.figures", figures.clear)
        # cases, registers and prevention refuse changes inside approved periods through core
        registry.register_lock_checker(
            "reporting.submissions", registry.LockChecker(ensure_unlocked=locks.ensure_unlocked, index=locks.LockIndex)
        )
        registry.register_app(
            self.label,
            labels=actions.LABELS,
            role_permissions=permissions.ROLE_PERMISSIONS,
            nav=(
                registry.NavEntry(
                    "reporting",
                    60,
                    registry.nav_link(_("Thống kê"), "reporting:dashboard", "reporting.view_dashboard"),
                ),
            ),
            home_sections={"reporting_tasks": home.officer_tasks, "key_figures": home.steering_figures},
            home_queues=((10, home.submission_queues),),
        )
