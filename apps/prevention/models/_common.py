"""What the prevention models share: the year bounds (the user foreign key is ``core.models.user_fk``)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator

_YEAR = [MinValueValidator(1900), MaxValueValidator(2100)]
