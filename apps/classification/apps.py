from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassificationConfig(AppConfig):
    name = "apps.classification"
    label = "classification"
    verbose_name = _("Phân loại địa bàn")

    def ready(self) -> None:
        from apps.core.registry import NavEntry, nav_link, register_app

        from . import actions, home, permissions

        link = nav_link(_("Phân loại địa bàn"), "classification:table", "classification.view_assessmentresult")
        register_app(
            self.label,
            labels=actions.LABELS,
            role_permissions=permissions.ROLE_PERMISSIONS,
            nav=(NavEntry("classification", 50, link),),
            home_queues=((20, home.proposal_queues),),
        )
