from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "apps.cases"
    label = "cases"
    verbose_name = _("Hồ sơ quản lý người sử dụng, người nghiện ma túy")

    def ready(self) -> None:
        from apps.core.registry import NavEntry, nav_link, register_app

        from . import actions, permissions

        register_app(
            self.label,
            labels=actions.LABELS,
            role_permissions=permissions.ROLE_PERMISSIONS,
            nav=(
                NavEntry(
                    "worklist",
                    10,
                    nav_link(_("Việc cần làm"), "cases:worklist", "cases.view_casefile", "cases.change_casefile"),
                    exact=True,
                ),
                NavEntry("cases", 20, nav_link(_("Hồ sơ"), "cases:casefile_list", "cases.view_casefile")),
                NavEntry("duplicates", 40, nav_link(_("Trùng người"), "cases:duplicates", "cases.merge_person")),
            ),
            home_sections={"worklist_counts": _home_worklist_counts},
        )


def _home_worklist_counts(*, user):
    """The officer's worklist counts on the home page (officers who change files only)."""
    if not user.has_perm("cases.change_casefile"):
        return None
    from .selectors import worklist  # selectors read models: imported once the app registry is ready

    return worklist(user=user, limit=0).counts
