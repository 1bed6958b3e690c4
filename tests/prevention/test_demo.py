"""The demo seed: realistic data for each demo commune through the services, idempotent."""

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit
from apps.audit.models import AuditLogEntry
from apps.demo.cases import seed_cases
from apps.demo.prevention import seed_prevention
from apps.prevention.models import Activity, HighRiskPerson, Informant, ModelPoint, TipOff, Training
from tests.factories.accounts import UserFactory
from tests.prevention.conftest import grant_prevention_permissions


def test_seed_prevention_is_realistic_and_idempotent(real_units):
    roles.sync_roles()
    grant_prevention_permissions()
    units = {code: AdministrativeUnit.objects.get(generation_id="2025", code=code) for code in ("2458", "2215", "8")}
    officers = {
        code: UserFactory(username=f"demo{code}", role=roles.COMMUNE_OFFICER, area=units[code])
        for code in ("2458", "2215")
    }
    staff = UserFactory(username="demo_staff", role=roles.PROVINCE_STAFF, area=units["8"])
    seed_cases(officers=officers, per_commune=8)
    created = seed_prevention(officers=officers, province_user=staff)
    assert created > 40
    for code in ("2458", "2215"):
        commune = units[code]
        register = HighRiskPerson.objects.filter(commune=commune)
        assert register.filter(source="cases").exists() and register.filter(source="manual").exists()
        assert register.values("category").distinct().count() >= 3
        activities = Activity.objects.filter(communes=commune)
        assert activities.count() == 13  # 12 of the commune + the province's campaign
        assert activities.filter(reaches__isnull=False).exists()
        assert activities.exclude(participants_total=0).exists()
        assert ModelPoint.objects.get(commune=commune).evaluations.exists()
        tips = TipOff.objects.filter(commune=commune)
        assert tips.count() == 4
        assert Informant.objects.filter(tip_off__in=tips).count() == 2
    assert Training.objects.count() == 3
    audit_rows = AuditLogEntry.objects.count()
    assert seed_prevention(officers=officers, province_user=staff) == 0
    assert AuditLogEntry.objects.count() == audit_rows
    assert Activity.objects.count() == 25
