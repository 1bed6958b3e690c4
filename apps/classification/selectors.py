"""Reads for commune classification: the indicators of every commune for a period (a constant
number of grouped queries, whatever the number of communes), rule sets as engine specs, and the
scoped views of assessments and their results.

Units and history. Every record counted here (case files, and the registers' hotspots, crimes and
cultivation) already carries today's commune: records entered under a pre-2025 unit are converted
to their current commune when recorded (``cases`` and ``registers`` derive ``commune`` through the
official conversion, ``areas.UnitSuccession``). Grouping by ``commune`` therefore *is* the old→new
conversion: a past year "converted to today's communes".

A past year is assessed by default on the map of its time (issue 10 §4, ``on_map``): the units of
that map (2019, 2020, early 2025), each case file in the old unit it was recorded under or derives
from (``stocks.counts_in_window_on_map``), the registers, submissions and key routes of a current
commune in its old unit when that is a single one. What cannot be attributed is reported apart
(``unattributed``), never added to a commune.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit, UnitPopulation
from apps.areas.selectors import map_for_year, map_label, map_projection
from apps.cases import stocks
from apps.core import scoping
from apps.core.collation import vi_order
from apps.registers import selectors as register_selectors

from . import rules
from .choices import HARBOURING_KINDS, HOTSPOT_KINDS, AssessmentStatus
from .models import Assessment, AssessmentResult, KeyRoute, RuleSet

REGISTER_INDICATORS = (
    "hotspots_active",
    "harbouring_places",
    "offenders_arrested",
    "crime_cases",
    "plants_destroyed",
    "plant_area_m2",
)
#: counts read from the commune's own records (case files, registers): any of them above 0 is the
#: "records" evidence of ``rules.EVIDENCE``
_RECORD_INDICATORS = ("addicts_users_with_records", "addicts_with_records", *REGISTER_INDICATORS)
PUBLISHED = (AssessmentStatus.APPROVED, AssessmentStatus.SUPERSEDED)


# --- communes and indicators ----------------------------------------------------------------------


def current_communes() -> QuerySet[AdministrativeUnit]:
    """Today's commune-level units (xã, phường, đặc khu), the units that are classified."""
    return vi_order(AdministrativeUnit.objects.current().filter(level=Level.COMMUNE), "name")


def map_communes(generation: str, province_codes: Sequence[str] = ()) -> QuerySet[AdministrativeUnit]:
    """The commune-level units of a map of the time (optionally of some old provinces only)."""
    qs = AdministrativeUnit.objects.of_map(generation).filter(level=Level.COMMUNE)
    if province_codes:
        condition = Q()
        for code in province_codes:
            condition |= Q(path__startswith=f"{generation}:{code}/")
        qs = qs.filter(condition)
    return qs.order_by("search_name")


def default_map_for(year: int) -> str | None:
    """The map a year is assessed on by default: the one in force on 1 January of that year for a
    year before the two-tier map (01/7/2025), today's communes (None) from 2026."""
    generation = map_for_year(year)
    return generation.code if generation is not None else None


def _regroup(values: dict[int, Any], projection: Any, add: Any) -> tuple[dict[int, Any], Any]:
    """{current commune: v} → ({unit of the map: sum}, sum of what lies in no unit)."""
    out: dict[int, Any] = {}
    unknown = None
    for cid, value in values.items():
        target = projection.of(cid)
        if target is None:
            unknown = value if unknown is None else add(unknown, value)
        else:
            out[target] = value if target not in out else add(out[target], value)
    return out, unknown


def _populations(commune_ids: Sequence[int], year: int) -> dict[int, int]:
    rows = UnitPopulation.objects.filter(unit_id__in=commune_ids, year=year).values_list("unit_id", "population")
    return dict(rows)


