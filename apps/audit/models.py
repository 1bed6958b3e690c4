"""Append-only audit log of every change and every read of sensitive data."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import unit_fk, user_fk

from . import chain


class AuditLogQuerySet(models.QuerySet):
    # The application never rewrites history; bulk paths are closed too, not just Model.save().
    def update(self, **kwargs):
        raise PermissionDenied("Nhật ký hệ thống không được sửa.")

    def delete(self):
        raise PermissionDenied("Nhật ký hệ thống không được xóa.")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        # Held until the caller's transaction commits, so the next append sees these entries.
        with transaction.atomic(using=self.db, savepoint=False):
            chain.link(objs, chain.lock_and_read_head(self.model, self.db))
            return super().bulk_create(objs, *args, **kwargs)


class AuditLogEntry(models.Model):
    """Who did what to which object, when, from where, with the values before and after.

    Rows are written by services in the same transaction as the change they describe, so a
    change without its audit row (or the reverse) cannot be committed.
    """

    area_lookup = "area"

    time = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    # Accounts with history are deactivated, never deleted (PROTECT): the log must not change.
    actor = user_fk(_("người thực hiện"))
    # Kept as text so the entry stays readable after the account is renamed or removed.
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại đối tượng"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    area = unit_fk(_("đơn vị"), null=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    message = models.TextField(_("ghi chú"), blank=True)
    request_id = models.UUIDField(_("mã yêu cầu"), null=True, blank=True)
    client_ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    # The chain (apps/audit/chain.py): set on insert, checked by ``manage.py verify_audit_chain``.
    prev_hash = models.CharField(_("mã băm của mục trước"), max_length=64, editable=False)
    hash = models.CharField(_("mã băm"), max_length=64, editable=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-time"], name="audit_object_time_idx"),
            models.Index(fields=["area", "-time"], name="audit_area_time_idx"),
            models.Index(fields=["actor", "-time"], name="audit_actor_time_idx"),
        ]
        constraints = [
            # At most one entry follows each entry: two appends racing past the lock cannot fork the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_chain_one_successor"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%d/%m/%Y %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Nhật ký hệ thống không được sửa.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            chain.link([self], chain.lock_and_read_head(type(self), using))
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Nhật ký hệ thống không được xóa.")


class AreaChange(models.Model):
    """The latest audited change filed under each area (reads excluded): an index of the log.

    Written by ``audit_record`` in the same transaction as the entry, so it moves exactly when data
    of that area may have changed; derived figures (``reporting.figures``) are stamped with it and
    recomputed only for the areas whose stamp moved. Each change sets a value never used before
    (the entry's id), so a stamp can never come back to an older value.
    """

    area = models.OneToOneField(
        "areas.AdministrativeUnit", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    last_entry = models.BigIntegerField(_("mục nhật ký thay đổi gần nhất"))

    class Meta:
        verbose_name = _("thay đổi gần nhất theo địa bàn")
        verbose_name_plural = _("thay đổi gần nhất theo địa bàn")

    def __str__(self) -> str:
        return f"{self.area_id}: {self.last_entry}"
