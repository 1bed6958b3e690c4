from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "apps.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from apps.audit.services import track_area_changes

        from . import figures

        track_area_changes(prefixes=figures.SOURCE_ACTIONS, listener=figures.schedule_refresh)
