"""Demo population figures for every current commune (deterministic, plausible magnitudes)."""

import random

from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.areas.services import population_set
from apps.core.registry import DemoSeeder, register_demo_seeder

DEMO_SOURCE = "Số liệu minh họa (demo)"


def seed_population(*, actor, years=(2024, 2025, 2026)) -> int:
    count = 0
    communes = AdministrativeUnit.objects.current().filter(level="commune").order_by("code")
    for unit in communes:
        rng = random.Random(int(unit.code))  # noqa: S311 - demo figures, not security
        base = rng.randint(3500, 9000) if unit.kind == "xa" else rng.randint(9000, 26000)
        for offset, year in enumerate(years):
            population_set(
                actor=actor, unit=unit, year=year, population=int(base * (1 + 0.011 * offset)), source=DEMO_SOURCE
            )
            count += 1
    return count


register_demo_seeder(
    DemoSeeder(
        "areas",
        10,
        lambda context: seed_population(actor=context.administrator),
        summary=_("%(n)s số liệu dân số"),
        summary_order=1,
    )
)
