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
                **rules.columns_of(c, rules.CRITERION_COLUMNS),
                ref_min_count=c.ref_min_count or 0,
                evidence=tuple(c.evidence or ()),
            )
            for c in sorted(level.criteria.all(), key=lambda c: (c.position, c.code))
        )
        levels.append(rules.LevelSpec(**rules.columns_of(level, rules.LEVEL_COLUMNS), criteria=criteria))
    return rules.RuleSetSpec(
        code=rule_set.code, **rules.columns_of(rule_set, rules.RULE_SET_COLUMNS), levels=tuple(levels)
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
