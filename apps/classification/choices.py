"""Choices of the classification app. The engine (``rules.py``, pure) is the source of truth for
indicators, comparisons and combinations; the model fields reuse its tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import Verification  # noqa: F401 - re-exported: models and forms use choices.Verification

from . import rules

INDICATOR_CHOICES = [(code, info.label) for code, info in rules.INPUTS.items()]
COMPARISON_CHOICES = list(rules.COMPARISONS.items())
COMBINATION_CHOICES = list(rules.COMBINATIONS.items())
CRITERION_KIND_CHOICES = list(rules.KINDS.items())


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang áp dụng")
    RETIRED = "retired", _("Hết áp dụng")


class AssessmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đề xuất (chưa phê duyệt)")
    APPROVED = "approved", _("Đã phê duyệt")
    SUPERSEDED = "superseded", _("Đã được thay thế")


class RouteKind(models.TextChoices):
    ROAD = "road", _("Đường bộ")
    RAIL = "rail", _("Đường sắt")
    WATERWAY = "waterway", _("Đường thủy nội địa")
    AIR = "air", _("Đường hàng không")
    SEA = "sea", _("Đường biển")


# Kinds of the registers app's ``Hotspot`` counted by each indicator (apps/registers, issue #3).
# QĐ 3122/2010 counts "tụ điểm"; whether "điểm" (smaller places) also count is [U].
HOTSPOT_KINDS = ("hotspot",)
HARBOURING_KINDS = ("harbouring",)
