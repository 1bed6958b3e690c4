"""``seed_demo`` runs the seeders the dev-only demo app registers (core.registry), in their order."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from apps.core import registry
from apps.core.registry import DemoSeeder


def test_every_app_with_demo_data_registers_its_seeder_in_order():
    assert [s.key for s in registry.demo_seeders()] == [
        "accounts",
        "areas",
        "cases",
        "registers",
        "cases.past",
        "classification",
        "prevention",
        "reporting",
        "prevention.informant_reader",
    ]


@pytest.mark.django_db
def test_seed_demo_runs_the_registered_seeders_and_sums_them_up(world, settings, monkeypatch):
    settings.PCMT_ALLOW_DEMO_DATA = True
    settings.PCMT_PROVINCE_CODE = world.province.code
    ran: list[str] = []

    def seeder(key: str, n: int):
        def seed(context) -> int:
            assert context.province == world.province
            ran.append(key)
            return n

        return seed

    monkeypatch.setattr(
        registry,
        "_DEMO_SEEDERS",
        {
            "b": DemoSeeder("b", 20, seeder("b", 5), summary="%(n)s bê", summary_order=0),
            "a": DemoSeeder("a", 10, seeder("a", 3), summary="%(n)s a", summary_order=1),
            "c": DemoSeeder("c", 30, seeder("c", 7), note="Ghi chú: %(n)s cũ."),
            "d": DemoSeeder("d", 40, seeder("d", 0)),
        },
    )
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert ran == ["a", "b", "c", "d"]
    assert out.getvalue() == "Dữ liệu minh họa: 5 bê, 3 a.\nGhi chú: 7 cũ.\n"
