"""Scoped reads of assessments and their results: the classification table, the diff against the
previous approved assessment, a commune's history and the key routes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apps.areas.models import AdministrativeUnit
from apps.core import scoping
from apps.core.collation import vi_order

from .. import rules
from ..choices import AssessmentStatus
from ..models import Assessment, AssessmentResult, KeyRoute, RuleSet
from .indicators import PUBLISHED


def results_visible_to(user, action: str = "view") -> QuerySet[AssessmentResult]:
    """Results in the user's area. Without the province-level ``view_assessment`` permission only
    published results (approved, or superseded history) are visible: proposals stay internal."""
    qs = scoping.visible_to(AssessmentResult.objects.all(), user, action)
    if not scoping.has_action(user, Assessment, "view"):
        qs = qs.filter(assessment__status__in=PUBLISHED)
    return qs


def assessment_get(*, user, pk: int) -> Assessment:
    """An assessment (province-wide object; role-gated, its results are scoped separately)."""
    if not scoping.has_action(user, Assessment, "view"):
        raise Http404
    try:
        return Assessment.objects.select_related("rule_set", "run_by", "approved_by", "superseded_by").get(pk=pk)
    except Assessment.DoesNotExist as exc:
        raise Http404 from exc


def assessments_for(*, year: int | None = None, rule_set: RuleSet | None = None) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("rule_set", "run_by", "approved_by")
    if year is not None:
        qs = qs.filter(year=year)
    if rule_set is not None:
        qs = qs.filter(rule_set=rule_set)
    return qs.order_by("-year", "-run_at", "-pk")


def approved_assessment(*, year: int, rule_set: RuleSet | None = None) -> Assessment | None:
    qs = Assessment.objects.filter(year=year, status=AssessmentStatus.APPROVED).select_related("rule_set")
    if rule_set is not None:
        return qs.filter(rule_set=rule_set).first()
    return qs.order_by("-approved_at").first()


def previous_approved(assessment: Assessment) -> Assessment | None:
    """The approved assessment of the previous year: same rule set if any, else the latest approved
    one of that year (comparisons across rule sets go by severity rank)."""
    same = approved_assessment(year=assessment.year - 1, rule_set=assessment.rule_set)
    return same or approved_assessment(year=assessment.year - 1)


def _trend(new_spec: rules.RuleSetSpec, new: str, old_spec: rules.RuleSetSpec, old: str) -> str:
    """ "up" (more severe), "down", "same" or "" when either side cannot be ranked."""
    a, b = rules.severity_rank(new_spec, new), rules.severity_rank(old_spec, old)
    if a is None or b is None:
        return ""
    if a == b:
        return "same"
    return "up" if a < b else "down"


def criteria_text(explanation: dict[str, Any]) -> str:
    """ "3/5 tiêu chí (cần ≥ 3)": the criteria met out of those of the level that decided, and how
    many it needs, as the detail page's level summary says it (never met / required, "3/1").
    For an undetermined commune the first undecided level, for "has problems" the lightest key
    level it missed (named); "" when the explanation has no levels."""
    levels = explanation.get("levels") or []
    code = explanation.get("level", "")
    level = next((lv for lv in levels if lv.get("code") == code), None)
    prefix = ""
    if level is None:
        undecided = [lv for lv in levels if lv.get("reached") is None]
        missed = [lv for lv in levels if lv.get("is_key")]
        level = undecided[0] if undecided else (missed[-1] if missed else None)
        if level is None:
            return ""
        prefix = f"{level.get('label', '')}: "
    total = len(level.get("criteria") or [])
    text = f"{prefix}{level.get('met_count', 0)}/{total} tiêu chí (cần ≥ {level.get('required', 0)})"
    if level.get("reached") is None and level.get("undetermined_count"):
        text += f", {level['undetermined_count']} chưa xác định"
    return text


@dataclass
class TableRow:
    result: AssessmentResult
    previous: AssessmentResult | None = None
    trend: str = ""

    @property
    def met_codes(self) -> list[str]:
        return list(self.result.explanation.get("met_codes", []))

    @property
    def criteria_text(self) -> str:
        return criteria_text(self.result.explanation or {})


@dataclass
class LevelCount:
    code: str
    label: str
    count: int
    is_key: bool


@dataclass
class ClassificationTable:
    assessment: Assessment
    rows: list[TableRow]
    counts: list[LevelCount]
    total: int
    previous: Assessment | None
    level: str = ""
    #: visible communes whose outcome rests on unverified criteria ("kết quả tham khảo")
    provisional: int = 0


def _results(assessment: Assessment, qs: QuerySet[AssessmentResult]) -> list[AssessmentResult]:
    rows = list(vi_order(qs.filter(assessment=assessment).select_related("commune", "overridden_by"), "commune__name"))
    for row in rows:  # one parsed spec for the whole table
        row.assessment = assessment
    return rows


def classification_table(*, user, assessment: Assessment, level: str = "") -> ClassificationTable:
    """Every visible commune of an assessment with its level, criteria met, counts per level and the
    comparison with the previous year's approved assessment (up = more severe)."""
    visible = results_visible_to(user)
    all_rows = _results(assessment, visible)
    spec = assessment.spec
    counts = rules.count_by_level(spec, (r.final_level for r in all_rows))
    previous = previous_approved(assessment)
    previous_by_commune: dict[int, AssessmentResult] = {}
    if previous is not None:
        previous_by_commune = {r.commune_id: r for r in _results(previous, visible)}
    rows = []
    for result in all_rows:
        if level and result.final_level != level:
            continue
        before = previous_by_commune.get(result.commune_id)
        trend = _trend(spec, result.final_level, previous.spec, before.final_level) if before and previous else ""
        rows.append(TableRow(result=result, previous=before, trend=trend))
    return ClassificationTable(
        assessment=assessment,
        rows=rows,
        counts=[
            LevelCount(code=code, label=spec.label_for(code), count=n, is_key=spec.is_key(code))
            for code, n in counts.items()
        ],
        total=len(all_rows),
        previous=previous,
        level=level,
        provisional=sum(1 for r in all_rows if r.is_provisional),
    )


