"""Administrative units with their history.

Units form a generic tree (province → [district, before 01/7/2025] → commune-level unit) and
belong to a *generation*: the statistics office reuses codes between generations (new 2266 is
Xã Lâm Bình, old 2266 was Thị trấn Lăng Can), so a code is only meaningful with its generation.
Successions record the official old→new conversion, including communes split between several
new ones, so data entered under a former unit can be followed to today's unit and back.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import UpdatedByModel
from apps.core.text import normalize

from .choices import STATISTICAL_MAPS, Kind, Level, MapVerification


class UnitGeneration(models.Model):
    """A generation of the administrative map: the set of units valid over one period."""

    code = models.CharField(_("mã thế hệ"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    #: for a map of the time: the day it describes (1 January of its year)
    as_of = models.DateField(_("bản đồ tại ngày"), null=True, blank=True)
    verification = models.CharField(
        _("mức kiểm chứng"), max_length=12, choices=MapVerification.choices, default=MapVerification.VERIFIED
    )
    note = models.TextField(_("nguồn, ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thế hệ đơn vị hành chính")
        verbose_name_plural = _("thế hệ đơn vị hành chính")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class AdministrativeUnitQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> AdministrativeUnitQuerySet:
        """Units valid on ``day`` (open-ended bounds count as valid), outside the statistical maps."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        ).operational()

    def current(self) -> AdministrativeUnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def communes(self) -> AdministrativeUnitQuerySet:
        return self.filter(level="commune")

    def former(self) -> AdministrativeUnitQuerySet:
        """The former units records are converted from (pre-2025), not the statistical maps."""
        return self.filter(valid_to__isnull=False).operational()

    def operational(self) -> AdministrativeUnitQuerySet:
        """Without the statistical maps of the time (2019, 2020): the units people work with."""
        return self.exclude(generation_id__in=STATISTICAL_MAPS)

    def of_map(self, generation: str) -> AdministrativeUnitQuerySet:
        return self.filter(generation_id=generation)

    def subtree(self, unit: AdministrativeUnit, *, include_self: bool = True) -> AdministrativeUnitQuerySet:
        """All units under ``unit`` in its own generation (materialised path prefix)."""
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def scope_of(self, root: AdministrativeUnit) -> AdministrativeUnitQuerySet:
        """The subtree of ``root`` plus every former unit whose territory is now (partly) in it.

        A former unit is included with its whole former subtree when it was converted into
        ``root``'s subtree: province staff see the whole former provinces (even a commune missing
        from the conversion table), a commune officer sees the former communes merged into theirs.
        The former prefixes are read first (one small query) so the result is a plain OR of
        indexed prefix matches; a correlated subquery here cost ~80 ms per scoped query on SQLite.
        """
        old_paths = sorted(
            set(UnitSuccession.objects.filter(new__path__startswith=root.path).values_list("old__path", flat=True))
        )
        prefixes: list[str] = []
        for path in old_paths:  # sorted, so a parent comes before its children
            if not any(path.startswith(p) for p in prefixes):
                prefixes.append(path)
        # A whole former province in scope brings its maps of the time (2019, 2020: the same
        # province code), so province staff read the classifications of past years on them. No
        # query: the maps of the time hold whole provinces under the code they had before 2025.
        for prefix in list(prefixes):
            _generation, _sep, rest = prefix.partition(":")
            if rest.count("/") == 1:
                prefixes.extend(f"{g}:{rest}" for g in STATISTICAL_MAPS)
        condition = models.Q(path__startswith=root.path)
        for prefix in prefixes:
            condition |= models.Q(path__startswith=prefix)
        return self.filter(condition)


class AdministrativeUnit(models.Model):
    """A province, district (before 01/7/2025) or commune-level unit of one generation."""

    # Scoping: a unit is visible when it is itself inside the user's scope.
    area_lookup = "pk"

    generation = models.ForeignKey(
        UnitGeneration,
        verbose_name=_("thế hệ"),
        to_field="code",
        db_column="generation",
        on_delete=models.PROTECT,
        related_name="units",
    )
    code = models.CharField(_("mã đơn vị (TCTK)"), max_length=16)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=120)
    full_name = models.CharField(_("tên đầy đủ"), max_length=160)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "<generation>:<code>/<code>/…/": subtree queries are one indexed prefix match.
    path = models.CharField(_("đường dẫn"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("độ sâu"), default=0, editable=False)
    search_name = models.CharField(_("tên không dấu"), max_length=160, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "code"], name="areas_unit_unique_code_per_generation"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="areas_unit_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_to"], name="areas_unit_level_valid_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def compute_tree_fields(self) -> None:
        """Derive path, depth and the diacritic-free name; called by the service before saving."""
        if self.parent_id:
            self.path = f"{self.parent.path}{self.code}/"
            self.depth = self.parent.depth + 1
        else:
            self.path = f"{self.generation_id}:{self.code}/"
            self.depth = 0
        self.search_name = normalize(self.name)


class UnitSuccession(models.Model):
    """One row of the official old→new conversion: ``old`` became (part of) ``new``."""

    old = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị cũ"), on_delete=models.CASCADE, related_name="successions"
    )
    new = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị mới"), on_delete=models.CASCADE, related_name="predecessions"
    )
    partly = models.BooleanField(
        _("sáp nhập một phần"),
        default=False,
        help_text=_("Đơn vị cũ bị chia cho nhiều đơn vị mới; dữ liệu cần thôn/tổ hoặc lựa chọn rõ ràng."),
    )
    effective_date = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị")
        verbose_name_plural = _("chuyển đổi đơn vị")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="areas_succession_unique_pair")]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class UnitPopulation(UpdatedByModel):
    """Resident population (dân số đang cư trú) of a unit in a year: the denominator of the
    QĐ 28/2025/QĐ-TTg ratio criteria."""

    area_lookup = "unit"

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    population = models.PositiveIntegerField(_("dân số đang cư trú"), validators=[MinValueValidator(1)])
    source = models.CharField(_("nguồn số liệu"), max_length=200, blank=True)
    # Optimistic locking: a save based on a stale version is refused instead of overwriting.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        verbose_name = _("dân số")
        verbose_name_plural = _("dân số")
        ordering = ["unit__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="areas_population_unique_year")]
        permissions = [("import_unitpopulation", _("Nhập dân số từ tệp Excel"))]

    def __str__(self) -> str:
        return f"{self.unit} – {self.year}: {self.population}"
