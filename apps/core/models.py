from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UsedFormToken(models.Model):
    """A form token consumed by a successful submission (apps.core.formtokens).

    Written in the same transaction as the change the form made; the unique index makes a second
    submission of the same rendered form fail its insert, so it records nothing (a double tap on a
    slow link, the browser's "resubmit"). ``result_url`` is where the first submission led, so the
    replay lands on the same page.
    """

    token = models.CharField(_("mã biểu mẫu"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(_("địa chỉ gửi"), max_length=500)
    result_url = models.CharField(_("trang kết quả"), max_length=1000, blank=True)
    used_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mã biểu mẫu đã dùng")
        verbose_name_plural = _("mã biểu mẫu đã dùng")

    def __str__(self) -> str:
        return f"{self.path} {self.used_at:%d/%m/%Y %H:%M}"
