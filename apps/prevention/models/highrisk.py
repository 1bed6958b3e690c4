"""The commune's high-risk register and which activities reached each person (coverage)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.cases.choices import Sex
from apps.core.models import VersionedModel, unit_fk, user_fk

from ..choices import HighRiskSource, HighRiskStatus
from ._common import _YEAR
from .activities import Activity, AudienceGroup


class HighRiskPerson(VersionedModel):
    """A person of the commune's high-risk group (sổ nhóm nguy cơ cao). People with an open case
    file join automatically (``services.highrisk_sync_from_cases``); others are entered by the
    officer. Reaching every active person is a Plan 63 target (coverage)."""

    area_lookup = "commune"

    commune = unit_fk(_("xã, phường"), related_name="prevention_high_risk")
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
    created_by = user_fk(_("người lập"))

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
    recorded_by = user_fk(_("người ghi"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("người được tiếp cận")
        verbose_name_plural = _("người được tiếp cận")
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="prevention_reach_unique")]
        indexes = [models.Index(fields=["person", "activity"], name="prevention_reach_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} ← {self.activity}"
