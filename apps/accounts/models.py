from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import unit_fk


class User(AbstractUser):
    """An account, assigned to one administrative unit whose subtree it sees.

    What the account may do comes from its role groups; where it may do it comes from ``area``
    (see ``apps.core.scoping``). Superusers have no area and see everything.
    """

    area_lookup = "area"

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    area = unit_fk(
        _("đơn vị công tác"),
        related_name="users",
        null=True,
        help_text=_("Người dùng chỉ thấy dữ liệu của đơn vị này và các đơn vị trực thuộc."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def role_codes(self) -> set[str]:
        """Role codes of this account (group names), from the prefetched groups when available."""
        return {g.name for g in self.groups.all()}