def _key_routes(year: int) -> tuple[dict[int, list[str]], bool]:
    """({commune_id: route names}, whether any route was entered for the year). All routes of the
    year are read (a few dozen rows): "no route entered at all" differs from "not on a route"."""
    routes: dict[int, list[str]] = {}
    entered = False
    for commune_id, name in vi_order(KeyRoute.objects.filter(year=year), "name").values_list("commune_id", "name"):
        entered = True
        routes.setdefault(commune_id, []).append(name)
    return routes, entered


def registers_module() -> tuple[ModuleType | None, str]:
    """The registers app's selectors (and no reason): the seam the classification tests fake
    with fixed totals (``tests/classification/conftest.py``)."""
    return register_selectors, ""


@dataclass
class RegisterTotals:
    values: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def _register_totals(
    commune_ids: Sequence[int], period: rules.Period, *, by_recorded_unit: bool = False
) -> RegisterTotals:
    """Hotspots, crimes and cultivation per commune from the registers app's selectors, one grouped
    query each; indicators it cannot give are reported missing with the reason."""
    totals = RegisterTotals()
    module, why = registers_module()
    if module is None:
        totals.missing = dict.fromkeys(REGISTER_INDICATORS, why)
        return totals

    def call(name: str, *args: Any, **kwargs: Any) -> dict[int, Any] | None:
        function = getattr(module, name, None)
        if function is None:
            return None
        if by_recorded_unit:
            kwargs["by_recorded_unit"] = True  # keyed by the unit as recorded: the map of the time
        return function(list(commune_ids), period.start, period.end, *args, **kwargs)

    def as_decimal(value: Any) -> Decimal:
        return Decimal(str(value or 0))

    hotspots = call("hotspots_active_between", HOTSPOT_KINDS)
    harbouring = call("hotspots_active_between", HARBOURING_KINDS)
    crime = call("crime_totals_between")
    # "phát hiện, triệt phá" (QĐ 28 criterion d): finds that were destroyed. QĐ 3122 speaks of the
    # area planted; finds are destroyed in practice, so the same count serves both [U].
    cultivation = call("cultivation_totals_between", destroyed_only=True)
    sources = {
        "hotspots_active": (hotspots, lambda v: v, "hotspots_active_between"),
        "harbouring_places": (harbouring, lambda v: v, "hotspots_active_between"),
        "offenders_arrested": (crime, lambda v: (v or {}).get("offenders"), "crime_totals_between"),
        "crime_cases": (crime, lambda v: (v or {}).get("cases"), "crime_totals_between"),
        "plants_destroyed": (cultivation, lambda v: (v or {}).get("plants"), "cultivation_totals_between"),
        "plant_area_m2": (cultivation, lambda v: (v or {}).get("area_m2"), "cultivation_totals_between"),
    }
    for indicator, (data, pick, function_name) in sources.items():
        if data is None:
            totals.missing[indicator] = f"sổ theo dõi chưa có hàm {function_name}"
            continue
        # keyed by the recorded (former) unit too when asked: every key of the answer is kept
        keys = [*commune_ids, *(k for k in data if k not in set(commune_ids))] if by_recorded_unit else commune_ids
        totals.values[indicator] = {cid: as_decimal(pick(data.get(cid))) for cid in keys}
    return totals


def _approved_submission_communes(commune_ids: Sequence[int], year: int) -> set[int]:
    """Communes with an approved periodic report (``reporting.Submission``) for a period of the
    year: the province accepted their figures, zeros included, as the commune's account of it."""
    Submission = django_apps.get_model("reporting", "Submission")
    return set(
        Submission.objects.filter(commune_id__in=list(commune_ids), status="approved", period__year=year)
        .values_list("commune_id", flat=True)
        .distinct()
    )


def _ratio(numerator: Decimal | None, population: int | None, year: int, unit: str) -> tuple[Decimal | None, str]:
    """(percent of the resident population, detail). Zero people is 0% even without population."""
    if numerator is None:
        return None, ""
    if numerator == 0:
        return Decimal(0), f"0 {unit}"
    if population is None:
        return None, ""
    value = numerator * 100 / Decimal(population)
    return value, f"{rules.format_number(numerator)} {unit} / {rules.format_number(population)} dân năm {year}"


