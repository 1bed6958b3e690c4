"""Propaganda and education activities: the audience groups, an activity with its topics,
participants per group and attachments."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import VersionedModel, user_fk

from ..choices import ActivityKind, Topic


class AudienceGroup(models.Model):
    """A group of people propaganda is aimed at (reference data, seeded by a data migration).

    ``high_risk`` groups form the high-risk register (nhóm nguy cơ cao) whose coverage Plan 63
    requires to be 100%; the others (students, youth union, the population, officials) are
    counted as participants only."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên nhóm"), max_length=150)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    high_risk = models.BooleanField(_("thuộc nhóm nguy cơ cao"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm đối tượng tuyên truyền")
        verbose_name_plural = _("nhóm đối tượng tuyên truyền")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Activity(VersionedModel):
    """One propaganda or education activity (hoạt động tuyên truyền, giáo dục), possibly held
    over several days and covering several communes, with its participants per audience group
    ("lượt người": person-times) and the registered high-risk people it reached."""

    area_lookup = "communes"

    title = models.CharField(_("nội dung, tên hoạt động"), max_length=250)
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    communes = models.ManyToManyField(
        "areas.AdministrativeUnit", verbose_name=_("xã, phường"), related_name="prevention_activities"
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=ActivityKind.choices)
    sessions = models.PositiveIntegerField(_("số buổi, số lần"), default=1, validators=[MinValueValidator(1)])
    participants_total = models.PositiveIntegerField(_("tổng lượt người tham dự"), default=0, editable=False)
    materials_count = models.PositiveIntegerField(_("số tài liệu, tờ rơi đã phát"), default=0)
    materials_description = models.CharField(_("tài liệu đã phát"), max_length=300, blank=True)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    reporting_officer = user_fk(_("cán bộ báo cáo"))
    notes = models.TextField(_("ghi chú"), blank=True)
    # Written only through services.activity_set_reaches / activity_create / activity_update.
    reached = models.ManyToManyField(
        "HighRiskPerson",
        verbose_name=_("người nguy cơ cao được tiếp cận"),
        through="ActivityReach",
        related_name="activities_reached",
        blank=True,
    )

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    created_by = user_fk(_("người lập"))

    class Meta:
        verbose_name = _("hoạt động tuyên truyền")
        verbose_name_plural = _("hoạt động tuyên truyền")
        ordering = ["-date_from", "-pk"]
        permissions = [
            ("import_activity", _("Nhập hoạt động tuyên truyền từ tệp Excel")),
            ("export_activity", _("Xuất danh sách hoạt động tuyên truyền")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")), name="prevention_activity_dates"
            )
        ]
        indexes = [models.Index(fields=["date_from", "date_to"], name="prevention_activity_dates_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.date_from:%d/%m/%Y})"


class ActivityTopic(models.Model):
    """One topic of an activity (a row per topic, so lists filter on it on any database)."""

    area_lookup = "activity__communes"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("chủ đề"), max_length=30, choices=Topic.choices)

    class Meta:
        verbose_name = _("chủ đề tuyên truyền")
        verbose_name_plural = _("chủ đề tuyên truyền")
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["activity", "topic"], name="prevention_topic_unique")]

    def __str__(self) -> str:
        return self.get_topic_display()


class ActivityParticipation(models.Model):
    """Participants of one audience group in an activity ("lượt người": a person attending two
    sessions counts twice, as in the Ban Chỉ đạo reports)."""

    area_lookup = "activity__communes"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    group = models.ForeignKey(AudienceGroup, verbose_name=_("nhóm"), on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("số lượt người"))

    class Meta:
        verbose_name = _("người tham dự theo nhóm")
        verbose_name_plural = _("người tham dự theo nhóm")
        ordering = ["group__order"]
        constraints = [models.UniqueConstraint(fields=["activity", "group"], name="prevention_participation_unique")]

    def __str__(self) -> str:
        return f"{self.group.short_name}: {self.count}"


def _attachment_path(instance: ActivityAttachment, filename: str) -> str:
    import uuid

    from django.utils import timezone

    # Never the uploader's file name on disk: a random name with the validated extension.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"prevention/activities/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class ActivityAttachment(models.Model):
    """A photo or document of an activity (.jpg/.jpeg/.png/.pdf, ≤ 10 MB, checked by extension
    and content). Served only through a scoped view, never as a public media URL."""

    area_lookup = "activity__communes"

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=60)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = user_fk(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm hoạt động")
        verbose_name_plural = _("tệp đính kèm hoạt động")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
