"""Register records, always entered through the services so they carry their numbers, status
history and audit rows exactly like real ones.

Each kind's ``make_<kind>`` is registered with ``@register_factory(Model)``: the tests that run over
every kind (the permission matrix, scope refusals, query budgets, import/export round trips) find
the kinds with ``every_kind()`` and build their records with ``make_record``, so a new kind is one
decorated factory here and no test list to extend.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from apps.registers.choices import CriminalArticle, HotspotKind, HotspotStatus, PlantSpecies
from apps.registers.models import CrimeCase, Cultivation, Hotspot
from apps.registers.services import crimecases as crimecase_services
from apps.registers.services import cultivation as cultivation_services
from apps.registers.services import hotspots as hotspot_services

DEFAULT_DAY = dt.date(2026, 1, 5)
_names = itertools.count(1)


@dataclass(frozen=True)
class KindFactory:
    make: Callable
    #: field sets as varied as the kind's records get (related rows, a status, decimals): what the
    #: shared tests enter to exercise the list joins and the export columns; one record each
    samples: tuple[dict, ...]


_FACTORIES: dict[type, KindFactory] = {}


def register_factory(model, *, samples: tuple[dict, ...] = ({},)):
    """Declare ``make(actor, commune, **fields)`` as the factory of the register kind ``model``."""

    def decorate(make):
        _FACTORIES[model] = KindFactory(make, samples)
        return make

    return decorate


def factory_of(model) -> KindFactory:
    try:
        return _FACTORIES[model]
    except KeyError:
        raise LookupError(
            f"no factory for the register kind {model.__name__}: decorate its make_<kind> in "
            "tests/factories/registers.py with @register_factory"
        ) from None


def make_record(model, actor, commune, **fields):
    """A record of any register kind in ``commune``, through its registered factory."""
    return factory_of(model).make(actor, commune, **fields)


def _has_list(model) -> bool:
    try:
        reverse(f"registers:{model._meta.model_name}_list")
    except NoReverseMatch:
        return False
    return True


def register_models() -> list[type]:
    """Every register kind: a model of the registers app scoped by its own commune with a list page
    (child rows such as offenders or status changes are scoped through their parent)."""
    return [
        model
        for model in apps.get_app_config("registers").get_models()
        if getattr(model, "area_lookup", None) == "commune" and _has_list(model)
    ]


def every_kind():
    """The kinds for ``pytest.mark.parametrize("model", every_kind())``, with readable ids."""
    return [pytest.param(model, id=model._meta.model_name) for model in register_models()]


@register_factory(
    Hotspot,
    samples=(
        {"latitude": Decimal("21.8233"), "village": "Thôn A"},
        {
            "status": HotspotStatus.SURVEILLANCE,
            "discovered_on": dt.date(2025, 1, 1),
            "status_since": dt.date(2025, 2, 1),
        },
    ),
)
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


@register_factory(
    CrimeCase,
    samples=(
        {"heroin_g": Decimal("1.25"), "offenders": [offender("Lý Thị Mai", sex="F", birth_year=1995)]},
        {"offenders_count": 3},
    ),
)
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


@register_factory(Cultivation, samples=({"area_m2": Decimal("12.5")},))
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
