"""Register records, always entered through the services so they carry their numbers, status
history and audit rows exactly like real ones."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from apps.registers.choices import CriminalArticle, HotspotKind, HotspotStatus, PlantSpecies
from apps.registers.models import CrimeCase, Cultivation, Hotspot
from apps.registers.services import crimecases as crimecase_services
from apps.registers.services import cultivation as cultivation_services
from apps.registers.services import hotspots as hotspot_services

DEFAULT_DAY = dt.date(2026, 1, 5)
_names = itertools.count(1)


def make_hotspot(
    actor,
    commune,
    *,
    status: str = HotspotStatus.ACTIVE,
    status_since: dt.date | None = None,
    **fields,
) -> Hotspot:
    """A hotspot as an officer enters it; ``fields`` are ``hotspot_services.HotspotInput`` fields."""
    data = {
        "name": f"Điểm thử số {next(_names)}",
        "kind": HotspotKind.POINT,
        "discovered_on": DEFAULT_DAY,
        "commune": commune,
        **fields,
    }
    return hotspot_services.hotspot_create(
        actor=actor, data=hotspot_services.HotspotInput(**data), status=status, status_since=status_since
    )


def offender(name: str = "Nguyễn Văn Bắt", *, sex: str = "M", arrested_on=DEFAULT_DAY, **kw):
    return crimecase_services.OffenderInput(full_name=name, sex=sex, arrested_on=arrested_on, **kw)


def make_crime_case(actor, commune, *, offenders=(), **fields) -> CrimeCase:
    data = {
        "occurred_on": DEFAULT_DAY,
        "article": CriminalArticle.A251,
        "summary": f"Bắt quả tang mua bán trái phép chất ma túy, vụ thử {next(_names)}",
        "commune": commune,
        **fields,
    }
    return crimecase_services.crime_case_create(
        actor=actor, data=crimecase_services.CrimeCaseInput(**data), offenders=list(offenders)
    )


def make_cultivation(actor, commune, **fields) -> Cultivation:
    data = {
        "found_on": DEFAULT_DAY,
        "species": PlantSpecies.OPIUM_POPPY,
        "plants": 100,
        "area_m2": Decimal("25"),
        "commune": commune,
        "village": f"Thôn thử {next(_names)}",
        **fields,
    }
    return cultivation_services.cultivation_create(actor=actor, data=cultivation_services.CultivationInput(**data))
