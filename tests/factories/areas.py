import datetime as dt

import factory

from apps.areas.models import AdministrativeUnit, UnitGeneration, UnitPopulation

COMMUNE_NAMES = ["Trung Sơn", "Minh Xuân", "Đạo Viện", "Kim Bình", "Yên Thuận", "Lâm Bình", "Hùng Lợi", "Tân Trào"]


class GenerationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitGeneration
        django_get_or_create = ("code",)

    code = "2025"
    name = "Từ 01/7/2025"
    valid_from = factory.LazyAttribute(lambda g: None if g.code == "pre2025" else dt.date(2025, 7, 1))
    valid_to = factory.LazyAttribute(lambda g: dt.date(2025, 6, 30) if g.code == "pre2025" else None)


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit whose derived tree fields are computed like the real loader does."""

    class Meta:
        model = AdministrativeUnit

    generation = factory.SubFactory(GenerationFactory)
    code = factory.Sequence(lambda n: str(90000 + n))
    level = "commune"
    kind = "xa"
    name = factory.Sequence(lambda n: f"{COMMUNE_NAMES[n % len(COMMUNE_NAMES)]} {n}")
    full_name = factory.LazyAttribute(lambda u: f"{'Phường' if u.kind == 'phuong' else 'Xã'} {u.name}")
    parent = None
    valid_from = factory.LazyAttribute(lambda u: u.generation.valid_from)
    valid_to = factory.LazyAttribute(lambda u: u.generation.valid_to)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.compute_tree_fields()
        obj.save()
        return obj


class ProvinceFactory(UnitFactory):
    level = "province"
    kind = "tinh"
    code = "8"
    name = "Tuyên Quang"
    full_name = "Tỉnh Tuyên Quang"


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitPopulation

    unit = factory.SubFactory(UnitFactory)
    year = 2025
    population = 10000