def gather_indicators(
    *,
    year: int,
    communes: Sequence[AdministrativeUnit] | None = None,
    on_map: Any = None,
    unattributed: dict[str, Any] | None = None,
) -> dict[int, rules.Indicators]:
    """The indicators of every commune (default: all current communes) for the year's window.

    Window: for a year YYYY, 01/01/YYYY–31/12/YYYY (``rules.period_for_year``); the reporting
    windows (15th–14th) will come with the reports module. Queries: communes (when not given),
    case files, population and key routes, plus one per registers selector: constant in the number
    of communes (every read is a grouped aggregate over all communes at once).

    * ``addicts_users_with_records`` / ``addicts_with_records``: people with a management record
      on some day of the window (all / an addict on such a day), by the one definition of
      ``apps.cases.stocks.counts_in_window``.
    * ``*_ratio``: per cent of ``UnitPopulation`` of that year; missing population → unknown with
      the reason (unless the numerator is 0).
    * registers indicators from ``apps.registers.selectors``; unknown while that app is absent.
    * ``on_key_route``: a ``KeyRoute`` row for the commune and year; unknown when no route at all
      was entered for the year (so a forgotten list never silently fails criterion đ).
    * evidence (``rules.EVIDENCE``): "records" when a counted figure is above 0, "submission" when
      a periodic report of the year was approved, "population" when the year's population exists.
      Criteria that need evidence stay undecided without it (issue 10 §2: no data is not zero).
    """
    if communes is None:
        communes = list(current_communes())
    ids = [c.pk for c in communes]
    period = rules.period_for_year(year)
    population = _populations(ids, year)
    routes, routes_entered = _key_routes(year)
    if on_map is None:
        cases = stocks.counts_in_window(ids, period.start, period.end)
        registers = _register_totals(ids, period)
        submitted = _approved_submission_communes(ids, year)
    else:
        # ``on_map``: an ``areas.selectors.MapProjection``; ``communes`` are units of its map. The
        # records carry today's communes: read them all, then put each in its unit of the map.
        today = [c.pk for c in current_communes()]
        by_unit = stocks.counts_in_window_on_map(today, period.start, period.end, on_map)
        lost = by_unit.pop(stocks.UNKNOWN_UNIT, (0, 0))
        cases = by_unit
        registers = _register_totals(today, period, by_recorded_unit=True)
        lost_registers: dict[str, str] = {}
        for indicator, values in list(registers.values.items()):
            registers.values[indicator], unknown = _regroup(values, on_map, lambda a, b: a + b)
            if unknown:
                lost_registers[indicator] = str(unknown)
        submitted = {on_map.of(cid) for cid in _approved_submission_communes(today, year)} - {None}
        routes = _regroup(routes, on_map, lambda a, b: a + b)[0]
        if unattributed is not None:
            unattributed.update(people=lost[0], addicts=lost[1], registers=lost_registers)
    no_population = rules.NO_POPULATION_REASON.format(year=year)
    result: dict[int, rules.Indicators] = {}
    for cid in ids:
        values: dict[str, rules.Value] = {}
        missing: dict[str, str] = {}
        details: dict[str, str] = {}
        total, addicts = cases.get(cid, (0, 0))
        values["addicts_users_with_records"] = Decimal(total)
        values["addicts_with_records"] = Decimal(addicts)
        for indicator in REGISTER_INDICATORS:
            if indicator in registers.values:
                values[indicator] = registers.values[indicator].get(cid, Decimal(0))
            else:
                missing[indicator] = registers.missing[indicator]
        pop = population.get(cid)
        if pop is not None:
            details["population"] = f"{rules.format_number(pop)} dân"
        for indicator, numerator_code, unit in (
            ("addicts_users_ratio", "addicts_users_with_records", "người"),
            ("offenders_ratio", "offenders_arrested", "người"),
        ):
            numerator = values.get(numerator_code)
            value, detail = _ratio(numerator if isinstance(numerator, Decimal) else None, pop, year, unit)
            if value is not None:
                values[indicator] = value
                details[indicator] = detail
            else:
                missing[indicator] = no_population if numerator is not None else missing[numerator_code]
        if cid in routes:
            values[rules.KEY_ROUTE_INDICATOR] = True
            details[rules.KEY_ROUTE_INDICATOR] = ", ".join(routes[cid])
        elif routes_entered:
            values[rules.KEY_ROUTE_INDICATOR] = False
        else:
            missing[rules.KEY_ROUTE_INDICATOR] = f"chưa nhập danh sách tuyến trọng điểm năm {year}"
        evidence = set()
        # Records: the commune recorded something the criteria count (a case file in the window,
        # a register entry). A non-zero count is its own evidence; zeros alone are not.
        if any(isinstance(v, Decimal) and v > 0 for k, v in values.items() if k in _RECORD_INDICATORS):
            evidence.add("records")
        if cid in submitted:
            evidence.add("submission")
        if pop is not None:
            evidence.add("population")
        result[cid] = rules.Indicators(values=values, missing=missing, details=details, evidence=frozenset(evidence))
    return result


