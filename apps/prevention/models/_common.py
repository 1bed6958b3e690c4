"""What the prevention models share: the year bounds and the user foreign key they all use."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

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
