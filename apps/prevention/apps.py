from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "apps.prevention"
    label = "prevention"
    verbose_name = _("Phòng ngừa, tuyên truyền")

    def ready(self) -> None:
        from apps.core.registry import NavEntry, register_app

        from . import actions, permissions

        register_app(
            self.label,
            labels=actions.LABELS,
            role_permissions=permissions.ROLE_PERMISSIONS,
            nav=(NavEntry("prevention", 80, _nav, active_prefix="/prevention/"),),
        )


def _nav(user):
    # steering members see only the targets page
    if user.has_perm("prevention.view_activity"):
        return _("Phòng ngừa"), reverse("prevention:index")
    if user.has_perm("prevention.view_target"):
        return _("Chỉ tiêu"), reverse("prevention:target_list")
    return None
