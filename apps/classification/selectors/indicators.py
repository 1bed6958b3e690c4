"""The indicators of every commune for a period: case-file stocks, the registers' totals,
populations, key routes and approved submissions, on today's communes or on the map of the time,
in a constant number of grouped queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Q, QuerySet

from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit, UnitPopulation
from apps.areas.selectors import map_for_year
from apps.cases import stocks
from apps.core.collation import vi_order
from apps.registers import selectors as register_selectors

from .. import rules
from ..choices import HARBOURING_KINDS, HOTSPOT_KINDS, AssessmentStatus
from ..models import KeyRoute

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
