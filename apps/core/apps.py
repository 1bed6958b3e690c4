from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import (
            context_processors,  # noqa: F401 - registers the foundation's navigation entries
            lookups,  # noqa: F401 - registers __in_ids, used by scoping
        )
        from .collation import register_sqlite_collation

        # SQLite has no Vietnamese collation; Collate(..., "vi_icu") then sorts by the same key in Python.
        connection_created.connect(register_sqlite_collation, dispatch_uid="core.vi_collation")
        _translate_admin_boolean_icons()
        from .scoping import connect_scope_signals

        # Per-worker reuse of permissions and scopes ends when a role or the unit tree changes.
        connect_scope_signals()


def _translate_admin_boolean_icons() -> None:
    """Django's admin shows yes/no as an icon whose alt text is the Python value ("True"), the only
    word a screen reader says there; it is not translatable, so the icon is rebuilt here with
    Vietnamese alt text (same markup otherwise)."""
    from django.contrib.admin.templatetags import admin_list
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import gettext

    def boolean_icon(field_val):
        icon = {True: "yes", False: "no", None: "unknown"}[field_val]
        alt = {True: gettext("Có"), False: gettext("Không"), None: gettext("Không rõ")}[field_val]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)

    admin_list._boolean_icon = boolean_icon
