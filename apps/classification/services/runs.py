"""Running a classification: every commune evaluated under a rule set for a year, on the map of
the time or today's, stored as a proposal."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import map_projection
from apps.audit.services import audit_record
from apps.core import actors

from .. import rules, selectors
from ..choices import AssessmentStatus
from ..models import Assessment, AssessmentResult, RuleSet
from ._common import ASSESSMENT_RUN, _require, _require_province

MAP_OF_THE_TIME, CONVERTED = "time", "converted"


def classify(
    *,
    spec: rules.RuleSetSpec,
    year: int,
    communes: list[AdministrativeUnit] | None = None,
    map_generation: str | None = None,
    unattributed: dict[str, Any] | None = None,
):
    """(communes, {commune_id: (Indicators, Outcome)}) without writing anything (used by the
    ``classify_communes`` command and by ``assessment_run``). ``map_generation``: classify the
    communes of that map of the time (2019, 2020, pre2025) instead of today's."""
    projection = None
    if map_generation is not None:
        projection = map_projection(map_generation)
        if communes is None:
            communes = list(selectors.map_communes(map_generation))
    if communes is None:
        communes = list(selectors.current_communes())
    facts = selectors.gather_indicators(year=year, communes=communes, on_map=projection, unattributed=unattributed)
    return communes, {cid: (ind, rules.evaluate(spec, ind)) for cid, ind in facts.items()}


def map_for_choice(year: int, choice: str = "") -> str | None:
    """The map an assessment of ``year`` runs on: by default the map of the time for a year
    before the two-tier map; ``CONVERTED`` (province staff's choice): today's communes."""
    if choice == CONVERTED:
        return None
    return selectors.default_map_for(year)


@transaction.atomic
def assessment_run(*, actor, rule_set: RuleSet, year: int, note: str = "", map_choice: str = "") -> Assessment:
    """Compute a proposal for every commune under ``rule_set`` for ``year`` and store it as a new
    assessment (status proposed). Nothing approved is touched; audited with counts per level.

    A year before the two-tier map runs on the communes of the map in force on 1 January of that
    year (``map_choice`` "time", the default) or, by choice, on today's communes ("converted")."""
    _require(actor, "classification.run_assessment")
    _require_province(actor, list(selectors.current_communes()))
    generation = map_for_choice(year, map_choice)
    communes = list(selectors.map_communes(generation) if generation else selectors.current_communes())
    spec = selectors.ruleset_spec(rule_set)
    period = rules.period_for_year(year)
    unattributed: dict[str, Any] = {}
    _communes, outcomes = classify(
        spec=spec, year=year, communes=communes, map_generation=generation, unattributed=unattributed
    )
    assessment = Assessment.objects.create(
        rule_set=rule_set,
        ruleset_version=rule_set.version,
        ruleset_snapshot=rules.spec_to_dict(spec),
        year=year,
        period_start=period.start,
        period_end=period.end,
        status=AssessmentStatus.PROPOSED,
        run_by=actors.user_or_none(actor),
        run_at=timezone.now(),
        note=note,
        map_generation_id=generation,
        unattributed=unattributed,
    )
    results = []
    for commune in communes:
        indicators, outcome = outcomes[commune.pk]
        results.append(
            AssessmentResult(
                assessment=assessment,
                commune=commune,
                proposed_level=outcome.level_code,
                final_level=outcome.level_code,
                criteria_met=outcome.met_count,
                indicators=indicators.to_dict(),
                explanation=outcome.to_dict(),
            )
        )
    # batched: 10,000 results with their explanations are ~150 MB in one INSERT
    AssessmentResult.objects.bulk_create(results, batch_size=500)
    counts = Counter(r.proposed_level for r in results)
    audit_record(
        actor=actor,
        username="system",
        action=ASSESSMENT_RUN,
        obj=assessment,
        after={
            "rule_set": rule_set.code,
            "version": rule_set.version,
            "year": year,
            "communes": len(results),
            "levels": dict(counts),
            "map": generation or "2025",
        },
    )
    return assessment
