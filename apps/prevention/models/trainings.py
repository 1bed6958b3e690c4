"""Trainings of officers and collaborators, with participants per unit."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import VersionedModel, unit_fk, user_fk


class Training(VersionedModel):
    """A training of officers and collaborators (tập huấn, bồi dưỡng nghiệp vụ), with the number
    of participants per unit; visible to every unit that took part."""

    area_lookup = "units"

    held_on = models.DateField(_("ngày tổ chức"))
    topic = models.CharField(_("nội dung tập huấn"), max_length=250)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    units = models.ManyToManyField(
        "areas.AdministrativeUnit",
        verbose_name=_("đơn vị tham dự"),
        through="TrainingParticipation",
        related_name="prevention_trainings",
    )
    participants_total = models.PositiveIntegerField(_("tổng số người tham dự"), default=0, editable=False)
    notes = models.TextField(_("ghi chú"), blank=True)

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    created_by = user_fk(_("người lập"))

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("tập huấn")
        ordering = ["-held_on", "-pk"]
        permissions = [("export_training", _("Xuất danh sách tập huấn"))]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"


class TrainingParticipation(models.Model):
    area_lookup = "unit"

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participations")
    unit = unit_fk(_("đơn vị"))
    count = models.PositiveIntegerField(_("số người"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("người tham dự tập huấn theo đơn vị")
        verbose_name_plural = _("người tham dự tập huấn theo đơn vị")
        ordering = ["unit__search_name"]
        constraints = [models.UniqueConstraint(fields=["training", "unit"], name="prevention_training_unit_unique")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.count}"