@dataclass
class DiffRow:
    commune: AdministrativeUnit
    before: AssessmentResult | None
    after: AssessmentResult
    trend: str
    changed_indicators: list[tuple[str, str, str]]  # (label, before, after)


@dataclass
class AssessmentDiff:
    base: Assessment | None
    changed: list[DiffRow]
    unchanged: int
    new: int


def _indicator_changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    old_values, new_values = before.get("values", {}), after.get("values", {})
    changes = []
    for code in new_values.keys() | old_values.keys():
        if old_values.get(code) == new_values.get(code):
            continue
        info = rules.INPUTS.get(code)
        if info is None:
            continue

        def show(raw: Any, unit: str = info.unit) -> str:
            if raw is None:
                return "—"
            return rules.format_value(raw if isinstance(raw, bool) else Decimal(str(raw)), unit)

        changes.append((info.label, show(old_values.get(code)), show(new_values.get(code))))
    return sorted(changes)


def assessment_diff(*, user, assessment: Assessment) -> AssessmentDiff:
    """What a (re-)run changes against the approved assessment of the same year and rule set:
    communes whose final level differs, with the indicators that moved."""
    base = approved_assessment(year=assessment.year, rule_set=assessment.rule_set)
    if base is not None and base.pk == assessment.pk:
        base = None
    visible = results_visible_to(user)
    after = _results(assessment, visible)
    before = {r.commune_id: r for r in _results(base, visible)} if base else {}
    changed, unchanged, new = [], 0, 0
    for result in after:
        old = before.get(result.commune_id)
        if old is None:
            new += 1
            if base is None:
                continue
        elif old.final_level == result.final_level:
            unchanged += 1
            continue
        changed.append(
            DiffRow(
                commune=result.commune,
                before=old,
                after=result,
                trend=_trend(assessment.spec, result.final_level, base.spec, old.final_level) if old and base else "",
                changed_indicators=_indicator_changes(old.indicators if old else {}, result.indicators),
            )
        )
    return AssessmentDiff(base=base, changed=changed, unchanged=unchanged, new=new if base else 0)


def result_get(*, user, pk: int, action: str = "view") -> AssessmentResult:
    """One commune's result in the user's scope (404 otherwise, like a missing one)."""
    qs = results_visible_to(user, action).select_related(
        "assessment", "assessment__rule_set", "assessment__approved_by", "commune", "overridden_by"
    )
    try:
        return qs.get(pk=pk)
    except AssessmentResult.DoesNotExist as exc:
        raise Http404 from exc


def commune_history(*, user, commune: AdministrativeUnit) -> list[AssessmentResult]:
    """Every visible result of a commune, newest year first (history rows are never rewritten)."""
    return list(
        results_visible_to(user)
        .filter(commune=commune)
        .select_related("assessment", "assessment__rule_set", "overridden_by")
        .order_by("-assessment__year", "-assessment__run_at", "-pk")
    )


def published_years(*, user) -> list[int]:
    """Years with an approved assessment, newest first (for the year picker)."""
    return sorted(
        set(Assessment.objects.filter(status=AssessmentStatus.APPROVED).values_list("year", flat=True)), reverse=True
    )


def keyroute_list(*, user, year: int | None = None, action: str = "view") -> QuerySet[KeyRoute]:
    qs = scoping.visible_to(KeyRoute.objects.all(), user, action).select_related("commune", "updated_by")
    if year:
        qs = qs.filter(year=year)
    return vi_order(qs, "=-year", "commune__name", "name")


def keyroute_get(*, user, pk: int, action: str = "view") -> KeyRoute:
    return scoping.get_visible_or_404(KeyRoute.objects.select_related("commune"), user, action, pk=pk)
