"""The synthetic national tree of the national benchmark, at tiny scale."""

import pytest
from django.core.management import CommandError, call_command

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit, UnitGeneration, UnitPopulation
from apps.bench import national

pytestmark = pytest.mark.django_db


def test_tree_shape_paths_and_populations():
    summary = national.national_units_create(communes=20, provinces=3, population_year=2025)
    assert (summary.created, summary.provinces, summary.communes, summary.populations) == (True, 3, 20, 20)

    units = AdministrativeUnit.objects.filter(generation_id=national.GENERATION_CODE)
    counts = {level: units.filter(level=level).count() for level in Level.values}
    assert counts == {Level.COUNTRY: 1, Level.PROVINCE: 3, Level.DISTRICT: 0, Level.COMMUNE: 20}

    root = national.national_root()
    assert (root.pk, root.parent_id, root.depth, root.path) == (summary.root_id, None, 0, "bench-vn:VN/")
    assert root.full_name == "Toàn quốc (mô phỏng)"
    assert UnitGeneration.objects.get(code=national.GENERATION_CODE).valid_from.isoformat() == "2025-07-01"
    for unit in units.exclude(pk=root.pk).select_related("parent"):
        assert unit.path == f"{unit.parent.path}{unit.code}/"
        assert unit.path.startswith(root.path)
        assert unit.depth == unit.parent.depth + 1
        assert unit.valid_to is None and unit.is_current
    assert set(units.filter(level=Level.PROVINCE).values_list("parent_id", flat=True)) == {root.pk}
    assert set(units.filter(level=Level.COMMUNE).values_list("parent__level", flat=True)) == {Level.PROVINCE}
    # every province has communes; names, kinds and search names as the real loader fills them
    assert all(units.filter(parent=p).exists() for p in units.filter(level=Level.PROVINCE))
    first = units.get(level=Level.COMMUNE, code="00001")
    assert first.name == "Mô Phỏng 00001"
    assert first.full_name == f"{'Phường' if first.kind == 'phuong' else 'Xã'} Mô Phỏng 00001"
    assert first.search_name == "mo phong 00001"
    assert set(units.filter(level=Level.COMMUNE).values_list("kind", flat=True)) <= {"xa", "phuong"}
    assert units.filter(level=Level.COMMUNE).values("name").distinct().count() == 20
    assert AdministrativeUnit.objects.subtree(root).filter(level=Level.COMMUNE).count() == 20

    populations = UnitPopulation.objects.filter(unit__generation_id=national.GENERATION_CODE)
    assert populations.count() == 20
    assert set(populations.values_list("unit__level", "year").distinct()) == {(Level.COMMUNE, 2025)}
    assert all(2_000 <= p <= 40_000 for p in populations.values_list("population", flat=True))


def test_idempotent():
    national.national_units_create(communes=20, provinces=3, population_year=2025)
    before = (AdministrativeUnit.objects.count(), UnitPopulation.objects.count())
    again = national.national_units_create(communes=20, provinces=3, population_year=2025)
    assert (again.created, again.provinces, again.communes, again.populations) == (False, 3, 20, 20)
    assert (AdministrativeUnit.objects.count(), UnitPopulation.objects.count()) == before


def test_uneven_spread_at_national_scale():
    import random

    counts = national._spread(10_000, 34, random.Random(7))
    assert sum(counts) == 10_000 and len(counts) == 34
    assert min(counts) >= 80 and max(counts) <= 620 and max(counts) > 2 * min(counts)


def test_command_refuses_sqlite_without_flag(monkeypatch):
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "sqlite")  # the suite also runs on PostgreSQL
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("benchmark_national", "--skip-seed")


def test_command_refuses_a_database_with_real_communes(world):
    with pytest.raises(CommandError, match="current communes outside the synthetic generation"):
        call_command("benchmark_national", "--skip-seed", "--allow-sqlite")


def test_command_refuses_real_communes_before_writing_anything(world):
    """It used to create the synthetic tree (10,000 communes by default) and only then stop,
    leaving the tree behind in the real database."""
    units = AdministrativeUnit.objects.count()
    with pytest.raises(CommandError, match="current communes outside the synthetic generation"):
        call_command("benchmark_national", "--skip-seed", "--allow-sqlite", "--communes", "20", "--provinces", "3")
    assert AdministrativeUnit.objects.count() == units
    assert not AdministrativeUnit.objects.filter(generation_id=national.GENERATION_CODE).exists()
    assert not UnitGeneration.objects.filter(code=national.GENERATION_CODE).exists()
    assert not UnitPopulation.objects.filter(unit__generation_id=national.GENERATION_CODE).exists()
