"""Commune classification (issue #4): rule sets as versioned data, key drug routes, and assessments
with their per-commune results kept as history.

* ``RuleSet`` → ``RuleLevel`` → ``Criterion``: one legal instrument (QĐ 3122/2010/QĐ-BCA,
  QĐ 28/2025/QĐ-TTg), loaded from ``fixtures/rulesets/*.json`` and replaced only through a
  validated, audited import that bumps ``version``. Every criterion carries how far its threshold
  was verified against the official text.
* ``KeyRoute``: a commune lying on a key drug route in a year (criterion đ of QĐ 28/2025).
* ``Assessment`` (one run of a rule set over every current commune for a year) and
  ``AssessmentResult`` (one commune: proposed and final level, the indicators and the explanation
  as JSON). Results are history: an approved assessment is never edited; a re-run creates a new
  assessment, and approving it marks the previous approved one superseded.
"""

from __future__ import annotations

from functools import cached_property

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.areas.selectors import map_label
from apps.core.models import UpdatedByModel, unit_fk, user_fk

from . import rules
from .choices import (
    COMBINATION_CHOICES,
    COMPARISON_CHOICES,
    CRITERION_KIND_CHOICES,
    INDICATOR_CHOICES,
    AssessmentStatus,
    RouteKind,
    RuleSetStatus,
    Verification,
)

_YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
_DECIMAL = {"max_digits": 16, "decimal_places": 4, "null": True, "blank": True}


