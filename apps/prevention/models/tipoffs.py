"""Tip-offs from the public, and their informants kept in a table of their own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import VersionedModel, unit_fk, user_fk

from ..choices import TipOffChannel, TipOffStatus


class TipOff(VersionedModel):
    """A tip-off from the public about drug activity (tin báo, tố giác), from receipt to its
    handling result. The informant's identity is NOT here: see ``Informant``.

    ``crime_case`` / ``hotspot`` link the registers' records. PROTECT, not SET_NULL: a register
    record is never deleted by the application, and a delete elsewhere (admin, shell) must not
    change a tip-off silently, without a version bump or an audit row. The service accepts only
    records in the actor's scope; pages show a link only for a record the reader may see."""

    area_lookup = "commune"

    received_on = models.DateField(_("ngày tiếp nhận"))
    channel = models.CharField(_("hình thức tiếp nhận"), max_length=12, choices=TipOffChannel.choices)
    commune = unit_fk(_("xã, phường"), related_name="prevention_tip_offs")
    summary = models.TextField(_("nội dung tin báo"))
    status = models.CharField(
        _("tình trạng xử lý"), max_length=12, choices=TipOffStatus.choices, default=TipOffStatus.RECEIVED
    )
    result = models.TextField(_("kết quả xử lý"), blank=True)
    crime_case = models.ForeignKey(
        "registers.CrimeCase",
        verbose_name=_("mã vụ án liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tip_offs",
    )
    hotspot = models.ForeignKey(
        "registers.Hotspot",
        verbose_name=_("mã điểm, tụ điểm liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tip_offs",
    )
    received_by = user_fk(_("cán bộ tiếp nhận"))

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    created_by = user_fk(_("người lập"))

    class Meta:
        verbose_name = _("tin báo, tố giác")
        verbose_name_plural = _("tin báo, tố giác")
        ordering = ["-received_on", "-pk"]
        permissions = [("export_tipoff", _("Xuất danh sách tin báo (không gồm người báo tin)"))]
        indexes = [models.Index(fields=["commune", "received_on"], name="prevention_tipoff_date_idx")]

    def __str__(self) -> str:
        return _("Tin báo số %(n)s ngày %(d)s") % {"n": self.pk, "d": f"{self.received_on:%d/%m/%Y}"}


class Informant(models.Model):
    """Who gave a tip-off (người báo tin). Protected: readable only with the dedicated permission
    ``prevention.view_informant`` (granted to named province staff, never to a role of commune
    officers), every reading is audited, and it is in no list, export or admin. Its text form
    never contains the identity, so the audit log cannot leak it either."""

    area_lookup = "tip_off__commune"

    tip_off = models.OneToOneField(TipOff, on_delete=models.CASCADE, related_name="informant")
    full_name = models.CharField(_("họ và tên người báo tin"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    recorded_by = user_fk(_("người ghi"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("người báo tin")
        verbose_name_plural = _("người báo tin")

    def __str__(self) -> str:
        return _("Người báo tin của tin báo số %(n)s") % {"n": self.tip_off_id}
