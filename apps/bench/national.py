"""A synthetic national administrative tree for benchmarks at national scale (issues 4 and 6).

``national_units_create`` writes, in its own generation (``bench-vn``, in force from 01/7/2025),
a root "Toàn quốc (mô phỏng)" (level ``country``), N provinces and M communes spread unevenly over
them (about 100–600 per province at the default 34 provinces / 10,000 communes), each commune with
a resident population for one year (2,000–40,000). It is benchmark data, not the catalogue:

* units are bulk-created, not loaded through ``services.units_load`` (no audit row), with the same
  derived fields the loader fills (``compute_tree_fields``: path, depth, search_name), names in the
  catalogue's form (name "Mô Phỏng 00001", full_name "Xã Mô Phỏng 00001");
* the root has no ``kind`` (the catalogue has no kind for the country);
* codes: root "VN", provinces "1"…"34" (so a synthetic province carries ``PCMT_PROVINCE_CODE``,
  default "8", like the real one), communes "00001"…"10000";
* idempotent: nothing is written when the generation already exists.

Meant for a database holding ONLY this tree (no ``load_units``): the cases seeder spreads people
over every current commune.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.areas.choices import Kind, Level
from apps.areas.models import AdministrativeUnit, UnitGeneration, UnitPopulation

GENERATION_CODE = "bench-vn"
GENERATION_NAME = "Mô phỏng toàn quốc (đo hiệu năng)"
VALID_FROM = dt.date(2025, 7, 1)
ROOT_CODE = "VN"
ROOT_NAME = "Toàn quốc (mô phỏng)"
POPULATION_SOURCE = "Số liệu mô phỏng (đo hiệu năng)"
# Six of the 34 provincial units are centrally run cities (from 01/7/2025): more wards there.
CITY_SHARE = 6 / 34
WARD_SHARE_CITY = 0.55
WARD_SHARE_PROVINCE = 0.15
BATCH_SIZE = 2_000


@dataclass
class NationalSummary:
    created: bool
    generation: str
    root_id: int
    provinces: int
    communes: int
    populations: int
    population_year: int
    seconds: float = 0.0


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` uneven positive shares, in proportion to weights drawn from a
    triangular distribution 100–600 (mode 200, mean 300): 10,000 over 34 gives ~95–590 each."""
    if parts < 1 or total < parts:
        raise ValueError(f"Cannot spread {total} communes over {parts} provinces (at least one each).")
    weights = [rng.triangular(100, 600, 200) for _i in range(parts)]
    scale = (total - parts) / sum(weights)
    exact = [w * scale for w in weights]
    counts = [1 + int(x) for x in exact]
    # largest remainders get the communes left over by the rounding down
    order = sorted(range(parts), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _population(rng: random.Random, kind: str) -> int:
    """Resident population of a commune-level unit: log-normal, wards larger, 2,000–40,000."""
    median = 18_000 if kind == Kind.PHUONG else 9_000
    return max(2_000, min(40_000, int(rng.lognormvariate(0, 0.55) * median)))


def national_root() -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(generation_id=GENERATION_CODE, level=Level.COUNTRY).first()


def _existing_summary(started: float) -> NationalSummary:
    units = AdministrativeUnit.objects.filter(generation_id=GENERATION_CODE)
    root = national_root()
    populations = UnitPopulation.objects.filter(unit__generation_id=GENERATION_CODE)
    return NationalSummary(
        created=False,
        generation=GENERATION_CODE,
        root_id=root.pk if root else 0,
        provinces=units.filter(level=Level.PROVINCE).count(),
        communes=units.filter(level=Level.COMMUNE).count(),
        populations=populations.count(),
        population_year=populations.order_by("-year").values_list("year", flat=True).first() or 0,
        seconds=time.perf_counter() - started,
    )


@transaction.atomic
def national_units_create(
    *, communes: int = 10_000, provinces: int = 34, population_year: int | None = None, seed: int = 7
) -> NationalSummary:
    """Create the synthetic national tree (see the module docstring); skip when it exists."""
    started = time.perf_counter()
    if UnitGeneration.objects.filter(code=GENERATION_CODE).exists():
        return _existing_summary(started)
    if population_year is None:
        population_year = timezone.localdate().year - 1  # the last full year, the one classified
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    generation = UnitGeneration.objects.create(
        code=GENERATION_CODE, name=GENERATION_NAME, valid_from=VALID_FROM, legal_basis="Dữ liệu mô phỏng"
    )

    def unit(code: str, level: str, kind: str, name: str, full_name: str, parent=None) -> AdministrativeUnit:
        obj = AdministrativeUnit(
            generation=generation,
            code=code,
            level=level,
            kind=kind,
            name=name,
            full_name=full_name,
            parent=parent,
            valid_from=VALID_FROM,
        )
        obj.compute_tree_fields()  # path, depth, search_name, as the loader does
        return obj

    root = unit(ROOT_CODE, Level.COUNTRY, "", ROOT_NAME, ROOT_NAME)
    root.save()

    cities = round(provinces * CITY_SHARE)
    province_rows = []
    for number in range(1, provinces + 1):
        city = number <= cities
        name = f"Mô Phỏng {number:02d}"
        kind = Kind.THANH_PHO_TW if city else Kind.TINH
        full_name = f"{'Thành phố' if city else 'Tỉnh'} {name}"
        province_rows.append(unit(str(number), Level.PROVINCE, kind, name, full_name, parent=root))
    AdministrativeUnit.objects.bulk_create(province_rows, batch_size=BATCH_SIZE)
    if any(p.pk is None for p in province_rows):  # a backend without RETURNING: read the ids back
        ids = dict(
            AdministrativeUnit.objects.filter(generation=generation, level=Level.PROVINCE).values_list("code", "pk")
        )
        for p in province_rows:
            p.pk = ids[p.code]

    commune_rows = []
    number = 0
    for province, count in zip(province_rows, _spread(communes, provinces, rng), strict=True):
        wards = WARD_SHARE_CITY if province.kind == Kind.THANH_PHO_TW else WARD_SHARE_PROVINCE
        for _i in range(count):
            number += 1
            ward = rng.random() < wards
            name = f"Mô Phỏng {number:05d}"
            full_name = f"{'Phường' if ward else 'Xã'} {name}"
            kind = Kind.PHUONG if ward else Kind.XA
            commune_rows.append(unit(f"{number:05d}", Level.COMMUNE, kind, name, full_name, parent=province))
    AdministrativeUnit.objects.bulk_create(commune_rows, batch_size=BATCH_SIZE)
    kinds = {c.code: c.kind for c in commune_rows}
    commune_ids = AdministrativeUnit.objects.filter(generation=generation, level=Level.COMMUNE).values_list(
        "code", "pk"
    )
    populations = [
        UnitPopulation(
            unit_id=pk, year=population_year, population=_population(rng, kinds[code]), source=POPULATION_SOURCE
        )
        for code, pk in sorted(commune_ids)
    ]
    UnitPopulation.objects.bulk_create(populations, batch_size=BATCH_SIZE)
    return NationalSummary(
        created=True,
        generation=GENERATION_CODE,
        root_id=root.pk,
        provinces=len(province_rows),
        communes=len(commune_rows),
        populations=len(populations),
        population_year=population_year,
        seconds=time.perf_counter() - started,
    )
