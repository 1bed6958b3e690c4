"""Issued periodic reports (the archive) and the header each unit prints on its reports.

An issued report keeps the exact file that was issued and its SHA-256: downloading it again
returns the same bytes, whatever changed in the data since. It also keeps the figures and the
narrative it was rendered from, so what was reported can always be explained.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import UpdatedByModel, unit_fk, user_fk

from .filenames import report_filename


class ReportHeaderConfig(UpdatedByModel):
    """What a unit prints in the header, signature and "Nơi nhận" blocks (Nghị định 30/2020)."""

    area_lookup = "unit"

    unit = models.OneToOneField(
        "areas.AdministrativeUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="report_header",
    )
    parent_body = models.CharField(
        _("cơ quan chủ quản"), max_length=200, blank=True, help_text=_("Ví dụ: CÔNG AN TỈNH TUYÊN QUANG.")
    )
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200, help_text=_("Ví dụ: CÔNG AN XÃ TRUNG SƠN."))
    number_symbol = models.CharField(_("ký hiệu văn bản"), max_length=40, help_text=_("Phần sau số, ví dụ: /BC-CAX."))
    place = models.CharField(_("địa danh"), max_length=80, default="Tuyên Quang")
    authority_line = models.CharField(
        _("thẩm quyền ký"), max_length=200, blank=True, help_text=_("Ví dụ: TM. BAN CHỈ ĐẠO hoặc KT. TRƯỞNG BAN.")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, help_text=_("Ví dụ: TRƯỞNG CÔNG AN XÃ."))
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(
        _("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận; dòng cuối thường là “Lưu: VT, …”.")
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        verbose_name = _("thể thức báo cáo của đơn vị")
        verbose_name_plural = _("thể thức báo cáo của đơn vị")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return f"{self.issuing_body} ({self.unit})"


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Báo cáo kết quả công tác phòng, chống ma túy")
    PEOPLE_LIST = "people_list", _("Danh sách người có hồ sơ quản lý")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


def report_upload_to(instance: IssuedReport, filename: str) -> str:
    return f"reports/{instance.issued_at:%Y/%m}/{filename}"


class IssuedReport(models.Model):
    """One issued report: its file (kept byte for byte), hash, figures and narrative."""

    area_lookup = "unit"

    unit = unit_fk(_("đơn vị"), related_name="issued_reports")
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    period_kind = models.CharField(_("loại kỳ"), max_length=16, blank=True)
    period_year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    period_number = models.PositiveSmallIntegerField(_("số kỳ"), null=True, blank=True)
    period_label = models.CharField(_("kỳ báo cáo"), max_length=80, blank=True)
    period_start = models.DateField(_("số liệu từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("số liệu đến ngày"), null=True, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày văn bản"))
    title = models.CharField(_("trích yếu"), max_length=300)
    header = models.JSONField(_("thể thức khi phát hành"), default=dict)
    figures = models.JSONField(_("số liệu sử dụng"), default=dict)
    narrative = models.JSONField(_("nội dung"), default=dict)
    file = models.FileField(_("tệp"), upload_to=report_upload_to, blank=True, max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(_("mã công việc nền"), max_length=64, blank=True)
    issued_by = user_fk(_("người phát hành"), null=False)
    issued_at = models.DateTimeField(_("phát hành lúc"))
    finished_at = models.DateTimeField(_("tạo xong lúc"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("thời gian tạo (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo đã phát hành")
        verbose_name_plural = _("báo cáo đã phát hành")
        ordering = ["-issued_at", "-pk"]
        permissions = [
            ("issue_issuedreport", _("Phát hành báo cáo định kỳ")),
            ("export_issuedreport", _("Xuất số liệu báo cáo ra Excel")),
            ("view_people_list", _("In danh sách người có hồ sơ quản lý (dữ liệu cá nhân)")),
        ]
        indexes = [models.Index(fields=["unit", "period_year", "period_kind"], name="reports_issued_unit_period")]

    def __str__(self) -> str:
        return f"{self.title} – {self.unit}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def is_people_list(self) -> bool:
        return self.kind == ReportKind.PEOPLE_LIST

    @property
    def filename(self) -> str:
        """ "bao-cao-quy-III-2026-tinh-tuyen-quang.pdf" (issue 12 §1): what the file is, in words."""
        return report_filename(
            unit=self.unit,
            period_kind=self.period_kind,
            year=None if self.is_people_list else self.period_year,
            number=self.period_number,
            as_of=self.period_end,
        )
