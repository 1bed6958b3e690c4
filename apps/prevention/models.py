"""Prevention work of the commune (issue #5; Plan 63/KH-UBND 2019): propaganda and education
activities, the register of people at high risk and how far activities reach them, trainings,
model points, tip-offs from the public, and the plan targets these feed.

Scoping (``apps.core.scoping``): every record declares ``area_lookup``. An ``Activity`` may cover
several communes (``communes``, many-to-many), so its scoped queries join and can return a row
once per matching commune; the selectors therefore always filter through ``pk__in`` subqueries.
The informant of a tip-off lives in its own table (``Informant``), readable only with
``prevention.view_informant``, so no page, export or admin of tip-offs can leak it by accident.
Records change only through ``services`` (validation, optimistic locking, audit).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.cases.choices import Sex
from apps.core.models import VersionedModel

from .choices import (
    ActivityKind,
    Comparison,
    EvaluationResult,
    HighRiskSource,
    HighRiskStatus,
    Recurrence,
    TargetMetric,
    TipOffChannel,
    TipOffStatus,
    Topic,
    Verification,
)

_YEAR = [MinValueValidator(1900), MaxValueValidator(2100)]


def _user_fk(verbose_name, *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


def _indicator_choices():
    # A callable (the field's migrations name it); the static list keeps the model from importing
    # the computations in targets.py, which import these models.
    return TargetMetric.choices


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
    reporting_officer = _user_fk(_("cán bộ báo cáo"))
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
    created_by = _user_fk(_("người lập"))

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
    uploaded_by = _user_fk(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm hoạt động")
        verbose_name_plural = _("tệp đính kèm hoạt động")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class HighRiskPerson(VersionedModel):
    """A person of the commune's high-risk group (sổ nhóm nguy cơ cao). People with an open case
    file join automatically (``services.highrisk_sync_from_cases``); others are entered by the
    officer. Reaching every active person is a Plan 63 target (coverage)."""

    area_lookup = "commune"

    commune = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="prevention_high_risk",
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), validators=_YEAR)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    category = models.ForeignKey(
        AudienceGroup,
        verbose_name=_("nhóm nguy cơ"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"high_risk": True},
    )
    village = models.CharField(_("thôn, tổ dân phố"), max_length=120, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=HighRiskStatus.choices, default=HighRiskStatus.ACTIVE
    )
    status_note = models.CharField(_("ghi chú tình trạng"), max_length=200, blank=True)
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("người có hồ sơ quản lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=HighRiskSource.choices, default=HighRiskSource.MANUAL)
    notes = models.TextField(_("ghi chú"), blank=True)

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    created_by = _user_fk(_("người lập"))

    class Meta:
        verbose_name = _("người thuộc nhóm nguy cơ cao")
        verbose_name_plural = _("sổ nhóm nguy cơ cao")
        ordering = ["commune__search_name", "search_text", "pk"]
        permissions = [("export_highriskperson", _("Xuất sổ nhóm nguy cơ cao"))]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "person"],
                condition=models.Q(person__isnull=False),
                name="prevention_highrisk_one_entry_per_person",
            )
        ]
        indexes = [models.Index(fields=["commune", "status"], name="prevention_highrisk_status_idx")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_year})"


class ActivityReach(models.Model):
    """A registered high-risk person reached by an activity (the coverage numerator)."""

    area_lookup = "person__commune"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reaches")
    person = models.ForeignKey(HighRiskPerson, on_delete=models.PROTECT, related_name="reaches")
    recorded_by = _user_fk(_("người ghi"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("người được tiếp cận")
        verbose_name_plural = _("người được tiếp cận")
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="prevention_reach_unique")]
        indexes = [models.Index(fields=["person", "activity"], name="prevention_reach_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} ← {self.activity}"


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
    created_by = _user_fk(_("người lập"))

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
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("số người"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("người tham dự tập huấn theo đơn vị")
        verbose_name_plural = _("người tham dự tập huấn theo đơn vị")
        ordering = ["unit__search_name"]
        constraints = [models.UniqueConstraint(fields=["training", "unit"], name="prevention_training_unit_unique")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.count}"


class ModelPoint(VersionedModel):
    """A model point (mô hình điểm) of drug prevention in a commune, established by a decision,
    evaluated once a year."""

    area_lookup = "commune"

    commune = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="prevention_model_points",
    )
    name = models.CharField(_("tên mô hình"), max_length=250)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    started_on = models.DateField(_("ngày bắt đầu hoạt động"))
    ended_on = models.DateField(_("ngày dừng hoạt động"), null=True, blank=True)
    description = models.TextField(_("nội dung, cách làm"), blank=True)

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    created_by = _user_fk(_("người lập"))

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
    evaluated_by = _user_fk(_("người đánh giá"))
    evaluated_at = models.DateTimeField(_("đánh giá lúc"), auto_now=True)

    class Meta:
        verbose_name = _("đánh giá mô hình điểm")
        verbose_name_plural = _("đánh giá mô hình điểm")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["model_point", "year"], name="prevention_evaluation_year")]

    def __str__(self) -> str:
        return f"{self.model_point} – {self.year}: {self.get_result_display()}"


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
    commune = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="prevention_tip_offs",
    )
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
    received_by = _user_fk(_("cán bộ tiếp nhận"))

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    created_by = _user_fk(_("người lập"))

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
    recorded_by = _user_fk(_("người ghi"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("người báo tin")
        verbose_name_plural = _("người báo tin")

    def __str__(self) -> str:
        return _("Người báo tin của tin báo số %(n)s") % {"n": self.tip_off_id}


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
