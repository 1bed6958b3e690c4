"""Evaluating a rule set over one commune's indicators: comparisons, three-valued logic, the level cascade
and the decision. Pure code, no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .results import CriterionResult, LevelResult, Outcome
from .spec import (
    _NEGATION,
    _SYMBOL,
    ALL,
    ANY,
    HAS_PROBLEMS,
    HAS_PROBLEMS_LABEL,
    KEY_ROUTE_INDICATOR,
    NO_EVIDENCE_REASON,
    RANGE_COMPARISONS,
    THRESHOLD,
    UNDETERMINED,
    UNDETERMINED_LABEL,
    CriterionSpec,
    Indicators,
    LevelSpec,
    RuleSetSpec,
    Tri,
    Value,
    _fmt,
    criterion_threshold_text,
    format_value,
    severity_order,
)

# --- comparisons ---------------------------------------------------------------------------------


def compare(comparison: str, value: Decimal, low: Decimal, high: Decimal | None = None) -> bool:
    """``between`` is the half-open band [low, high); ``gt_lt`` the open band (low, high)."""
    if comparison == "gte":
        return value >= low
    if comparison == "gt":
        return value > low
    if comparison == "lte":
        return value <= low
    if comparison == "lt":
        return value < low
    if comparison == "eq":
        return value == low
    if comparison == "between":
        return high is not None and low <= value < high
    if comparison == "gt_lt":
        return high is not None and low < value < high
    raise ValueError(f"unknown comparison {comparison!r}")


def _relation(comparison: str, value: Decimal, low: Decimal, high: Decimal | None, unit: str, met: bool) -> str:
    v = _fmt(value, unit, low, *(h for h in (high,) if h is not None))
    lo = _fmt(low, unit, value)
    if comparison in RANGE_COMPARISONS:
        hi = _fmt(high, unit, value) if high is not None else "?"
        lower_symbol = "≤" if comparison == "between" else "<"
        if met:
            return f"{lo} {lower_symbol} {v} < {hi}"
        if high is not None and value >= high:
            return f"{v} ≥ {hi}"
        return f"{v} {'<' if comparison == 'between' else '≤'} {lo}"
    symbol = _SYMBOL[comparison] if met else _NEGATION[comparison]
    return f"{v} {symbol} {lo}"


def _or3(a: Tri, b: Tri) -> Tri:
    if a is True or b is True:
        return True
    if a is False and b is False:
        return False
    return None


def _and3(a: Tri, b: Tri) -> Tri:
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return None


def _to_decimal(value: Decimal | bool) -> Decimal:
    if isinstance(value, bool):
        return Decimal(1 if value else 0)
    return value


# --- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Side:
    met: Tri
    value: Value
    text: str  # the relation ("0,62% ≥ 0,5%") or the reason it is unknown


def _side(
    indicators: Indicators, indicator: str, comparison: str, low: Decimal, high: Decimal | None, unit: str
) -> _Side:
    value, why = indicators.lookup(indicator)
    if value is None:
        return _Side(None, None, why)
    met = compare(comparison, _to_decimal(value), low, high)
    if isinstance(value, bool):
        return _Side(met, value, f"{format_value(value, unit)} ({'đạt' if met else 'không đạt'})")
    return _Side(met, value, _relation(comparison, value, low, high, unit, met))


def evaluate_threshold(c: CriterionSpec, indicators: Indicators, level_code: str = "") -> CriterionResult:
    """One threshold criterion on its own (primary OR alternative), without band cascade."""
    primary = _side(indicators, c.indicator, c.comparison, c.threshold, c.threshold_high, c.unit_for(c.indicator))
    sides = [primary]
    if c.has_alt:
        sides.append(
            _side(
                indicators,
                c.alt_indicator,
                c.alt_comparison,
                c.alt_threshold,
                c.alt_threshold_high,
                c.unit_for(c.alt_indicator),
            )
        )
    met: Tri = primary.met
    for side in sides[1:]:
        met = _or3(met, side.met)
    parts = [s.text for s in sides]
    missing: tuple[str, ...] = ()
    if met is None:
        missing = tuple(dict.fromkeys(s.text for s in sides if s.met is None))
        known = "; ".join(s.text for s in sides if s.met is not None)
        reason = f"Không xác định: {'; '.join(missing)}" + (f" ({known})" if known else "")
    else:
        reason = "; ".join(parts)
    detail = indicators.details.get(c.indicator, "")
    if detail and primary.met is not None:
        reason += f" ({detail})"
    value_text = "; ".join(
        format_value(s.value, c.unit_for(ind)) for s, ind in zip(sides, [c.indicator, c.alt_indicator], strict=False)
    )
    if met is not None and c.evidence and not indicators.evidence.intersection(c.evidence):
        # Without the evidence the rule set asks for, a value (typically 0 from empty tables) is
        # not a finding: the criterion stays undecided instead of silently passing or failing.
        why = NO_EVIDENCE_REASON.format(evidence=c.evidence_text)
        met, missing = None, (why,)
        reason = f"Không xác định: {why} (số đọc được: {'; '.join(parts)})"
    return CriterionResult(
        level_code=level_code,
        code=c.code,
        label=c.label,
        kind=c.kind,
        indicator=c.indicator,
        value=primary.value,
        value_text=value_text,
        threshold_text=criterion_threshold_text(c),
        met=met,
        reason=reason,
        verification=c.verification,
        source=c.source,
        literal_met=met,
        missing=missing,
    )


def _cascade(
    spec: RuleSetSpec, literal: dict[tuple[str, str], CriterionResult]
) -> dict[tuple[str, str], CriterionResult]:
    """Let a band met at a more severe key level count at the lighter key levels (same code and
    indicator). Levels are walked from the most severe, so the cascade is transitive."""
    if not spec.bands_cascade:
        return dict(literal)
    effective: dict[tuple[str, str], CriterionResult] = {}
    by_code: dict[tuple[str, str], CriterionResult] = {}  # (code, indicator) → best so far (more severe)
    for level in spec.ordered_levels():
        for c in level.criteria:
            if c.kind != THRESHOLD:
                continue
            own = literal[(level.code, c.code)]
            key = (c.code, c.indicator)
            higher = by_code.get(key) if level.is_key else None
            result = own
            if higher is not None and own.met is not True and higher.met is not own.met:
                met = _or3(own.met, higher.met)
                source_level = higher.cascaded_from or higher.level_code
                root = literal[(source_level, c.code)].reason
                if met is True:
                    reason = f"Đạt ở mức {spec.label_for(source_level)}: {root}"
                elif met is None:
                    reason = f"{own.reason}; mức {spec.label_for(source_level)}: {root}"
                else:
                    reason = own.reason
                result = replace(
                    own,
                    met=met,
                    reason=reason,
                    cascaded_from=source_level if met is True else "",
                    missing=() if met is True else own.missing,
                )
            effective[(level.code, c.code)] = result
            if level.is_key:
                by_code[key] = result
    return effective


def _evaluate_composite(
    c: CriterionSpec,
    level: LevelSpec,
    spec: RuleSetSpec,
    indicators: Indicators,
    effective: dict[tuple[str, str], CriterionResult],
) -> CriterionResult:
    ref = spec.level(c.ref_level_code)
    ref_label = spec.label_for(c.ref_level_code)
    met_codes: list[str] = []
    unknown_codes: list[str] = []
    missing: dict[str, None] = {}  # ordered set of the reasons behind unknown criteria
    if ref is not None:
        pool = [lv for lv in spec.ordered_levels() if lv.order <= ref.order]
        status: dict[str, Tri] = {}
        why_unknown: dict[str, tuple[str, ...]] = {}
        for lv in pool:
            for crit in lv.criteria:
                if crit.kind != THRESHOLD:
                    continue
                result = effective[(lv.code, crit.code)]
                status[crit.code] = _or3(status[crit.code], result.met) if crit.code in status else result.met
                why_unknown.setdefault(crit.code, result.missing)
        met_codes = [code for code, met in status.items() if met is True]
        unknown_codes = [code for code, met in status.items() if met is None]
    n = c.ref_min_count
    counted = f"{len(met_codes)} tiêu chí {ref_label} trở lên" + (f" ({', '.join(met_codes)})" if met_codes else "")
    if len(met_codes) >= n:
        count_ok: Tri = True
        count_text = f"đạt {counted} ≥ {n}"
    elif len(met_codes) + len(unknown_codes) >= n:
        count_ok = None
        count_text = f"đạt {counted}, {len(unknown_codes)} tiêu chí chưa xác định ({', '.join(unknown_codes)})"
    else:
        count_ok = False
        count_text = f"chỉ đạt {counted} < {n}"
    route_ok: Tri = True
    route_text = ""
    route_value: Value = None
    if c.requires_key_route:
        route_value, why = indicators.lookup(KEY_ROUTE_INDICATOR)
        if route_value is None:
            route_ok, route_text = None, f"tuyến trọng điểm: {why}"
        else:
            route_ok = bool(route_value)
            route_text = "nằm trên tuyến trọng điểm" if route_ok else "không nằm trên tuyến trọng điểm"
            detail = indicators.details.get(KEY_ROUTE_INDICATOR, "")
            if detail and route_ok:
                route_text += f" ({detail})"
    met = _and3(count_ok, route_ok)
    reason = count_text + (f"; {route_text}" if route_text else "")
    if met is None:
        reason = f"Không xác định: {reason}"
        if count_ok is None:
            for code in unknown_codes:
                missing.update(dict.fromkeys(why_unknown.get(code, ())))
        if route_ok is None:
            missing[why] = None
    value_text = f"{len(met_codes)} tiêu chí"
    if c.requires_key_route:
        value_text += "; " + ("trên tuyến" if route_value is True else "ngoài tuyến" if route_value is False else "?")
    return CriterionResult(
        level_code=level.code,
        code=c.code,
        label=c.label,
        kind=c.kind,
        indicator=KEY_ROUTE_INDICATOR if c.requires_key_route else "",
        value=Decimal(len(met_codes)),
        value_text=value_text,
        threshold_text=criterion_threshold_text(c, spec),
        met=met,
        reason=reason,
        verification=c.verification,
        source=c.source,
        literal_met=met,
        missing=tuple(missing),
    )


def _level_result(level: LevelSpec, results: Sequence[CriterionResult]) -> LevelResult:
    met_count = sum(1 for r in results if r.met is True)
    unknown = sum(1 for r in results if r.met is None)
    required = level.required
    if met_count >= required:
        reached: Tri = True
    elif met_count + unknown >= required:
        reached = None
    else:
        reached = False
    return LevelResult(
        code=level.code,
        label=level.label,
        order=level.order,
        is_key=level.is_key,
        combination=level.combination,
        required=required,
        met_count=met_count,
        undetermined_count=unknown,
        reached=reached,
        criteria=tuple(results),
    )


def evaluate(spec: RuleSetSpec, indicators: Indicators) -> Outcome:
    """Classify one commune. Every criterion of every level is evaluated and explained, even below
    the level reached, so the explanation page can show the whole table."""
    literal = {
        (level.code, c.code): evaluate_threshold(c, indicators, level.code)
        for level in spec.levels
        for c in level.criteria
        if c.kind == THRESHOLD
    }
    effective = _cascade(spec, literal)
    level_results: list[LevelResult] = []
    for level in spec.ordered_levels():
        results = [
            effective[(level.code, c.code)]
            if c.kind == THRESHOLD
            else _evaluate_composite(c, level, spec, indicators, effective)
            for c in level.criteria
        ]
        level_results.append(_level_result(level, results))
    return _decide(spec, tuple(level_results))


def _undetermined_detail(lv: LevelResult) -> str:
    return (
        f"{lv.label} đạt {lv.met_count}/{len(lv.criteria)} (cần {lv.required}), "
        f"chưa xác định {', '.join(lv.undetermined_codes)}"
    )


def _missing_data(pending: Sequence[LevelResult]) -> dict[str, list[str]]:
    """{reason: criterion codes} over the undecided criteria, each reason once."""
    grouped: dict[str, list[str]] = {}
    for lv in pending:
        for c in lv.criteria:
            if c.met is None:
                for why in c.missing or (c.reason.removeprefix("Không xác định: "),):
                    codes = grouped.setdefault(why, [])
                    if c.code not in codes:
                        codes.append(c.code)
    return grouped


def _decide(spec: RuleSetSpec, levels: tuple[LevelResult, ...]) -> Outcome:
    pending: list[LevelResult] = []
    for lv in levels:
        if lv.reached is True and not pending:
            return Outcome(
                level_code=lv.code,
                label=lv.label,
                is_key=lv.is_key,
                reason=f"Đạt {lv.label}: {lv.met_count}/{len(lv.criteria)} tiêu chí ({', '.join(lv.met_codes)}); "
                f"{_rule_text(lv)}.",
                levels=levels,
                met_codes=tuple(lv.met_codes),
                required=lv.required,
            )
        if lv.reached is None:
            pending.append(lv)
        elif lv.reached is True:
            # An earlier level could not be decided: this one is only the lightest possibility.
            candidates = tuple([p.code for p in pending] + [lv.code])
            return _undetermined(spec, levels, pending, candidates, floor=lv)
    if pending:
        return _undetermined(spec, levels, pending, tuple([p.code for p in pending] + [HAS_PROBLEMS]), floor=None)
    failed = "; ".join(f"{lv.label} {lv.met_count}/{lv.required}" for lv in levels if lv.is_key)
    not_free = [lv for lv in levels if not lv.is_key]
    detail = ""
    if not_free:
        bad = [f"{c.code}: {c.reason}" for lv in not_free for c in lv.criteria if c.met is False]
        detail = f"; không đạt {', '.join(lv.label for lv in not_free)} ({'; '.join(bad)})"
    key_met = sorted({c for lv in levels if lv.is_key for c in lv.met_codes})
    return Outcome(
        level_code=HAS_PROBLEMS,
        label=HAS_PROBLEMS_LABEL,
        is_key=False,
        reason=f"Không đạt mức trọng điểm nào (tiêu chí đạt/cần: {failed}){detail}.",
        levels=levels,
        met_codes=tuple(key_met),
        required=0,
    )


def _rule_text(lv: LevelResult) -> str:
    if lv.combination == ANY:
        return "cần một trong các tiêu chí"
    if lv.combination == ALL:
        return "cần tất cả các tiêu chí"
    return f"cần ít nhất {lv.required} tiêu chí"


def _undetermined(
    spec: RuleSetSpec,
    levels: tuple[LevelResult, ...],
    pending: list[LevelResult],
    candidates: tuple[str, ...],
    floor: LevelResult | None,
) -> Outcome:
    first = pending[0]
    order = severity_order(spec)
    candidates = tuple(sorted(candidates, key=lambda code: order.index(code) if code in order else len(order)))
    missing = _missing_data(pending)
    reason = "Chưa đủ số liệu để phân loại – " + "; ".join(_undetermined_detail(p) for p in pending) + "."
    reason += " Thiếu số liệu: " + "; ".join(f"{why} ({', '.join(codes)})" for why, codes in missing.items()) + "."
    reason += " Có thể là: " + ", ".join(spec.label_for(code) for code in candidates) + "."
    if floor is not None:
        reason += f" Chắc chắn đạt tối thiểu {floor.label}."
    return Outcome(
        level_code=UNDETERMINED,
        label=UNDETERMINED_LABEL,
        is_key=False,
        reason=reason,
        levels=levels,
        candidates=candidates,
        met_codes=tuple(first.met_codes),
        required=first.required,
        missing=tuple((why, tuple(codes)) for why, codes in missing.items()),
    )


def evaluate_many(spec: RuleSetSpec, facts: Mapping[Any, Indicators]) -> dict[Any, Outcome]:
    return {key: evaluate(spec, indicators) for key, indicators in facts.items()}


def count_by_level(spec: RuleSetSpec, codes: Iterable[str]) -> dict[str, int]:
    """Communes per outcome, every outcome listed (zeros included) in severity order."""
    counts = dict.fromkeys([*severity_order(spec), UNDETERMINED], 0)
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return counts