# --- rule sets ----------------------------------------------------------------------------------


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


# --- assessments and results -----------------------------------------------------------------------


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


# --- figures of a year on a map (issue 10 §4) -------------------------------------------------------


@dataclass
class MapFigureRow:
    unit: AdministrativeUnit | None  # None: "không xác định được đơn vị cũ"
    people: int
    addicts: int

    @property
    def label(self) -> str:
        return self.unit.full_name if self.unit is not None else stocks.UNKNOWN_UNIT_LABEL


@dataclass
class MapFigures:
    year: int
    #: the map used: a generation code, or None for today's communes
    generation: str | None
    label: str
    rows: list[MapFigureRow]
    people: int
    addicts: int
    #: why the map of the time could not be used for this reader (then: today's communes)
    note: str = ""


def map_figures(*, user, year: int, map_choice: str = "") -> MapFigures:
    """People with a management record in ``year`` (and addicts among them) per unit, on the map
    of that year (default for a year before 2025) or converted to today's communes: the figures a
    past classification rests on, with the files whose old unit cannot be told in their own row.
    The map of the time needs the whole former province in the reader's scope (province staff)."""
    period = rules.period_for_year(year)
    today = list(scoping.visible_to(current_communes(), user).order_by("search_name"))
    generation = None if map_choice == "converted" else default_map_for(year)
    note = ""
    units: list[AdministrativeUnit] = []
    if generation is not None:
        units = list(scoping.visible_to(map_communes(generation), user).select_related("parent"))
        if not units:
            note = _(
                "Bản đồ hành chính thời điểm đó chỉ xem được ở cấp tỉnh: số liệu dưới đây quy đổi sang "
                "đơn vị hiện nay."
            )
            generation = None
    if generation is None:
        counts = stocks.counts_in_window([c.pk for c in today], period.start, period.end)
        rows = [MapFigureRow(c, *counts.get(c.pk, (0, 0))) for c in today]
        label = _("Quy đổi sang đơn vị hành chính hiện nay (%(n)s đơn vị)") % {"n": len(today)}
    else:
        counts = stocks.counts_in_window_on_map(
            [c.pk for c in today], period.start, period.end, map_projection(generation)
        )
        rows = [MapFigureRow(u, *counts.get(u.pk, (0, 0))) for u in sorted(units, key=lambda u: u.path)]
        lost = counts.get(stocks.UNKNOWN_UNIT, (0, 0))
        rows.append(MapFigureRow(None, *lost))  # always shown, zero included: nothing is hidden
        generation_obj = units[0].generation
        label = map_label(generation_obj, len(units))
    return MapFigures(
        year=year,
        generation=generation,
        label=label,
        rows=rows,
        people=sum(r.people for r in rows),
        addicts=sum(r.addicts for r in rows),
        note=note,
    )
