"""Builders for classification tests: communes, case files, population, routes, fake registers."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from apps.areas.models import UnitPopulation
from apps.cases.models import CaseFile
from apps.classification import rules
from tests.factories.areas import UnitFactory
from tests.factories.cases import advance, make_case
from tests.factories.classification import (  # noqa: F401 - used by the tests through helpers
    CASES_ONLY_RULESET,
    approved_assessment,
    cases_only_ruleset,
    key_route,
)

RULESET_DIR = Path(settings.BASE_DIR) / "fixtures" / "rulesets"


def shipped_specs() -> dict[str, rules.RuleSetSpec]:
    """The shipped rule sets, read from fixtures/rulesets/*.json (the test never copies a threshold)."""
    specs = {}
    for path in sorted(RULESET_DIR.glob("*.json")):
        spec = rules.spec_from_dict(json.loads(path.read_text(encoding="utf-8")))
        specs[spec.code] = spec
    return specs


def commune(world, name: str, code: str):
    return UnitFactory(parent=world.province, code=code, name=name, full_name=f"Xã {name}")


def add_cases(actor, unit, n: int, *, case_type: str = "user", detected_on: dt.date = dt.date(2025, 3, 1)):
    """Open ``n`` case files through the services (like an officer on screen), each under
    management from ``detected_on``: users by a management decision (a 1-year term), addicts by
    an addiction determination. A file only at "có dấu hiệu" is not counted (issue 10 §1)."""
    cases = []
    for _ in range(n):
        case = make_case(actor, unit, detected_on=detected_on)
        if case_type == "addict":
            case = advance(actor, case, "refer_determination", detected_on)
            case = advance(actor, case, "addicted", detected_on, facility="TTYT")
        else:
            case = advance(actor, case, "positive_test", detected_on)
            case = advance(actor, case, "management_decision", detected_on, decision_number="1/QĐ")
        cases.append(case)
    return cases


def close_case(case: CaseFile, on: dt.date) -> None:
    """Close through the service: the counting follows the file's dated events."""
    advance(case.created_by, case, "close", on, close_reason="other")


def population(unit, year: int, n: int) -> UnitPopulation:
    return UnitPopulation.objects.create(unit=unit, year=year, population=n)


def approved_report(unit, year: int):
    """An approved yearly report of the commune: the province accepted its figures (zeros
    included). Direct ORM: the submit/approve workflow is covered by tests/reporting."""
    from apps.reporting.models import Submission
    from apps.reporting.periods import period_get

    return Submission.objects.create(
        period=period_get("year", year), commune=unit, status="approved", snapshot={"indicators": {}}
    )


class FakeRegisters:
    """Stands in for ``apps.registers.selectors``: per-commune totals set by the test, calls recorded."""

    def __init__(self) -> None:
        self.hotspots: dict[int, int] = {}
        self.harbouring: dict[int, int] = {}
        self.crime: dict[int, dict] = {}
        self.cultivation: dict[int, dict] = {}
        self.calls: list[tuple] = []

    def hotspots_active_between(self, commune_ids, start, end, kinds, **_options):
        self.calls.append(("hotspots_active_between", tuple(commune_ids), start, end, tuple(kinds)))
        source = self.harbouring if "harbouring" in kinds else self.hotspots
        return {cid: n for cid, n in source.items() if cid in commune_ids}

    def crime_totals_between(self, commune_ids, start, end, **_options):
        self.calls.append(("crime_totals_between", tuple(commune_ids), start, end))
        return {cid: v for cid, v in self.crime.items() if cid in commune_ids}

    def cultivation_totals_between(self, commune_ids, start, end, destroyed_only=False, **_options):
        self.calls.append(("cultivation_totals_between", tuple(commune_ids), start, end, destroyed_only))
        return {cid: v for cid, v in self.cultivation.items() if cid in commune_ids}


D = Decimal
