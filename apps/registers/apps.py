from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "apps.registers"
    label = "registers"
    verbose_name = _("Sổ theo dõi điểm, tụ điểm, tội phạm, trồng cây")

    def ready(self) -> None:
        from apps.accounts.roles import register_role_permissions
        from apps.audit.actions import register_labels
        from apps.core import registry

        from . import actions, permissions

        register_labels(actions.LABELS)
        register_role_permissions(self.label, permissions.ROLE_PERMISSIONS)
        registry.register_nav(registry.NavEntry("registers", 30, _nav, active_prefix="/registers/"))


def _nav(user):
    if user.has_perm("registers.view_hotspot"):
        return _("Sổ theo dõi"), reverse("registers:hotspot_list")
    return None
