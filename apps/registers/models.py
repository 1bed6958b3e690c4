"""The commune registers: drug hotspots (điểm, tụ điểm), drug crime cases and drug-plant finds.

Each record counts towards one *current* commune (``commune``), which is also what scopes it.
Records copied from a register kept before 01/7/2025 may name a former commune: the unit as
written is kept in ``recorded_unit`` and the service derives ``commune`` through the official
conversion (a former commune split between several new ones needs an explicit choice).
Records change only through ``services`` (validation, optimistic locking, audit).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.cases.choices import Sex
from apps.core.models import VersionedModel, unit_fk, user_fk

from .choices import CaseStage, CriminalArticle, HotspotKind, HotspotStatus, PlantSpecies

_ZERO = 0


def _quantity(label, places: int) -> models.DecimalField:
    """A measured quantity (grams seized, square metres found): never negative, zero when not given."""
    return models.DecimalField(
        label, max_digits=12, decimal_places=places, default=_ZERO, validators=[MinValueValidator(0)]
    )


def _commune_fk(related_name: str) -> models.ForeignKey:
    return unit_fk(
        _("xã, phường"), related_name=related_name, help_text=_("Xã, phường hiện nay mà bản ghi được tính vào.")
    )


def _recorded_unit_fk() -> models.ForeignKey:
    return unit_fk(
        _("đơn vị ghi trong sổ"),
        null=True,
        help_text=_("Xã cũ (trước 01/7/2025) như ghi trong sổ; để trống khi sổ ghi đúng xã hiện nay."),
    )


class Hotspot(VersionedModel):
    """A place where drugs are traded or used (điểm, tụ điểm), followed from discovery to
    elimination; every status change is a dated ``HotspotStatusChange``."""

    area_lookup = "commune"

    commune = _commune_fk("hotspots")
    recorded_unit = _recorded_unit_fk()
    village = models.CharField(_("thôn, tổ dân phố"), max_length=120, blank=True)
    address = models.CharField(_("địa chỉ, vị trí"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("vĩ độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("kinh độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    kind = models.CharField(_("loại"), max_length=16, choices=HotspotKind.choices)
    name = models.CharField(_("tên điểm, tụ điểm"), max_length=200)
    discovered_on = models.DateField(_("ngày phát hiện"))
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=HotspotStatus.choices, default=HotspotStatus.ACTIVE
    )
    status_since = models.DateField(_("tình trạng từ ngày"))
    eliminated_on = models.DateField(_("ngày triệt xóa"), null=True, blank=True)
    linked_cases = models.ManyToManyField(
        "cases.CaseFile", verbose_name=_("hồ sơ liên quan"), blank=True, related_name="hotspots"
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    # Derived by the service: the natural key (one name per commune) and the search column.
    name_key = models.CharField(_("khóa tên"), max_length=200, editable=False)
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)

    created_by = user_fk(_("người lập"), blank=False)

    class Meta:
        verbose_name = _("điểm, tụ điểm")
        verbose_name_plural = _("điểm, tụ điểm")
        ordering = ["-updated_at"]
        permissions = [
            ("import_hotspot", _("Nhập điểm, tụ điểm từ tệp Excel")),
            ("export_hotspot", _("Xuất danh sách điểm, tụ điểm")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name_key"], name="registers_hotspot_unique_name"),
            # eliminated ⇔ an elimination date: the period aggregates rely on it.
            models.CheckConstraint(
                condition=(models.Q(status=HotspotStatus.ELIMINATED) & models.Q(eliminated_on__isnull=False))
                | (~models.Q(status=HotspotStatus.ELIMINATED) & models.Q(eliminated_on__isnull=True)),
                name="registers_hotspot_eliminated_date",
                violation_error_message=_("Ngày triệt xóa chỉ có (và bắt buộc có) khi điểm đã triệt xóa."),
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "status"], name="registers_hotspot_status_idx"),
            models.Index(fields=["commune", "discovered_on"], name="registers_hotspot_disc_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_eliminated(self) -> bool:
        return self.status == HotspotStatus.ELIMINATED


class HotspotStatusChange(models.Model):
    """One dated step of a hotspot's history (the first row records its initial status)."""

    area_lookup = "hotspot__commune"

    hotspot = models.ForeignKey(
        Hotspot, verbose_name=_("điểm, tụ điểm"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("từ tình trạng"), max_length=16, choices=HotspotStatus.choices, blank=True)
    to_status = models.CharField(_("sang tình trạng"), max_length=16, choices=HotspotStatus.choices)
    changed_on = models.DateField(_("ngày"))
    reason = models.TextField(_("lý do, kết quả"), blank=True)
    changed_by = user_fk(_("người ghi"), blank=False)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi tình trạng điểm, tụ điểm")
        verbose_name_plural = _("thay đổi tình trạng điểm, tụ điểm")
        ordering = ["changed_on", "pk"]
        indexes = [models.Index(fields=["hotspot", "changed_on"], name="registers_hschange_date_idx")]

    def __str__(self) -> str:
        return f"{self.changed_on:%d/%m/%Y} {self.get_to_status_display()}"


class CrimeCase(VersionedModel):
    """A drug crime case (vụ án về ma túy) detected in the commune, with its seizures."""

    area_lookup = "commune"

    number = models.CharField(_("số hiệu"), max_length=40, unique=True, editable=False)
    commune = _commune_fk("crime_cases")
    recorded_unit = _recorded_unit_fk()
    occurred_on = models.DateField(_("ngày xảy ra, phát hiện"))
    article = models.CharField(_("tội danh (điều BLHS)"), max_length=8, choices=CriminalArticle.choices)
    summary = models.TextField(_("tóm tắt vụ việc"))
    offenders_count = models.PositiveIntegerField(_("số đối tượng bị bắt"), default=0)
    stage = models.CharField(_("giai đoạn"), max_length=12, choices=CaseStage.choices, default=CaseStage.DETECTED)
    heroin_g = _quantity(_("heroin (gam)"), 3)
    synthetic_g = _quantity(_("ma túy tổng hợp (gam)"), 3)
    cannabis_g = _quantity(_("cần sa (gam)"), 3)
    other_g = _quantity(_("ma túy khác (gam)"), 3)
    synthetic_tablets = models.PositiveIntegerField(_("ma túy tổng hợp (viên)"), default=0)
    other_desc = models.CharField(_("mô tả ma túy khác"), max_length=200, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)

    created_by = user_fk(_("người lập"), blank=False)

    class Meta:
        verbose_name = _("vụ án về ma túy")
        verbose_name_plural = _("vụ án về ma túy")
        ordering = ["-occurred_on", "-pk"]
        permissions = [
            ("import_crimecase", _("Nhập vụ án về ma túy từ tệp Excel")),
            ("export_crimecase", _("Xuất danh sách vụ án về ma túy")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(heroin_g__gte=0)
                & models.Q(synthetic_g__gte=0)
                & models.Q(cannabis_g__gte=0)
                & models.Q(other_g__gte=0),
                name="registers_crimecase_amounts_not_negative",
                violation_error_message=_("Khối lượng thu giữ không được âm."),
            ),
        ]
        indexes = [models.Index(fields=["commune", "occurred_on"], name="registers_crime_date_idx")]

    def __str__(self) -> str:
        return f"{self.number} – {self.get_article_display()}" if self.number else str(self.get_article_display())


class Offender(models.Model):
    """A person arrested in a crime case; optionally linked to a person with a case file."""

    area_lookup = "crime_case__commune"

    crime_case = models.ForeignKey(
        CrimeCase, verbose_name=_("vụ án"), on_delete=models.CASCADE, related_name="offenders"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("người có hồ sơ quản lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offences",
    )
    arrested_on = models.DateField(_("ngày bắt"))

    class Meta:
        verbose_name = _("đối tượng bị bắt")
        verbose_name_plural = _("đối tượng bị bắt")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_year})" if self.birth_year else self.full_name


