"""Case files (hồ sơ quản lý) of people who use drugs and addicts.

A ``Person`` keeps one identity across communes and years; a ``CaseFile`` is that person's file in
one commune, with a status that moves only through ``services.case_transition`` (the state
machine in ``workflow.py``); every step is a dated ``CaseEvent``. Legal durations are versioned
data (``LegalDuration``), chosen by the law in force on the event's date.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choice_labels import ChoiceLabelsMixin
from apps.core.models import VersionedModel, unit_fk, user_fk
from apps.core.text import normalize

from .choices import (
    CaseType,
    CloseReason,
    DurationUnit,
    Education,
    EventKind,
    IdKind,
    MaritalStatus,
    Sex,
    Status,
    UseMethod,
    Verification,
    Whereabouts,
)


class Ethnicity(models.Model):
    """One of the 54 ethnic groups in the statistics office's official list."""

    code = models.CharField(_("mã"), max_length=4, unique=True)
    name = models.CharField(_("tên dân tộc"), max_length=60)
    search_name = models.CharField(_("tên không dấu"), max_length=60, editable=False)
    aliases = models.CharField(
        _("tên gọi khác"),
        max_length=300,
        blank=True,
        help_text=_("Các tên người dân, cán bộ thường ghi, cách nhau bằng dấu phẩy (ví dụ: H'Mông, Hmông)."),
    )

    class Meta:
        verbose_name = _("dân tộc")
        verbose_name_plural = _("dân tộc")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        super().save(*args, **kwargs)


