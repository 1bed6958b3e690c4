from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ClassificationConfig(AppConfig):
    name = "apps.classification"
    label = "classification"
    verbose_name = _("Phân loại địa bàn")

    def ready(self) -> None:
        from apps.accounts.roles import register_role_permissions
        from apps.audit.actions import register_labels
        from apps.core import registry

        from . import actions, home, permissions

        register_labels(actions.LABELS)
        register_role_permissions(self.label, permissions.ROLE_PERMISSIONS)
        registry.register_nav(registry.NavEntry("classification", 50, _nav))
        registry.register_home_queue("classification", 20, home.proposal_queues)


def _nav(user):
    if user.has_perm("classification.view_assessmentresult"):
        return _("Phân loại địa bàn"), reverse("classification:table")
    return None
