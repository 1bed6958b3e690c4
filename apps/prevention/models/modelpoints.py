"""Model points of drug prevention and their yearly evaluations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import VersionedModel, unit_fk, user_fk

from ..choices import EvaluationResult
from ._common import _YEAR


class ModelPoint(VersionedModel):
    """A model point (mô hình điểm) of drug prevention in a commune, established by a decision,
    evaluated once a year."""

    area_lookup = "commune"

    commune = unit_fk(_("xã, phường"), related_name="prevention_model_points")
    name = models.CharField(_("tên mô hình"), max_length=250)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    started_on = models.DateField(_("ngày bắt đầu hoạt động"))
    ended_on = models.DateField(_("ngày dừng hoạt động"), null=True, blank=True)
    description = models.TextField(_("nội dung, cách làm"), blank=True)

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    created_by = user_fk(_("người lập"))

    class Meta:
        verbose_name = _("mô hình điểm")
        verbose_name_plural = _("mô hình điểm")
        ordering = ["commune__search_name", "name"]
        permissions = [("export_modelpoint", _("Xuất danh sách mô hình điểm"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="prevention_modelpoint_dates",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ModelPointEvaluation(models.Model):
    """The yearly evaluation of a model point (good / fair / average / weak)."""

    area_lookup = "model_point__commune"

    model_point = models.ForeignKey(ModelPoint, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("năm"), validators=_YEAR)
    result = models.CharField(_("kết quả"), max_length=10, choices=EvaluationResult.choices)
    notes = models.TextField(_("nhận xét"), blank=True)
    evaluated_by = user_fk(_("người đánh giá"))
    evaluated_at = models.DateTimeField(_("đánh giá lúc"), auto_now=True)

    class Meta:
        verbose_name = _("đánh giá mô hình điểm")
        verbose_name_plural = _("đánh giá mô hình điểm")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["model_point", "year"], name="prevention_evaluation_year")]

    def __str__(self) -> str:
        return f"{self.model_point} – {self.year}: {self.get_result_display()}"
