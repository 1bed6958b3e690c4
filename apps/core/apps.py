from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .collation import register_sqlite_collation

        # SQLite has no Vietnamese collation; Collate(..., "vi_icu") then sorts by the same key in Python.
        connection_created.connect(register_sqlite_collation, dispatch_uid="core.vi_collation")
