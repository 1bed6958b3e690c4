from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "apps.registers"
    label = "registers"
    verbose_name = _("Sổ theo dõi điểm, tụ điểm, tội phạm, trồng cây")

    def ready(self) -> None:
        from apps.core.registry import NavEntry, nav_link, register_app

        from . import actions, permissions

        link = nav_link(_("Sổ theo dõi"), "registers:hotspot_list", "registers.view_hotspot")
        register_app(
            self.label,
            labels=actions.LABELS,
            role_permissions=permissions.ROLE_PERMISSIONS,
            nav=(NavEntry("registers", 30, link, active_prefix="/registers/"),),
        )