class Cultivation(VersionedModel):
    """A find of drug-bearing plants (phát hiện, triệt phá cây có chứa chất ma túy)."""

    area_lookup = "commune"

    number = models.CharField(_("số hiệu"), max_length=40, unique=True, editable=False)
    commune = _commune_fk("cultivations")
    recorded_unit = _recorded_unit_fk()
    found_on = models.DateField(_("ngày phát hiện"))
    species = models.CharField(_("loại cây"), max_length=16, choices=PlantSpecies.choices)
    plants = models.PositiveIntegerField(_("số cây"), default=0)
    area_m2 = _quantity(_("diện tích (m²)"), 2)
    destroyed = models.BooleanField(_("đã triệt phá"), default=True)
    village = models.CharField(_("thôn, tổ dân phố"), max_length=120, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)

    created_by = user_fk(_("người lập"), blank=False)

    class Meta:
        verbose_name = _("phát hiện, triệt phá cây có chứa chất ma túy")
        verbose_name_plural = _("phát hiện, triệt phá cây có chứa chất ma túy")
        ordering = ["-found_on", "-pk"]
        permissions = [
            ("import_cultivation", _("Nhập số liệu trồng cây có chứa chất ma túy từ tệp Excel")),
            ("export_cultivation", _("Xuất số liệu trồng cây có chứa chất ma túy")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area_m2__gte=0),
                name="registers_cultivation_area_not_negative",
                violation_error_message=_("Diện tích không được âm."),
            ),
        ]
        indexes = [models.Index(fields=["commune", "found_on"], name="registers_cult_date_idx")]

    def __str__(self) -> str:
        return f"{self.number} – {self.get_species_display()}" if self.number else str(self.get_species_display())
