"""Demo register records on real communes, entered through the services (history, audit, numbers)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases.models import CaseFile
from apps.core.registry import DemoSeeder, register_demo_seeder
from apps.demo.cases import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, VILLAGES
from apps.registers.choices import CaseStage, HotspotKind, HotspotStatus, PlantSpecies
from apps.registers.models import CrimeCase, Cultivation, Hotspot
from apps.registers.services import crimecases as crimecase_services
from apps.registers.services import cultivation as cultivation_services
from apps.registers.services import hotspots as hotspot_services

if TYPE_CHECKING:
    from apps.accounts.models import User

ART_256A_FROM = dt.date(2025, 7, 1)  # Art. 256a BLHS (Law 86/2025/QH15) applies from this date
# (name pattern, kind, steps: (status, days before today)) — the first step is the discovery.
HOTSPOTS = [
    (
        "Nhà nghỉ bỏ hoang ven đường, {village}",
        HotspotKind.HOTSPOT,
        [(HotspotStatus.ACTIVE, 720), (HotspotStatus.SURVEILLANCE, 420), (HotspotStatus.ELIMINATED, 210)],
    ),
    (
        "Lán tạm khu bãi sông, {village}",
        HotspotKind.POINT,
        [(HotspotStatus.ACTIVE, 540), (HotspotStatus.ELIMINATED, 380), (HotspotStatus.REEMERGED, 75)],
    ),
    ("Quán nước đầu cầu, {village}", HotspotKind.POINT, [(HotspotStatus.ACTIVE, 120)]),
    (
        "Nhà cho thuê phòng trọ, {village}",
        HotspotKind.HARBOURING,
        [(HotspotStatus.ACTIVE, 300), (HotspotStatus.SURVEILLANCE, 45)],
    ),
]
REASONS = {
    HotspotStatus.SURVEILLANCE: "Đã xử lý đối tượng cầm đầu; giao Công an xã và trưởng thôn theo dõi.",
    HotspotStatus.ELIMINATED: "Qua theo dõi 6 tháng không còn hoạt động mua bán, sử dụng.",
    HotspotStatus.REEMERGED: "Nguồn tin quần chúng: có người tụ tập sử dụng trở lại.",
}
CRIME_ARTICLES = ["249", "250", "251", "251", "251", "255", "256"]
SUMMARIES = {
    "249": "Bắt quả tang đối tượng tàng trữ trái phép chất ma túy để sử dụng tại {village}.",
    "250": "Phát hiện đối tượng vận chuyển trái phép chất ma túy trên tuyến đường qua {village}.",
    "251": "Bắt quả tang đối tượng mua bán trái phép chất ma túy tại {village}.",
    "255": "Phát hiện nhóm đối tượng tổ chức sử dụng trái phép chất ma túy tại nhà riêng ở {village}.",
    "256": "Chủ nhà cho thuê phòng chứa chấp việc sử dụng trái phép chất ma túy tại {village}.",
    "256a": "Đối tượng đang trong thời gian quản lý sau cai nghiện tiếp tục sử dụng trái phép chất ma túy.",
}


def _name(rng: random.Random) -> tuple[str, str]:
    sex = "F" if rng.random() < 0.15 else "M"
    given = GIVEN_F if sex == "F" else GIVEN_M
    middle = MIDDLE_F if sex == "F" else MIDDLE_M
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}", sex


def _hotspots(officer, commune, rng: random.Random, today: dt.date) -> int:
    linked = list(CaseFile.objects.filter(commune=commune).order_by("pk")[:2])
    villages = rng.sample(VILLAGES, len(HOTSPOTS))
    for (pattern, kind, steps), village in zip(HOTSPOTS, villages, strict=True):
        first, days = steps[0]
        hotspot = hotspot_services.hotspot_create(
            actor=officer,
            data=hotspot_services.HotspotInput(
                name=pattern.format(village=village),
                kind=kind,
                discovered_on=today - dt.timedelta(days=days),
                commune=commune,
                village=village,
                address=rng.choice(["Cách UBND xã 2 km", "Gần chợ trung tâm", "Khu vực bãi sông", "Cuối ngõ 5"]),
                latitude=Decimal("21.8") + Decimal(rng.randint(0, 9999)) / 100000,
                longitude=Decimal("105.2") + Decimal(rng.randint(0, 9999)) / 100000,
                notes="Nguồn tin quần chúng nhân dân cung cấp.",
                linked_cases=linked if kind == HotspotKind.POINT and days < 200 else [],
            ),
            status=first,
        )
        for status, before in steps[1:]:
            hotspot_services.hotspot_change_status(
                actor=officer,
                hotspot=hotspot,
                to_status=status,
                changed_on=today - dt.timedelta(days=before),
                reason=REASONS[status],
            )
    return len(HOTSPOTS)


def _seizure(article: str, rng: random.Random) -> dict:
    if article in ("250", "251"):
        return {
            "heroin_g": Decimal(rng.randint(0, 3) * rng.randint(100, 9000)) / 1000,
            "synthetic_g": Decimal(rng.randint(500, 25000)) / 1000,
            "synthetic_tablets": rng.choice([0, 0, 20, 60, 200]),
        }
    if article == "249":
        return {"synthetic_g": Decimal(rng.randint(100, 3000)) / 1000, "cannabis_g": Decimal(rng.randint(0, 1) * 15)}
    return {"synthetic_g": Decimal(rng.randint(0, 800)) / 1000}


def _crimes(officer, commune, rng: random.Random, today: dt.date, count: int = 7) -> int:
    file = CaseFile.objects.filter(commune=commune).select_related("person").order_by("pk").first()
    for i in range(count):
        occurred = today - dt.timedelta(days=rng.randint(5, 3 * 365))
        article = "256a" if occurred >= ART_256A_FROM and i == count - 1 else rng.choice(CRIME_ARTICLES)
        age = (today - occurred).days
        stage = (
            CaseStage.DETECTED
            if age < 30
            else CaseStage.PROSECUTED
            if age < 120
            else CaseStage.INDICTED
            if age < 240
            else rng.choice([CaseStage.TRIED, CaseStage.CLOSED])
        )
        offenders = []
        for _n in range(rng.randint(1, 3 if article in ("251", "255") else 1)):
            name, sex = _name(rng)
            offenders.append(
                crimecase_services.OffenderInput(
                    full_name=name,
                    sex=sex,
                    birth_year=rng.randint(1970, occurred.year - 18),
                    arrested_on=min(today, occurred + dt.timedelta(days=rng.choice([0, 0, 1, 3]))),
                )
            )
        if i == 0 and file is not None and file.person.birth_year <= occurred.year - 18:
            # A person with a management file is also an offender: the pages link the two.
            p = file.person
            offenders[0] = crimecase_services.OffenderInput(
                full_name=p.full_name, sex=p.sex, birth_year=p.birth_year, arrested_on=occurred, person=p
            )
        village = rng.choice(VILLAGES)
        crimecase_services.crime_case_create(
            actor=officer,
            data=crimecase_services.CrimeCaseInput(
                occurred_on=occurred,
                article=article,
                summary=SUMMARIES[article].format(village=village),
                commune=commune,
                offenders_count=len(offenders) + (1 if rng.random() < 0.15 else 0),
                stage=stage,
                **_seizure(article, rng),
            ),
            offenders=offenders,
        )
    return count


def _cultivation(officer, commune, rng: random.Random, today: dt.date) -> int:
    created = 0
    for years_ago in (2, 1, 0):
        found = dt.date(today.year - years_ago, rng.randint(1, 3), rng.randint(1, 28))
        if found > today:
            continue
        species = PlantSpecies.OPIUM_POPPY if rng.random() < 0.75 else PlantSpecies.CANNABIS
        plants = rng.randint(150, 3500)
        cultivation_services.cultivation_create(
            actor=officer,
            data=cultivation_services.CultivationInput(
                found_on=found,
                species=species,
                commune=commune,
                plants=plants,
                area_m2=Decimal(plants) * Decimal(rng.randint(15, 40)) / 100,
                destroyed=True,
                village=rng.choice(VILLAGES),
                notes="Phát hiện qua tuần tra nương rẫy; đã nhổ bỏ, tiêu hủy tại chỗ.",
            ),
        )
        created += 1
    return created


def seed_registers(*, officers: dict[str, User], seed: int = 2026) -> int:
    """``officers``: commune code → the officer who keeps that commune's registers. Creates a few
    hotspots in every status (with history), crime cases over the last three years with
    seizures and offenders, and plant finds in the rural (mountain) communes. Idempotent: a
    commune that already has register records is skipped. Returns the number of records."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    today = timezone.localdate()
    created = 0
    for code, officer in officers.items():
        commune = AdministrativeUnit.objects.current().get(code=code, level="commune")
        if any(model.objects.filter(commune=commune).exists() for model in (Hotspot, CrimeCase, Cultivation)):
            continue
        created += _hotspots(officer, commune, rng, today)
        created += _crimes(officer, commune, rng, today)
        if commune.kind == "xa":  # wards are urban: no poppy fields
            created += _cultivation(officer, commune, rng, today)
    return created


register_demo_seeder(
    DemoSeeder(
        "registers",
        30,
        lambda context: seed_registers(officers=context.officers),
        summary=_("%(n)s bản ghi sổ theo dõi"),
        summary_order=3,
    )
)
