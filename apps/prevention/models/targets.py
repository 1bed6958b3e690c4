"""Plan targets as data (the indicators are computed by the registry in ``apps.prevention.targets``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Comparison, Recurrence, TargetMetric, Verification


def _indicator_choices():
    # A callable (the field's migrations name it); the static list keeps the model from importing
    # the computations in targets.py, which import these models.
    return TargetMetric.choices


class Target(models.Model):
    """A plan target (chỉ tiêu) as data: what is measured (``indicator``, computed by the registry
    in ``targets.py``), from which baseline, to which value, by when, and how far the figures were
    verified against the official text. Province-wide reference data: the page computes each
    indicator over the reader's own scope."""

    code = models.CharField(_("mã"), max_length=60, unique=True)
    title = models.CharField(_("chỉ tiêu"), max_length=300)
    plan = models.CharField(_("kế hoạch, chương trình"), max_length=200)
    indicator = models.CharField(_("chỉ số"), max_length=60, choices=_indicator_choices)
    params = models.JSONField(_("tham số của chỉ số"), default=dict, blank=True)
    baseline_value = models.DecimalField(_("giá trị nền"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_period = models.CharField(_("kỳ số liệu nền"), max_length=100, blank=True)
    baseline_date = models.DateField(
        _("mốc số liệu nền"),
        null=True,
        blank=True,
        help_text=_("Ngày mà giá trị nền phản ánh: điểm bắt đầu của đường tiến độ."),
    )
    baseline_note = models.CharField(_("ghi chú số liệu nền"), max_length=200, blank=True)
    target_value = models.DecimalField(_("giá trị mục tiêu"), max_digits=12, decimal_places=2)
    comparison = models.CharField(_("so sánh"), max_length=3, choices=Comparison.choices, default=Comparison.GTE)
    recurrence = models.CharField(_("chu kỳ"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True, help_text=_("Bỏ trống với chỉ tiêu hằng năm."))
    year = models.PositiveSmallIntegerField(
        _("năm của chỉ tiêu"),
        null=True,
        blank=True,
        help_text=_(
            "Năm mà chỉ tiêu nói tới (ví dụ 2020): các chỉ số theo phân loại địa bàn tính trên kết quả phân loại "
            "được phê duyệt của năm đó. Bỏ trống: kết quả gần nhất đến kỳ đánh giá."
        ),
    )
    territory = models.CharField(_("địa bàn của chỉ tiêu"), max_length=200, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    verification = models.CharField(
        _("mức kiểm chứng"), max_length=12, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_notes = models.TextField(_("ghi chú kiểm chứng"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang theo dõi"), default=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recurrence="yearly") | models.Q(deadline__isnull=False),
                name="prevention_target_deadline_once",
            )
        ]

    def __str__(self) -> str:
        return self.title