class RuleSet(UpdatedByModel):
    """One legal instrument's classification criteria (reference data, readable by every role)."""

    code = models.CharField(_("mã bộ tiêu chí"), max_length=40, unique=True, help_text=_("Ví dụ QD-28-2025."))
    title = models.CharField(_("tên"), max_length=300)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=RuleSetStatus.choices)
    notes = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    bands_cascade = models.BooleanField(
        _("mức cao hơn được tính cho mức thấp hơn"),
        default=True,
        help_text=_("Tiêu chí đạt ở mức nặng hơn (cùng mã, cùng chỉ số) được tính là đạt ở các mức nhẹ hơn."),
    )

    class Meta:
        verbose_name = _("bộ tiêu chí phân loại")
        verbose_name_plural = _("bộ tiêu chí phân loại")
        ordering = ["-effective_from", "code"]
        permissions = [
            ("import_ruleset", _("Nhập bộ tiêu chí từ tệp JSON")),
            ("export_ruleset", _("Tải bộ tiêu chí ra tệp JSON")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="classification_ruleset_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} (phiên bản {self.version})"


class RuleLevel(models.Model):
    """A level of a rule set (Loại I/II/III, không ma túy) with how its criteria combine."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="levels"
    )
    code = models.CharField(_("mã mức"), max_length=30)
    label = models.CharField(_("tên mức"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự xét"), help_text=_("1 = nặng nhất, xét trước."))
    combination = models.CharField(_("cách kết hợp"), max_length=10, choices=COMBINATION_CHOICES)
    min_count = models.PositiveSmallIntegerField(_("số tiêu chí tối thiểu"), default=1)
    is_key = models.BooleanField(_("thuộc diện trọng điểm"), default=True)

    class Meta:
        verbose_name = _("mức phân loại")
        verbose_name_plural = _("mức phân loại")
        ordering = ["rule_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="classification_level_unique_code"),
            models.UniqueConstraint(fields=["rule_set", "order"], name="classification_level_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.code} – {self.label}"


class Criterion(models.Model):
    """One criterion of a level: a threshold on an indicator (with an optional OR-alternative), or a
    composite ("đạt ≥ N tiêu chí của mức X trở lên", optionally on a key route)."""

    level = models.ForeignKey(RuleLevel, verbose_name=_("mức"), on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã tiêu chí"), max_length=8)
    label = models.TextField(_("nội dung tiêu chí"))
    kind = models.CharField(_("loại tiêu chí"), max_length=10, choices=CRITERION_KIND_CHOICES)
    indicator = models.CharField(_("chỉ số"), max_length=40, choices=INDICATOR_CHOICES, blank=True)
    comparison = models.CharField(_("phép so sánh"), max_length=10, choices=COMPARISON_CHOICES, blank=True)
    threshold = models.DecimalField(_("ngưỡng"), **_DECIMAL)
    threshold_high = models.DecimalField(_("ngưỡng trên"), **_DECIMAL)
    alt_indicator = models.CharField(_("chỉ số thay thế (hoặc)"), max_length=40, choices=INDICATOR_CHOICES, blank=True)
    alt_comparison = models.CharField(
        _("phép so sánh thay thế"), max_length=10, choices=COMPARISON_CHOICES, blank=True
    )
    alt_threshold = models.DecimalField(_("ngưỡng thay thế"), **_DECIMAL)
    alt_threshold_high = models.DecimalField(_("ngưỡng trên thay thế"), **_DECIMAL)
    unit_label = models.CharField(_("đơn vị"), max_length=20, blank=True)
    ref_level_code = models.CharField(_("mức tham chiếu"), max_length=30, blank=True)
    ref_min_count = models.PositiveSmallIntegerField(_("số tiêu chí tham chiếu tối thiểu"), null=True, blank=True)
    requires_key_route = models.BooleanField(_("phải nằm trên tuyến trọng điểm"), default=False)
    verification = models.CharField(
        _("mức kiểm chứng"), max_length=12, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    source = models.TextField(_("nguồn"), blank=True)
    evidence = models.JSONField(
        _("bằng chứng cần có"),
        default=list,
        blank=True,
        help_text=_(
            "Mã bằng chứng, chỉ cần một: records (hồ sơ, sổ theo dõi trong năm), submission (báo cáo được phê "
            "duyệt), population (dân số năm). Thiếu bằng chứng thì tiêu chí “chưa đủ số liệu”."
        ),
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["level", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="classification_criterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.level} – {self.code}"


class KeyRoute(UpdatedByModel):
    """A commune lying on a key drug route (tuyến trọng điểm phức tạp về ma túy) in a year: an area
    along a road, rail, waterway, air or sea axis where drug trading and transport happen often
    (QĐ 28/2025/QĐ-TTg, domain.md §2). A route crossing several communes has one row per commune."""

    area_lookup = "commune"

    commune = unit_fk(_("xã/phường"), related_name="key_routes")
    year = models.PositiveSmallIntegerField(_("năm"), validators=_YEAR_VALIDATORS)
    name = models.CharField(_("tên tuyến"), max_length=200, help_text=_("Ví dụ: Quốc lộ 2 (Hà Giang – Tuyên Quang)."))
    kind = models.CharField(_("loại tuyến"), max_length=10, choices=RouteKind.choices, default=RouteKind.ROAD)
    notes = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        verbose_name = _("tuyến trọng điểm")
        verbose_name_plural = _("tuyến trọng điểm")
        ordering = ["-year", "commune__search_name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "name"], name="classification_keyroute_unique"),
        ]
        indexes = [models.Index(fields=["year", "commune"], name="classification_route_year_idx")]

    def __str__(self) -> str:
        return f"{self.name} – {self.commune} ({self.year})"


class Assessment(models.Model):
    """One run of a rule set over every current commune for a year: a proposal until approved.

    Province-wide by nature (no single area): its permission is held by province roles only, and
    its results are scoped commune by commune (``AssessmentResult.area_lookup``).
    """

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="assessments"
    )
    # The rule set as it was when run: a later replacement (new version) must not rewrite history.
    ruleset_version = models.PositiveIntegerField(_("phiên bản bộ tiêu chí"))
    ruleset_snapshot = models.JSONField(_("bộ tiêu chí khi chạy"))
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), validators=_YEAR_VALIDATORS)
    period_start = models.DateField(_("số liệu từ ngày"))
    period_end = models.DateField(_("số liệu đến ngày"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.PROPOSED
    )
    run_by = user_fk(_("người chạy"), blank=False)
    run_at = models.DateTimeField(_("chạy lúc"))
    approved_by = user_fk(_("người phê duyệt"))
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("được thay thế bởi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("thay thế lúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # The map the communes are those of (issue 10 §4): a past year on the map of its time (2019,
    # 2020, early 2025); NULL: today's communes (a past year converted to them).
    map_generation = models.ForeignKey(
        "areas.UnitGeneration",
        verbose_name=_("bản đồ hành chính"),
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: figures that could not be put in a unit of that map ({"people": n, "addicts": m, ...})
    unattributed = models.JSONField(_("không xác định được đơn vị cũ"), default=dict, blank=True)

    class Meta:
        verbose_name = _("đợt phân loại")
        verbose_name_plural = _("đợt phân loại")
        ordering = ["-year", "-run_at", "-pk"]
        permissions = [
            ("run_assessment", _("Chạy phân loại địa bàn (đề xuất)")),
            ("approve_assessment", _("Phê duyệt kết quả phân loại địa bàn")),
            ("override_assessment", _("Điều chỉnh loại của một xã (có lý do)")),
        ]
        constraints = [
            # At most one approved assessment per year and rule set; earlier ones are superseded.
            models.UniqueConstraint(
                fields=["rule_set", "year"],
                condition=models.Q(status="approved"),
                name="classification_one_approved_per_year",
            )
        ]
        indexes = [models.Index(fields=["year", "rule_set", "status"], name="classification_assess_year_idx")]

    def __str__(self) -> str:
        return f"{self.rule_set.code} – năm {self.year} – {self.get_status_display()} ({self.run_at:%d/%m/%Y %H:%M})"

    @cached_property
    def spec(self) -> rules.RuleSetSpec:
        """The rule set as run (from the snapshot)."""
        return rules.spec_from_dict(self.ruleset_snapshot)

    def label_for(self, code: str) -> str:
        return self.spec.label_for(code)

    @property
    def is_proposed(self) -> bool:
        return self.status == AssessmentStatus.PROPOSED

    @property
    def map_label(self) -> str:
        """Which map the output uses: "Theo bản đồ hành chính năm 2020 (138 đơn vị)"."""
        count = self.results.count()
        if self.map_generation_id is None:
            return f"Quy đổi sang đơn vị hành chính hiện nay ({count} đơn vị)"
        return map_label(self.map_generation, count)


class AssessmentResult(models.Model):
    """One commune in one assessment: the proposed level, the final level (the proposal unless
    overridden with a reason), and the indicators and per-criterion explanation it was based on."""

    area_lookup = "commune"

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đợt phân loại"), on_delete=models.PROTECT, related_name="results"
    )
    commune = unit_fk(_("xã/phường"), related_name="classification_results")
    proposed_level = models.CharField(_("loại đề xuất"), max_length=30)
    final_level = models.CharField(_("loại chính thức"), max_length=30)
    criteria_met = models.PositiveSmallIntegerField(_("số tiêu chí đạt"), default=0)
    indicators = models.JSONField(_("chỉ số"))
    explanation = models.JSONField(_("giải thích"))
    override_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    overridden_by = user_fk(_("người điều chỉnh"))
    overridden_at = models.DateTimeField(_("điều chỉnh lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả phân loại xã")
        verbose_name_plural = _("kết quả phân loại xã")
        ordering = ["pk"]  # selectors order explicitly (by commune name); no implicit joins
        constraints = [
            models.UniqueConstraint(fields=["assessment", "commune"], name="classification_result_unique_commune")
        ]
        indexes = [models.Index(fields=["commune", "assessment"], name="classification_result_unit_idx")]

    def __str__(self) -> str:
        return f"{self.commune} – {self.final_level}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def final_label(self) -> str:
        return self.assessment.label_for(self.final_level)

    @property
    def proposed_label(self) -> str:
        return self.assessment.label_for(self.proposed_level)

    @property
    def is_provisional(self) -> bool:
        """The system's outcome rests on unverified criteria ("kết quả tham khảo"). A level set
        by an authorised override is a decision of the province, not the engine's reading."""
        return not self.is_overridden and rules.provisional(self.explanation or {})

    @property
    def is_key(self) -> bool:
        return self.assessment.spec.is_key(self.final_level)
