"""Vocabularies shared by several apps (one definition, so the labels cannot drift apart)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.TextChoices):
    """How far a legal parameter (a duration, a threshold, a plan target) was checked against the
    official text; anything not verified is shown as provisional."""

    VERIFIED = "verified", _("Đã kiểm chứng với văn bản")
    PARTLY = "partly", _("Kiểm chứng một phần")
    UNVERIFIED = "unverified", _("Chưa kiểm chứng – cần pháp chế xác nhận")
