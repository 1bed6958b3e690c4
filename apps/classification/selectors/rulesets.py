"""Rule sets: the list, one set, its engine spec and export, and the set in force for a year."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .. import rules
from ..models import RuleSet


def ruleset_list() -> QuerySet[RuleSet]:
    """Reference data: every role with ``view_ruleset`` sees every rule set."""
    return RuleSet.objects.annotate(
        unverified=Count("levels__criteria", filter=~Q(levels__criteria__verification="verified"))
    ).order_by("-effective_from", "code")


def ruleset_get(*, pk: int) -> RuleSet:
    try:
        return RuleSet.objects.get(pk=pk)
    except RuleSet.DoesNotExist as exc:
        raise Http404 from exc


def ruleset_spec(rule_set: RuleSet) -> rules.RuleSetSpec:
    """The engine's view of a rule set as stored now (two queries)."""
    levels = []
    for level in rule_set.levels.prefetch_related("criteria").order_by("order"):
        criteria = tuple(
            rules.CriterionSpec(
                code=c.code,
                label=c.label,
                kind=c.kind,
                indicator=c.indicator,
                comparison=c.comparison,
                threshold=c.threshold,
                threshold_high=c.threshold_high,
                alt_indicator=c.alt_indicator,
                alt_comparison=c.alt_comparison,
                alt_threshold=c.alt_threshold,
                alt_threshold_high=c.alt_threshold_high,
                unit_label=c.unit_label,
                ref_level_code=c.ref_level_code,
                ref_min_count=c.ref_min_count or 0,
                requires_key_route=c.requires_key_route,
                verification=c.verification,
                source=c.source,
                evidence=tuple(c.evidence or ()),
            )
            for c in sorted(level.criteria.all(), key=lambda c: (c.position, c.code))
        )
        levels.append(
            rules.LevelSpec(
                code=level.code,
                label=level.label,
                order=level.order,
                combination=level.combination,
                min_count=level.min_count,
                is_key=level.is_key,
                criteria=criteria,
            )
        )
    return rules.RuleSetSpec(
        code=rule_set.code,
        title=rule_set.title,
        legal_basis=rule_set.legal_basis,
        effective_from=rule_set.effective_from,
        effective_to=rule_set.effective_to,
        status=rule_set.status,
        notes=rule_set.notes,
        version=rule_set.version,
        bands_cascade=rule_set.bands_cascade,
        levels=tuple(levels),
    )


def ruleset_export_data(rule_set: RuleSet) -> dict[str, Any]:
    """The readable JSON form of a rule set, as ``import_ruleset`` reads it back."""
    return rules.spec_to_dict(ruleset_spec(rule_set))


def ruleset_for_year(year: int) -> RuleSet | None:
    """The rule set in force at the end of the year's window (non-draft), else the latest one."""
    end = rules.period_for_year(year).end
    in_force = (
        RuleSet.objects.exclude(status="draft")
        .filter(effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=end))
        .order_by("-effective_from")
        .first()
    )
    return in_force or RuleSet.objects.exclude(status="draft").order_by("-effective_from").first()
