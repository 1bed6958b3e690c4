"""Plan targets: the registry of indicators and the rule that turns a value into a status.

Each indicator is a function computing its current value over the reader's scope (the current
communes they may see) for one period, registered with ``@indicator``. ``Target.indicator`` takes
its choices from this registry, so a target can only name something the code can compute.
Indicators reading another app (areas, classification, registers, reporting) import it like any
other module: every app is always installed.

Status rule (``evaluate``), documented on the targets page:

* ``no_data``  — the value cannot be computed (no approved classification,
  nobody in the register, missing baseline the indicator needs…);
* ``met``      — the current value satisfies the comparison (≥ or ≤ the target value);
* ``on_track`` — not met yet, the deadline has not passed, and the value is on the straight line
  from the baseline (at the baseline date) to the target (at the deadline): the value expected
  today is ``baseline + (target − baseline) × elapsed share of the time``. A yearly target starts
  every 01/01 from 0 (its counts restart each year) and ends on 31/12;
* ``at_risk``  — otherwise, before the deadline: behind that line, or without a baseline from
  which progress could be judged;
* ``missed``   — the deadline has passed and the target was not met: its final value, no longer
  a risk.

No data is not zero (issue 10 §2). Indicators that count communes are measured only over the
communes WITH data (a determined classification result; for the registers, a commune with data
for the period in the sense of ``apps.reporting.coverage``) and say so ("tính trên 3/124 xã có số
liệu"). While some communes have no data, a status is given only when it would be the same
whatever those communes hold (``Measure.bounds``); otherwise the target reads "chưa đủ số liệu".

A target is about a year and a territory (``Target.year``, ``Target.territory`` and the
``former_province_code`` parameter): a classification indicator reads the approved assessment of
that year, on the communes of that territory, not the latest one of today's province.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Q

from apps.areas.models import UnitSuccession
from apps.areas.selectors import map_label
from apps.classification.selectors import map_communes
from apps.core import formatting
from apps.core.collation import vi_sorted
from apps.reporting.coverage import communes_with_data_between

from .choices import Comparison, Recurrence, TargetStatus
from .coverage import coverage_counts
from .models import ModelPoint

#: kinds of ``registers.Hotspot`` counted as "điểm, tụ điểm" (harbouring places are a separate criterion)
HOTSPOT_KINDS = ("point", "hotspot")
DRUG_FREE = "drug_free"
#: the first year assessed on today's communes (two-tier map from 01/7/2025)
MAP_2025_YEAR = 2025
UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class Scope:
    """Where and when an indicator is computed."""

    commune_ids: tuple[int, ...]
    start: dt.date
    end: dt.date
    on: dt.date
    #: the reader sees the whole province (needed by indicators whose baseline is province-wide)
    province_wide: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    baseline: Decimal | None = None
    #: the year the target is about (its assessment year), None: the latest up to ``end``
    year: int | None = None


@dataclass
class Measure:
    value: Decimal | None
    detail: str = ""
    note: str = ""
    #: what is still missing (groups without a model point…), shown under the figure
    gaps: list[str] = field(default_factory=list)
    #: communes the value is measured over (with data) and communes of the scope; None when the
    #: indicator does not count communes
    covered: int | None = None
    communes: int | None = None
    #: (lowest, highest) value whatever the communes without data hold (None: unbounded)
    bounds: tuple[Decimal | None, Decimal | None] | None = None

    @property
    def partial(self) -> bool:
        return self.covered is not None and self.communes is not None and self.covered < self.communes

    @property
    def coverage_text(self) -> str:
        if self.covered is None or self.communes is None:
            return ""
        return f"tính trên {self.covered}/{self.communes} xã có số liệu"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    source_app: str
    compute: Callable[[Scope], Measure]


REGISTRY: dict[str, Indicator] = {}


def indicator(code: str, *, label: str, unit: str = "%", source_app: str = "apps.prevention"):
    """Register a computing function for an indicator code."""

    def register(func: Callable[[Scope], Measure]) -> Callable[[Scope], Measure]:
        REGISTRY[code] = Indicator(code=code, label=label, unit=unit, source_app=source_app, compute=func)
        return func

    return register


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, ind.label) for code, ind in REGISTRY.items()]


def measure(code: str, scope: Scope) -> Measure:
    ind = REGISTRY.get(code)
    if ind is None:
        return Measure(None, note="chỉ số không có trong danh mục")
    return ind.compute(scope)


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None, unit: str = "") -> str:
    """ "1.359 lượt người", "12,5%": one decimal at most (``apps.core.formatting``)."""
    return formatting.quantity(value, unit, places=1)


# --- indicators ------------------------------------------------------------------------------------


@indicator("high_risk_coverage", label="Tỷ lệ người nhóm nguy cơ cao được tiếp cận (%)")
def _high_risk_coverage(scope: Scope) -> Measure:
    total, reached = coverage_counts(commune_ids=scope.commune_ids, start=scope.start, end=scope.end)
    if not total:
        return Measure(None, note="chưa có dữ liệu: sổ nhóm nguy cơ cao chưa có ai")
    return Measure(_pct(reached, total), detail=f"{reached}/{total} người đã được tiếp cận")


def area_groups(commune_ids: tuple[int, ...] | list[int], *, former_province_code: str = "") -> dict[int, dict]:
    """Today's communes grouped by the district they belonged to before 01/7/2025.

    There is no district level since 01/7/2025, so "one model point per district" becomes "one
    per group of communes that made up a former district". A current commune belongs to the
    district of each of its pre-2025 predecessor communes (official conversion table); a commune
    formed from communes of two districts counts for both. ``former_province_code`` keeps only
    the districts of one former province (Plan 63: Tuyên Quang, code 8; Hà Giang's former
    districts joined the province later). One query.
    """
    rows = UnitSuccession.objects.filter(new_id__in=list(commune_ids), old__level="commune").values_list(
        "new_id", "old__parent_id", "old__parent__full_name", "old__parent__parent__code", "old__parent__level"
    )
    groups: dict[int, dict] = {}
    for commune_id, district_id, district_name, province_code, level in rows:
        if district_id is None or level != "district":
            continue
        if former_province_code and province_code != former_province_code:
            continue
        group = groups.setdefault(district_id, {"name": district_name, "communes": set()})
        group["communes"].add(commune_id)
    return groups


@indicator("model_points_per_area_group", label="Tỷ lệ nhóm địa bàn (huyện cũ) có mô hình điểm (%)")
def _model_points_per_area_group(scope: Scope) -> Measure:
    groups = area_groups(scope.commune_ids, former_province_code=str(scope.params.get("former_province_code", "")))
    if not groups:
        return Measure(None, note="chưa có dữ liệu: không xác định được huyện cũ của các xã, phường trong phạm vi")
    with_point = set(
        ModelPoint.objects.filter(
            commune_id__in=list(scope.commune_ids),
            started_on__lte=scope.end,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start))
        .values_list("commune_id", flat=True)
    )
    covered = [g for g in groups.values() if g["communes"] & with_point]
    gaps = vi_sorted(g["name"] for g in groups.values() if not g["communes"] & with_point)
    return Measure(
        _pct(len(covered), len(groups)),
        detail=f"{len(covered)}/{len(groups)} nhóm địa bàn có mô hình điểm",
        gaps=gaps,
    )


def territory_ids(scope: Scope) -> list[int]:
    """The communes of the scope inside the target's territory: with ``former_province_code``, the
    current communes formed from communes of that former province (Plan 63: Tuyên Quang, code 8,
    without Hà Giang); otherwise the whole scope."""
    code = str(scope.params.get("former_province_code", ""))
    if not code:
        return list(scope.commune_ids)
    groups = area_groups(scope.commune_ids, former_province_code=code)
    inside = set().union(*(g["communes"] for g in groups.values())) if groups else set()
    return [cid for cid in scope.commune_ids if cid in inside]


@dataclass
class _Classified:
    assessment: Any
    #: final level of each commune of the territory with a DETERMINED result
    levels: list[str]
    #: communes of the territory (with or without data)
    communes: int

    @property
    def missing(self) -> int:
        return self.communes - len(self.levels)


def _approved_results(scope: Scope) -> _Classified | Measure:
    """The approved classification of the target's year (before that year: the latest one up to
    the period's end, to follow progress) and the final levels of the communes of its territory
    that have data (undetermined results and communes without a result have none)."""
    Assessment = django_apps.get_model("classification", "Assessment")
    Result = django_apps.get_model("classification", "AssessmentResult")
    approved = Assessment.objects.filter(status="approved").order_by("-year", "-approved_at", "-pk")
    if scope.year is not None and scope.year <= scope.end.year:
        # the year the target is about has come: its own assessment, no other year's
        assessment = approved.filter(year=scope.year).first()
        if assessment is None:
            return Measure(None, note=f"chưa có dữ liệu: chưa có kết quả phân loại năm {scope.year} được phê duyệt")
    else:
        assessment = approved.filter(year__lte=scope.end.year).first()
        if assessment is None:
            return Measure(None, note="chưa có dữ liệu: chưa có kết quả phân loại địa bàn được phê duyệt")
    if assessment.map_generation_id:
        # Classified on the map of its time (issue 10 §3-4): the communes of that map inside the
        # target's territory (the former province of the plan), not today's merged ones.
        code = str(scope.params.get("former_province_code", ""))
        ids = list(map_communes(assessment.map_generation_id, [code] if code else []).values_list("pk", flat=True))
    else:
        ids = territory_ids(scope)
    if not ids:
        return Measure(None, note="chưa có dữ liệu: không có xã, phường nào của địa bàn chỉ tiêu trong phạm vi")
    levels = [
        level
        for level in Result.objects.filter(assessment=assessment, commune_id__in=ids).values_list(
            "final_level", flat=True
        )
        if level != UNDETERMINED
    ]
    return _Classified(assessment, levels, len(ids))


def _key_count(assessment, levels: list[str]) -> int | None:
    try:
        spec = assessment.spec
        return sum(1 for level in levels if spec.is_key(level))
    except Exception:  # noqa: BLE001 - an unreadable snapshot only hides this detail
        return None


@indicator(
    "drug_free_commune_share",
    label="Tỷ lệ xã, phường không ma túy (phân loại được phê duyệt gần nhất, %)",
    source_app="apps.classification",
)
def _drug_free_commune_share(scope: Scope) -> Measure:
    found = _approved_results(scope)
    if isinstance(found, Measure):
        return found
    levels, total = found.levels, found.communes
    free = sum(1 for level in levels if level == DRUG_FREE)
    key = _key_count(found.assessment, levels)
    detail = f"{free}/{len(levels)} xã, phường không ma túy (phân loại năm {found.assessment.year})"
    if key is not None:
        detail += f"; {key} xã, phường trọng điểm"
    measure = Measure(
        _pct(free, len(levels)) if levels else None,
        detail=detail,
        covered=len(levels),
        communes=total,
        bounds=(_pct(free, total), _pct(free + found.missing, total)),
    )
    if not levels:
        measure.note = f"chưa đủ số liệu: chưa có xã nào có số liệu ({measure.coverage_text})"
    return measure


@indicator(
    "communes_with_problems_reduction",
    label="Mức giảm số xã, phường có tệ nạn ma túy so với số liệu nền (%)",
    source_app="apps.classification",
)
def _communes_with_problems_reduction(scope: Scope) -> Measure:
    if scope.baseline is None or scope.baseline <= 0:
        return Measure(None, note="chưa có dữ liệu: cần bổ sung số liệu nền")
    if not scope.province_wide:
        return Measure(None, note="chỉ tính cho toàn tỉnh: số liệu nền là số xã, phường của cả tỉnh")
    found = _approved_results(scope)
    if isinstance(found, Measure):
        return found
    baseline = scope.baseline
    with_problems = sum(1 for level in found.levels if level != DRUG_FREE)

    def reduction(count: int) -> Decimal:
        return ((baseline - count) * 100 / baseline).quantize(Decimal("0.1"), ROUND_HALF_UP)

    measure = Measure(
        reduction(with_problems) if found.levels else None,
        detail=f"{with_problems} xã, phường có tệ nạn ma túy (phân loại năm {found.assessment.year}), "
        f"số liệu nền {fmt(baseline)}",
        covered=len(found.levels),
        communes=found.communes,
        # every commune without data may have drug problems, or none of them
        bounds=(reduction(with_problems + found.missing), reduction(with_problems)),
    )
    if found.assessment.map_generation_id:
        measure.detail += "; " + map_label(found.assessment.map_generation, found.communes).lower()
    elif found.assessment.year < MAP_2025_YEAR:
        # classified on today's communes by choice: say so rather than present them as that map
        measure.detail += "; quy đổi sang các xã, phường hiện nay của địa bàn"
    if not found.levels:
        measure.note = f"chưa đủ số liệu: chưa có xã nào có số liệu ({measure.coverage_text})"
    return measure


def _hotspots(scope: Scope):
    Hotspot = django_apps.get_model("registers", "Hotspot")
    kinds = scope.params.get("kinds") or HOTSPOT_KINDS
    return Hotspot.objects.filter(commune_id__in=list(scope.commune_ids), kind__in=list(kinds))


def _communes_with_data(scope: Scope) -> set[int] | None:
    """Communes of the scope with data for the period (``apps.reporting.coverage``)."""
    return communes_with_data_between(list(scope.commune_ids), scope.start, scope.end)


@indicator("hotspots_new", label="Số điểm, tụ điểm mới phát hiện trong kỳ", unit="điểm", source_app="apps.registers")
def _hotspots_new(scope: Scope) -> Measure:
    count = _hotspots(scope).filter(discovered_on__range=(scope.start, scope.end)).count()
    measure = Measure(Decimal(count), detail=f"{count} điểm, tụ điểm mới phát hiện từ {scope.start:%d/%m/%Y}")
    with_data = _communes_with_data(scope)
    if with_data is not None:
        measure.covered, measure.communes = len(with_data), len(scope.commune_ids)
        # a commune without data may have had new hotspots nobody recorded: no upper bound
        measure.bounds = (Decimal(count), None)
    return measure


@indicator(
    "hotspots_eliminated_share",
    label="Tỷ lệ điểm, tụ điểm được triệt xóa trong kỳ (%)",
    source_app="apps.registers",
)
def _hotspots_eliminated_share(scope: Scope) -> Measure:
    # Every point that existed at some time in the period (still open at its start, or found in it).
    existing = (
        _hotspots(scope)
        .filter(discovered_on__lte=scope.end)
        .filter(Q(eliminated_on__isnull=True) | Q(eliminated_on__gte=scope.start))
    )
    row = existing.aggregate(
        total=Count("pk"), eliminated=Count("pk", filter=Q(eliminated_on__range=(scope.start, scope.end)))
    )
    if not row["total"]:
        return Measure(None, note="chưa có dữ liệu: không có điểm, tụ điểm nào trong kỳ")
    return Measure(
        _pct(row["eliminated"], row["total"]),
        detail=f"{row['eliminated']}/{row['total']} điểm, tụ điểm đã triệt xóa",
    )


# --- status ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    status: str
    reason: str
    expected: Decimal | None = None


def _satisfies(value: Decimal, goal: Decimal, comparison: str) -> bool:
    return value >= goal if comparison == Comparison.GTE else value <= goal


def evaluate(
    *,
    current: Decimal | None,
    target: Decimal,
    comparison: str,
    baseline: Decimal | None,
    start: dt.date | None,
    deadline: dt.date,
    on: dt.date,
    unit: str = "",
    bounds: tuple[Decimal | None, Decimal | None] | None = None,
    coverage: str = "",
) -> Evaluation:
    """The status of a target on ``on`` (pure; see the module docstring for the rule).

    ``bounds`` (lowest, highest; None = unbounded) are the values the target could take whatever
    the communes without data hold, ``coverage`` says over what ``current`` was measured. While
    the bounds disagree on whether the target is met, no status is given."""
    sign = "≥" if comparison == Comparison.GTE else "≤"
    if current is None:
        return Evaluation(TargetStatus.NO_DATA, "Chưa tính được giá trị hiện tại.")
    over = f" ({coverage})" if coverage else ""
    if bounds is not None:
        low, high = bounds
        # an unbounded low side (−∞) satisfies only "≤", an unbounded high side (+∞) only "≥"
        met_low = _satisfies(low, target, comparison) if low is not None else comparison == Comparison.LTE
        met_high = _satisfies(high, target, comparison) if high is not None else comparison == Comparison.GTE
        if met_low != met_high:
            return Evaluation(
                TargetStatus.NO_DATA,
                f"Chưa đủ số liệu để đánh giá: {fmt(current, unit)}{over}; các xã chưa có số liệu có thể làm "
                f"thay đổi kết quả.",
            )
        if not met_low:
            # not met even in the best case: judge progress on the best case
            current = high if comparison == Comparison.GTE else low
            if current is None:
                return Evaluation(TargetStatus.NO_DATA, f"Chưa đủ số liệu để đánh giá{over}.")
        else:
            return Evaluation(TargetStatus.MET, f"Đạt: {fmt(current, unit)} {sign} {fmt(target, unit)}{over}.")
    if _satisfies(current, target, comparison):
        return Evaluation(TargetStatus.MET, f"Đạt: {fmt(current, unit)} {sign} {fmt(target, unit)}{over}.")
    if on > deadline:
        return Evaluation(
            TargetStatus.MISSED,
            f"Không đạt (hết thời hạn {deadline:%d/%m/%Y}): {fmt(current, unit)}, chưa {sign} "
            f"{fmt(target, unit)}{over}.",
        )
    if baseline is None or start is None or start >= deadline:
        return Evaluation(
            TargetStatus.AT_RISK,
            f"Chưa đạt ({fmt(current, unit)}); chưa có số liệu nền nên không đánh giá được là đúng tiến độ.",
        )
    share = Decimal(max(0, min((on - start).days, (deadline - start).days))) / Decimal((deadline - start).days)
    expected = (baseline + (target - baseline) * share).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if _satisfies(current, expected, comparison):
        return Evaluation(
            TargetStatus.ON_TRACK,
            f"Đúng tiến độ: đến {on:%d/%m/%Y} cần {sign} {fmt(expected, unit)}, hiện {fmt(current, unit)}.",
            expected,
        )
    lead = "Chậm tiến độ" if comparison == Comparison.GTE else "Vượt mức cho phép"
    return Evaluation(
        TargetStatus.AT_RISK,
        f"{lead}: đến {on:%d/%m/%Y} cần {sign} {fmt(expected, unit)}, hiện {fmt(current, unit)}.",
        expected,
    )


@dataclass
class TargetRow:
    target: Any
    indicator: Indicator | None
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    measure: Measure
    evaluation: Evaluation

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator else ""

    @property
    def current_display(self) -> str:
        return fmt(self.measure.value, self.unit)

    @property
    def target_display(self) -> str:
        sign = "≥" if self.target.comparison == Comparison.GTE else "≤"
        return f"{sign} {fmt(self.target.target_value, self.unit)}"

    @property
    def baseline_display(self) -> str:
        return fmt(self.target.baseline_value, self.unit)


def period_for(target, on: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(start, end, deadline) of the period a target is measured over on ``on``."""
    if target.recurrence == Recurrence.YEARLY:
        start, deadline = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
    else:
        deadline = target.deadline
        start = target.baseline_date or dt.date(min(on, deadline).year, 1, 1)
    return start, min(on, deadline), deadline


def evaluate_target(target, *, commune_ids, on: dt.date, province_wide: bool) -> TargetRow:
    start, end, deadline = period_for(target, on)
    scope = Scope(
        commune_ids=tuple(commune_ids),
        start=start,
        end=end,
        on=on,
        province_wide=province_wide,
        params=dict(target.params or {}),
        baseline=target.baseline_value,
        year=getattr(target, "year", None),
    )
    ind = REGISTRY.get(target.indicator)
    result = measure(target.indicator, scope)
    if target.recurrence == Recurrence.YEARLY:
        baseline, line_start = Decimal(0), start
    else:
        baseline, line_start = target.baseline_value, target.baseline_date
    evaluation = evaluate(
        current=result.value,
        target=target.target_value,
        comparison=target.comparison,
        baseline=baseline,
        start=line_start,
        deadline=deadline,
        on=on,
        unit=ind.unit if ind else "",
        bounds=result.bounds if result.partial else None,
        coverage=result.coverage_text if result.partial else "",
    )
    if evaluation.status == TargetStatus.NO_DATA and result.note:
        evaluation = Evaluation(TargetStatus.NO_DATA, result.note[:1].upper() + result.note[1:] + ".")
    return TargetRow(target, ind, start, end, deadline, result, evaluation)
