"""Shared fixtures: a small province with two current communes and one former commune merged into
commune A, and users of every role. Scenario data is built with factories, not fixtures."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit, UnitSuccession
from tests.factories.accounts import UserFactory, ensure_roles
from tests.factories.areas import GenerationFactory, ProvinceFactory, UnitFactory


@dataclass
class World:
    province: AdministrativeUnit
    commune_a: AdministrativeUnit
    commune_b: AdministrativeUnit
    former_a: AdministrativeUnit  # pre-2025 commune merged into commune_a

    @property
    def today(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate()

    def user(self, role: str | None, area: AdministrativeUnit | None, username: str):
        return UserFactory(username=username, role=role, area=area)


@pytest.fixture
def world(db) -> World:
    ensure_roles()
    province = ProvinceFactory()
    commune_a = UnitFactory(parent=province, code="2458", name="Trung Sơn", full_name="Xã Trung Sơn")
    commune_b = UnitFactory(
        parent=province, code="2215", name="Minh Xuân", full_name="Phường Minh Xuân", kind="phuong"
    )
    old_gen = GenerationFactory(code="pre2025", name="Trước 01/7/2025")
    old_province = ProvinceFactory(generation=old_gen)
    old_district = UnitFactory(
        generation=old_gen,
        parent=old_province,
        code="75",
        level="district",
        kind="huyen",
        name="Yên Sơn",
        full_name="Huyện Yên Sơn",
    )
    former_a = UnitFactory(
        generation=old_gen, parent=old_district, code="2467", name="Đạo Viện", full_name="Xã Đạo Viện"
    )
    day = dt.date(2025, 7, 1)
    # Like the real conversion table: former communes → new communes, and the former province and
    # its districts → today's province (districts were abolished).
    UnitSuccession.objects.create(old=former_a, new=commune_a, effective_date=day)
    UnitSuccession.objects.create(old=old_district, new=province, effective_date=day)
    UnitSuccession.objects.create(old=old_province, new=province, effective_date=day)
    return World(province=province, commune_a=commune_a, commune_b=commune_b, former_a=former_a)


@pytest.fixture
def officer_a(world):
    return world.user(roles.COMMUNE_OFFICER, world.commune_a, "officer_a")


@pytest.fixture
def officer_b(world):
    return world.user(roles.COMMUNE_OFFICER, world.commune_b, "officer_b")


@pytest.fixture
def steering_a(world):
    return world.user(roles.STEERING_MEMBER, world.commune_a, "steering_a")


@pytest.fixture
def province_staff(world):
    return world.user(roles.PROVINCE_STAFF, world.province, "province_staff")


@pytest.fixture
def administrator(world):
    return world.user(roles.ADMINISTRATOR, world.province, "administrator")


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def real_units(db):
    """The real catalogue (975 units, 857 conversions: today, early 2025, the maps of 2019 and 2020)."""
    from apps.areas.services import units_load

    units_load()
    return AdministrativeUnit.objects.all()
