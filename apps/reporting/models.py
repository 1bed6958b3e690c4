"""Reporting periods, their configuration, and the commune submissions that lock a period.

* ``ReportingSettings`` (one row): the day the data window starts (default 15: data from the 15th
  of the month before the period to the 14th of its last month, domain.md §5) and how many days
  after the window's end the report is due (default 2: the 16th, TT 13/2022/TT-BCA).
* ``ReportingPeriod``: a month, quarter, first half, nine months or year, with its data window
  (``start``–``end``), Vietnamese label and deadline — computed by ``periods.period_window``.
* ``Submission``: one commune's figures for one period, frozen as a JSON snapshot when the commune
  submits; the province returns it (with a reason) or approves it, which LOCKS the period for that
  commune (``locks.ensure_unlocked``) until province staff reopen it (with a reason).

The snapshot holds counts only — never a name or any other personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import UpdatedByModel, VersionedModel, unit_fk, user_fk


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng đầu năm")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa nộp")
    SUBMITTED = "submitted", _("Đã nộp, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại, cần sửa")
    APPROVED = "approved", _("Đã phê duyệt (khóa số liệu)")


def default_start_day() -> int:
    return int(getattr(settings, "PCMT_PERIOD_START_DAY", 15))


def default_deadline_days() -> int:
    return int(getattr(settings, "PCMT_PERIOD_DEADLINE_DAYS", 2))


class ReportingSettings(UpdatedByModel):
    """The reporting calendar (one row, pk=1). Without a row the defaults come from the settings
    ``PCMT_PERIOD_START_DAY`` (15) and ``PCMT_PERIOD_DEADLINE_DAYS`` (2)."""

    start_day = models.PositiveSmallIntegerField(
        _("ngày bắt đầu kỳ số liệu"),
        default=default_start_day,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "15 = số liệu từ ngày 15 tháng trước kỳ đến ngày 14 tháng cuối kỳ (TT 05/2023/TT-BYT tương tự); "
            "1 = theo tháng dương lịch."
        ),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("số ngày sau kỳ phải nộp"),
        default=default_deadline_days,
        validators=[MaxValueValidator(60)],
        help_text=_("2 = hạn nộp ngày 16 khi kỳ kết thúc ngày 14 (TT 13/2022/TT-BCA: trước ngày 16)."),
    )
    legal_basis = models.CharField(
        _("căn cứ"), max_length=300, blank=True, default="TT 13/2022/TT-BCA; NĐ 09/2019/NĐ-CP Điều 12"
    )

    class Meta:
        verbose_name = _("cấu hình kỳ báo cáo")
        verbose_name_plural = _("cấu hình kỳ báo cáo")

    def __str__(self) -> str:
        return str(
            _("Kỳ số liệu từ ngày %(d)s, hạn nộp sau %(n)s ngày") % {"d": self.start_day, "n": self.deadline_days}
        )

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton
        super().save(*args, **kwargs)


class ReportingPeriod(models.Model):
    """A reporting period and its data window. Reference data, readable by every role."""

    kind = models.CharField(_("loại kỳ"), max_length=12, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    number = models.PositiveSmallIntegerField(
        _("số thứ tự"), default=1, help_text=_("Tháng 1–12, quý 1–4; 1 cho các loại kỳ khác.")
    )
    start = models.DateField(_("số liệu từ ngày"))
    end = models.DateField(_("số liệu đến ngày"))
    label = models.CharField(_("tên kỳ"), max_length=60)
    deadline = models.DateField(_("hạn nộp"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-end", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="reporting_period_unique"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="reporting_period_window"),
        ]
        indexes = [models.Index(fields=["start", "end"], name="reporting_period_window_idx")]
        permissions = [("view_dashboard", _("Xem bảng điều khiển, số liệu thống kê tổng hợp"))]

    def __str__(self) -> str:
        return self.label

    @property
    def window_label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


class Submission(VersionedModel):
    """One commune's figures for one period: frozen on submission, locked on approval."""

    area_lookup = "commune"

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="submissions"
    )
    commune = unit_fk(_("xã, phường"), related_name="reporting_submissions")
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    snapshot = models.JSONField(_("số liệu đã chốt"), null=True, blank=True, editable=False)
    note = models.TextField(_("ghi chú của xã"), blank=True)
    submitted_by = user_fk(_("người nộp"))
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    reviewed_by = user_fk(_("người duyệt"))
    reviewed_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại / mở lại"), blank=True)
    submit_count = models.PositiveSmallIntegerField(_("số lần nộp"), default=0, editable=False)

    class Meta:
        verbose_name = _("số liệu nộp của xã")
        verbose_name_plural = _("số liệu nộp của xã")
        ordering = ["period", "commune__search_name"]
        permissions = [
            ("submit_submission", _("Nộp số liệu kỳ báo cáo của xã")),
            ("review_submission", _("Duyệt, trả lại, mở lại số liệu kỳ báo cáo")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "commune"], name="reporting_submission_unique"),
        ]
        indexes = [
            models.Index(fields=["commune", "status"], name="reporting_submission_lock_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} – {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status == SubmissionStatus.APPROVED

    @property
    def submitted_late(self) -> bool:
        from django.utils import timezone

        return bool(self.submitted_at and timezone.localtime(self.submitted_at).date() > self.period.deadline)


class StoredFigures(models.Model):
    """Indicators of ONE commune for one data window (``kind`` "w"), or its breakdowns at one date
    (``kind`` "b", ``start`` = ``end``), as ``reporting.figures`` computed them, with the stamp of
    the commune's data at that moment. A row whose stamp no longer matches is recomputed on the next
    read, so the dashboards recompute only the communes whose data changed. Derived data: deleting
    every row is always safe (``manage.py refresh_figures --clear``)."""

    WINDOW, BREAKDOWN = "w", "b"

    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=1)
    start = models.DateField()
    end = models.DateField()
    stamp = models.CharField(max_length=64)
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu tính sẵn")
        verbose_name_plural = _("số liệu tính sẵn")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "start", "end"], name="reporting_figures_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.start}–{self.end}"
