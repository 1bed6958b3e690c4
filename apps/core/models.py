from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def user_fk(
    verbose_name=None, *, null: bool = True, blank: bool | None = None, on_delete=models.PROTECT
) -> models.ForeignKey:
    """The account that did something to a record (created, recorded, approved, voided it…).

    PROTECT by default: accounts with history are deactivated, never deleted, so the record keeps
    who did it. ``related_name="+"``: the user needs no reverse accessor for each of these. NULL
    where the system acts (``core.actors.user_or_none``); ``blank`` follows ``null`` unless given
    (a few author columns are ``blank=False``: no form edits them, and changing it is a migration).
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=null,
        blank=null if blank is None else blank,
        on_delete=on_delete,
        related_name="+",
    )


def unit_fk(
    verbose_name, *, related_name: str = "+", null: bool = False, help_text="", on_delete=models.PROTECT
) -> models.ForeignKey:
    """The administrative unit a record counts in, is scoped by or names (a commune, a former unit).

    PROTECT: units are ended (``valid_to``) and succeeded, never deleted while records name them.
    An optional unit (``null``) may also be left blank in forms.
    """
    return models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=verbose_name,
        null=null,
        blank=null,
        on_delete=on_delete,
        related_name=related_name,
        help_text=help_text,
    )


class WorkerHeartbeat(models.Model):
    """The last time each background worker went round its loop (``manage.py run_worker``).

    django-tasks-db's worker records nothing while the queue is empty, so without this a dead
    worker shows only when a queued report never renders; /healthz/ reads the newest beat.
    """

    worker_id = models.CharField(_("mã tiến trình nền"), max_length=64, primary_key=True)
    last_seen = models.DateTimeField(_("hoạt động lần cuối"))

    class Meta:
        verbose_name = _("nhịp tiến trình nền")
        verbose_name_plural = _("nhịp tiến trình nền")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.last_seen:%d/%m/%Y %H:%M:%S}"

    @classmethod
    def beat(cls, worker_id: str) -> None:
        now = timezone.now()
        cls.objects.update_or_create(worker_id=worker_id[:64], defaults={"last_seen": now})
        # Each start gets a new id: rows of workers gone for a day are only clutter.
        cls.objects.filter(last_seen__lt=now - dt.timedelta(days=1)).delete()


class UsedFormToken(models.Model):
    """A form token consumed by a successful submission (apps.core.formtokens).

    Written in the same transaction as the change the form made; the unique index makes a second
    submission of the same rendered form fail its insert, so it records nothing (a double tap on a
    slow link, the browser's "resubmit"). ``result_url`` is where the first submission led, so the
    replay lands on the same page.
    """

    token = models.CharField(_("mã biểu mẫu"), max_length=64, unique=True)
    user = user_fk(_("người gửi"), null=False, on_delete=models.CASCADE)
    path = models.CharField(_("địa chỉ gửi"), max_length=500)
    result_url = models.CharField(_("trang kết quả"), max_length=1000, blank=True)
    used_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mã biểu mẫu đã dùng")
        verbose_name_plural = _("mã biểu mẫu đã dùng")

    def __str__(self) -> str:
        return f"{self.path} {self.used_at:%d/%m/%Y %H:%M}"


class TimeStampedModel(models.Model):
    """When a record was created and last saved (not editable: set by Django on save)."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class UpdatedByModel(models.Model):
    """When a record was last saved and by whom: the editor named when a stale save is refused
    ("changed meanwhile by …"). Not history, so deleting the account only clears it (SET_NULL).

    Its columns come first in ``_meta.fields``: a page listing every column orders them itself.
    """

    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = user_fk(_("người cập nhật"), on_delete=models.SET_NULL)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record edited through forms: ``version`` goes up with every save made by a service, and
    ``core.locking.lock_for_update`` refuses a save based on an older one (optimistic locking)."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True
