from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        # Auth events (login, logout, failure, lockout) are only observable through signals;
        # their receivers do nothing but write the audit entry.
        from django.db.models.signals import post_migrate

        from . import receivers  # noqa: F401
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