class SubstanceType(models.Model):
    """A kind of drug a file can record (reference data, so reports can group by it)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=80)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại ma túy")
        verbose_name_plural = _("loại ma túy")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Person(ChoiceLabelsMixin, VersionedModel):
    """A person, independent of any commune: the same person may have files in several communes
    over the years (transfers), and duplicates found later are merged, reversibly."""

    area_lookup = "case_files__commune"

    full_name = models.CharField(_("họ và tên"), max_length=120)
    aliases = models.CharField(_("tên gọi khác"), max_length=200, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    ethnicity = models.ForeignKey(
        Ethnicity, verbose_name=_("dân tộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    citizen_id = models.CharField(_("số CCCD/CMND"), max_length=12, blank=True, db_index=True)
    citizen_id_kind = models.CharField(_("loại giấy tờ"), max_length=4, choices=IdKind.choices, blank=True)
    permanent_unit = unit_fk(_("xã/phường thường trú"), null=True)
    permanent_village = models.CharField(_("thôn/tổ dân phố thường trú"), max_length=120, blank=True)
    permanent_address = models.CharField(_("địa chỉ thường trú"), max_length=200, blank=True)
    current_unit = unit_fk(_("xã/phường nơi ở hiện tại"), null=True)
    current_village = models.CharField(_("thôn/tổ dân phố hiện tại"), max_length=120, blank=True)
    current_address = models.CharField(_("địa chỉ hiện tại"), max_length=200, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    education = models.CharField(
        _("trình độ học vấn"), max_length=20, choices=Education.choices, default=Education.UNKNOWN
    )
    marital_status = models.CharField(
        _("tình trạng hôn nhân"), max_length=10, choices=MaritalStatus.choices, default=MaritalStatus.UNKNOWN
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    family_contact = models.CharField(_("người thân liên hệ"), max_length=200, blank=True)
    photo = models.ImageField(_("ảnh"), upload_to="people/%Y/", null=True, blank=True)

    # Derived, for search and duplicate detection (kept by ``fill_search_fields`` below).
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    name_key = models.CharField(_("khóa tên"), max_length=160, db_index=True, editable=False)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã gộp vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_people",
    )

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        indexes = [models.Index(fields=["name_key", "birth_year", "sex"], name="cases_person_dup_idx")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_year})"

    def fill_search_fields(self) -> None:
        """Diacritic-free search text and the word-order-tolerant key used for duplicates."""
        name = normalize(self.full_name)
        self.name_key = " ".join(sorted(name.split()))
        self.search_text = " | ".join(
            part
            for part in (
                name,
                normalize(self.aliases),
                self.citizen_id,
                normalize(self.current_village),
                normalize(self.current_address),
                normalize(self.permanent_village),
                normalize(self.permanent_address),
            )
            if part
        )


class CaseFile(ChoiceLabelsMixin, VersionedModel):
    """A person's management file (hồ sơ quản lý) in one commune."""

    area_lookup = "commune"

    person = models.ForeignKey(Person, verbose_name=_("người"), on_delete=models.PROTECT, related_name="case_files")
    commune = unit_fk(_("xã/phường quản lý"), related_name="case_files")
    # The unit as recorded at the time (a commune of the map then: 2019, 2020 or pre-2025), when
    # the data named it: a figure "on the map of year Y" counts the file there (stocks.counts_on_map).
    # Blank: derived from ``commune`` through the conversion when that is unambiguous.
    recorded_unit = unit_fk(
        _("đơn vị lúc ghi nhận"),
        null=True,
        help_text=_("Xã, phường, thị trấn theo bản đồ hành chính thời điểm đó (trước 01/7/2025), nếu hồ sơ ghi."),
    )
    file_number = models.CharField(_("số hồ sơ"), max_length=40, unique=True)
    case_type = models.CharField(_("loại hồ sơ"), max_length=10, choices=CaseType.choices, default=CaseType.USER)
    status = models.CharField(_("tình trạng"), max_length=32, choices=Status.choices, default=Status.SIGNS)
    whereabouts = models.CharField(
        _("nơi ở hiện nay"), max_length=20, choices=Whereabouts.choices, default=Whereabouts.COMMUNITY
    )
    substances = models.ManyToManyField(SubstanceType, verbose_name=_("chất ma túy sử dụng"), blank=True)
    use_method = models.CharField(_("cách sử dụng"), max_length=10, choices=UseMethod.choices, blank=True)
    first_use_date = models.DateField(_("bắt đầu sử dụng"), null=True, blank=True)
    detected_on = models.DateField(_("ngày phát hiện"))
    assigned_officer = user_fk(_("cán bộ phụ trách"))
    helper_name = models.CharField(_("người được giao quản lý, giúp đỡ"), max_length=200, blank=True)
    criminal_record = models.TextField(_("tiền án, tiền sự"), blank=True)
    administrative_sanctions = models.TextField(_("đã bị xử lý vi phạm hành chính"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    # A transfer closes the file here and opens one in the receiving commune: each commune keeps
    # its own file, and the link lets both see the person's whole history.
    transferred_from = models.OneToOneField(
        "self",
        verbose_name=_("chuyển từ hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_to",
    )
    status_since = models.DateField(_("tình trạng từ ngày"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    close_reason = models.CharField(_("lý do kết thúc"), max_length=20, choices=CloseReason.choices, blank=True)

    # Derived from the timeline by workflow.compute_due (stored so the worklist is one indexed query).
    due_date = models.DateField(_("hạn tiếp theo"), null=True, blank=True, db_index=True, editable=False)
    due_label = models.CharField(_("việc đến hạn"), max_length=120, blank=True, editable=False)
    period_end = models.DateField(_("kết thúc thời hạn hiện tại"), null=True, blank=True, editable=False)
    last_visit_on = models.DateField(_("lần thăm gặp gần nhất"), null=True, blank=True, editable=False)

    created_by = user_fk(_("người lập"), blank=False)

    class Meta:
        verbose_name = _("hồ sơ quản lý")
        verbose_name_plural = _("hồ sơ quản lý")
        ordering = ["-updated_at"]
        permissions = [
            ("import_casefile", _("Nhập hồ sơ từ tệp Excel")),
            ("export_casefile", _("Xuất danh sách hồ sơ")),
            ("transition_casefile", _("Chuyển tình trạng hồ sơ")),
            ("merge_person", _("Gộp, tách hồ sơ trùng người")),
            ("view_casefile_audit", _("Xem ai đã xem, sửa hồ sơ")),
        ]
        indexes = [
            # The list's default order: without it PostgreSQL sorts every matching file to show 25.
            models.Index(fields=["-updated_at", "-id"], name="cases_file_updated_idx"),
            models.Index(fields=["commune", "status"], name="cases_file_commune_status_idx"),
            models.Index(fields=["commune", "due_date"], name="cases_file_commune_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_number} – {self.person.full_name}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class CaseEvent(ChoiceLabelsMixin, models.Model):
    """A dated step of a case file's timeline; transitions record from/to status."""

    area_lookup = "case_file__commune"

    case_file = models.ForeignKey(CaseFile, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("loại sự kiện"), max_length=32, choices=EventKind.choices)
    event_date = models.DateField(_("ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định/văn bản"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    facility = models.CharField(_("cơ sở, cơ quan thực hiện"), max_length=200, blank=True)
    result = models.CharField(_("kết quả"), max_length=200, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    from_status = models.CharField(_("từ tình trạng"), max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang tình trạng"), max_length=32, choices=Status.choices, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    # Where the person is from this event on (blank: unchanged), so a past date's whereabouts is
    # the one in force then (stocks.compute_spans), not today's.
    whereabouts = models.CharField(_("nơi ở từ ngày này"), max_length=20, choices=Whereabouts.choices, blank=True)
    # For transfers: where the file came from / went to, so both communes see the history.
    other_unit = unit_fk(_("đơn vị liên quan"), null=True)
    created_by = user_fk(_("người ghi"), blank=False)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    # An entry recorded by mistake is voided, never deleted (issue 12 §1): it stays in the timeline,
    # struck through with who voided it, when and why, and every count skips it
    # (``voided_at__isnull=True``). A correction is a new entry pointing at the one it replaces.
    voided_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    voided_by = user_fk(_("người hủy"))
    void_reason = models.TextField(_("lý do hủy"), blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("sửa cho mục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["event_date", "pk"]
        permissions = [("void_caseevent", _("Hủy, sửa mục diễn biến do người khác ghi"))]
        indexes = [models.Index(fields=["case_file", "event_date"], name="cases_event_file_date_idx")]

    def __str__(self) -> str:
        return f"{self.event_date:%d/%m/%Y} {self.get_kind_display()}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class StockSpan(models.Model):
    """A stretch of days during which a case file counts in one figure, derived from the file's
    events by ``stocks.compute_spans`` and rebuilt by the case services in the same transaction
    as every change of the file. Counting on day D is ``valid_from <= D < valid_to``."""

    STOCK = "stock"
    VERIFYING = "verifying"
    EXPIRED = "expired"
    CATEGORIES = [
        (STOCK, _("có hồ sơ quản lý")),
        (VERIFYING, _("đang xác minh")),
        (EXPIRED, _("hết thời hạn, chưa có quyết định kết thúc")),
    ]

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="stock_spans")
    commune = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=10, choices=CATEGORIES)
    status = models.CharField(max_length=32, choices=Status.choices)
    case_type = models.CharField(max_length=10, choices=CaseType.choices)
    whereabouts = models.CharField(max_length=20, choices=Whereabouts.choices)
    valid_from = models.DateField()
    #: exclusive; NULL while the span lasts
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("khoảng thời gian được tính")
        verbose_name_plural = _("khoảng thời gian được tính")
        indexes = [
            models.Index(fields=["commune", "valid_from"], name="cases_span_commune_from_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_file_id} {self.category} {self.valid_from}–{self.valid_to or ''}"


class LegalDuration(models.Model):
    """A legal time limit (management period, registration deadline…) under one law, for the
    dates that law is in force. Several rows per key, one per law: the event date picks the row."""

    key = models.CharField(_("mã thời hạn"), max_length=40)
    label = models.CharField(_("tên"), max_length=200)
    value = models.PositiveIntegerField(_("giá trị"))
    unit = models.CharField(_("đơn vị"), max_length=20, choices=DurationUnit.choices)
    law = models.CharField(_("văn bản quy định"), max_length=200)
    article = models.CharField(_("điều, khoản"), max_length=120, blank=True)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    verification = models.CharField(
        _("mức kiểm chứng"), max_length=12, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thời hạn pháp lý")
        verbose_name_plural = _("thời hạn pháp lý")
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="cases_duration_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.get_unit_display()} ({self.law})"


class Holiday(models.Model):
    """A public holiday (ngày nghỉ lễ, Tết) skipped when counting working days."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class PersonMerge(models.Model):
    """A merge of a duplicate person into another, with what was moved, so it can be undone."""

    area_lookup = "kept__case_files__commune"

    kept = models.ForeignKey(Person, verbose_name=_("giữ lại"), on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, verbose_name=_("gộp vào"), on_delete=models.PROTECT, related_name="+")
    moved_case_ids = models.JSONField(_("hồ sơ đã chuyển"), default=list)
    reason = models.TextField(_("lý do"))
    merged_by = user_fk(null=False)
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = user_fk()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gộp người trùng")
        verbose_name_plural = _("gộp người trùng")

    def __str__(self) -> str:
        return f"{self.merged} → {self.kept}"


class DistinctPair(models.Model):
    """Two people a reviewer confirmed are different, so they are not flagged as duplicates again."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = user_fk(null=False)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="cases_distinct_pair_unique")]

    def __str__(self) -> str:
        return f"{self.first} ≠ {self.second}"
