"""The demo data: realistic records through the services, idempotent."""

from apps.demo.registers import seed_registers
from apps.registers.choices import HotspotStatus
from apps.registers.models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange, Offender
from tests.factories.cases import make_case


def test_seed_registers_creates_varied_records_once(world, officer_a, officer_b):
    make_case(officer_a, world.commune_a)  # an offender is linked to this person
    created = seed_registers(officers={"2458": officer_a, "2215": officer_b})
    assert created == Hotspot.objects.count() + CrimeCase.objects.count() + Cultivation.objects.count()
    statuses = set(Hotspot.objects.filter(commune=world.commune_a).values_list("status", flat=True))
    assert statuses == set(HotspotStatus.values)
    assert HotspotStatusChange.objects.filter(to_status=HotspotStatus.REEMERGED).count() == 2
    assert CrimeCase.objects.filter(commune=world.commune_b).count() == 7
    assert Offender.objects.filter(person__isnull=False).exists()
    assert CrimeCase.objects.exclude(heroin_g=0, synthetic_g=0, cannabis_g=0).exists()
    # Plant finds only in the rural commune, not in the ward.
    assert Cultivation.objects.filter(commune=world.commune_a).exists()
    assert not Cultivation.objects.filter(commune=world.commune_b).exists()
    assert seed_registers(officers={"2458": officer_a, "2215": officer_b}) == 0
