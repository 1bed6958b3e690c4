"""The commune classification engine (issue #4; domain.md §1 QĐ 3122/2010/QĐ-BCA, §2 QĐ 28/2025/QĐ-TTg).

PURE code: no ORM, no Django. Rule sets are data (``RuleSetSpec`` built from the database or from
the JSON files in ``fixtures/rulesets/``), the indicators of one commune for one period are plain
values (``Indicators``), and ``evaluate`` returns an ``Outcome`` explaining every criterion of every
level with its value, threshold, result and a Vietnamese reason ("0,62% ≥ 0,5%").

Rules of evaluation:

* Levels are checked in ``order`` (most severe first). A level is reached when the number of met
  criteria reaches what its combination requires (``any`` → 1, ``at_least`` → ``min_count``,
  ``all`` → every criterion). When it could be reached only with criteria that cannot be decided
  (missing population, missing register…), the outcome is ``undetermined`` with the reason: never
  a silent default, never a crash.
* No level reached → ``has_problems`` ("có tệ nạn ma túy nhưng không thuộc diện trọng điểm", a real
  category in provincial reports, domain.md §1).
* A threshold criterion may have an OR-alternative (QĐ 28 criterion d: ≥ 3.000 cây OR ≥ 750 m²).
* A composite criterion (QĐ 28 criterion đ) counts the distinct criteria met at the referenced level
  or a more severe one (threshold criteria only, so there is no recursion), optionally together with
  lying on a key drug route.
* Banded criteria cascade (``RuleSetSpec.bands_cascade``, on for the shipped rule sets): criterion
  "a" of a key level also counts as met when "a" (same indicator) of a more severe key level is met.
  Without it a commune whose ratio is *above* the type-II band would fail type II's "a" and could
  drop to a lighter type than a commune with a lower ratio. The literal band result is still shown.

Three-valued logic throughout: ``True`` met, ``False`` not met, ``None`` cannot be decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from apps.core import formatting

Value = Decimal | bool | None
Tri = bool | None

FORMAT = "pcmt-ruleset/1"

# Outcome codes that are not levels of a rule set.
HAS_PROBLEMS = "has_problems"
UNDETERMINED = "undetermined"
HAS_PROBLEMS_LABEL = "Có tệ nạn ma túy nhưng không thuộc diện trọng điểm"
# "Not enough data" is an outcome of its own, never a silent "drug-free" (issue 10 §2).
UNDETERMINED_LABEL = "Chưa đủ số liệu"

THRESHOLD = "threshold"
COMPOSITE = "composite"
KINDS = {THRESHOLD: "Ngưỡng chỉ số", COMPOSITE: "Tổng hợp (đếm tiêu chí khác)"}

ANY, AT_LEAST, ALL = "any", "at_least", "all"
COMBINATIONS = {ANY: "Một trong các tiêu chí", AT_LEAST: "Ít nhất N tiêu chí", ALL: "Tất cả các tiêu chí"}

COMPARISONS = {
    "gte": "≥ (từ … trở lên)",
    "gt": "> (trên …)",
    "lte": "≤ (từ … trở xuống)",
    "lt": "< (dưới …)",
    "eq": "= (bằng)",
    "between": "từ … đến dưới … [thấp; cao)",
    "gt_lt": "trên … đến dưới … (thấp; cao)",
}
RANGE_COMPARISONS = ("between", "gt_lt")
_SYMBOL = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}
_NEGATION = {"gte": "<", "gt": "≤", "lte": ">", "lt": "≥", "eq": "≠"}

VERIFICATIONS = {
    "verified": "Đã kiểm chứng với văn bản",
    "partly": "Kiểm chứng một phần",
    "unverified": "Chưa kiểm chứng – cần pháp chế xác nhận",
}
#: positive evidence a criterion may require before it is decided (``CriterionSpec.evidence``: any
#: one of the listed kinds suffices). A zero read from empty tables proves nothing: "no records"
#: and "no problems" look the same, so the drug-free criteria need the commune to have recorded
#: something for the year, or the province to have approved its report; ratio criteria need the
#: resident population of the year even when the numerator is 0.
EVIDENCE = {
    "records": "hồ sơ, sổ theo dõi của xã có số liệu trong năm",
    "submission": "báo cáo định kỳ của xã trong năm đã được phê duyệt",
    "population": "dân số đang cư trú của xã trong năm",
}
#: reasons a value is unknown that are gaps in the COMMUNE's own data (evidence, population), as
#: opposed to gaps of the system (an app not installed, no key-route list for the year)
NO_EVIDENCE_REASON = "chưa đủ số liệu: chưa có {evidence}"
NO_POPULATION_REASON = "chưa có dân số năm {year}"
_COMMUNE_DATA_GAPS = (NO_EVIDENCE_REASON.split("{")[0], NO_POPULATION_REASON.split("{")[0])
STATUSES = {"draft": "Dự thảo", "active": "Đang áp dụng", "retired": "Hết áp dụng"}


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    label: str
    unit: str
    #: "count" (whole numbers), "percent", "area" (m²) or "flag" (yes/no)
    kind: str


INDICATORS: dict[str, IndicatorInfo] = {
    info.code: info
    for info in (
        IndicatorInfo("addicts_with_records", "Người nghiện ma túy có hồ sơ quản lý", "người", "count"),
        IndicatorInfo(
            "addicts_users_with_records",
            "Người nghiện, người sử dụng trái phép chất ma túy có hồ sơ quản lý",
            "người",
            "count",
        ),
        IndicatorInfo(
            "addicts_users_ratio",
            "Tỷ lệ người nghiện, người sử dụng có hồ sơ quản lý trên dân số đang cư trú",
            "%",
            "percent",
        ),
        IndicatorInfo(
            "harbouring_places", "Địa điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy", "điểm", "count"
        ),
        IndicatorInfo("hotspots_active", "Tụ điểm tệ nạn ma túy đang tồn tại", "điểm", "count"),
        IndicatorInfo("offenders_arrested", "Người phạm tội về ma túy bị bắt giữ", "người", "count"),
        IndicatorInfo(
            "offenders_ratio", "Tỷ lệ người phạm tội về ma túy bị bắt giữ trên dân số đang cư trú", "%", "percent"
        ),
        IndicatorInfo("plants_destroyed", "Cây có chứa chất ma túy bị phát hiện, triệt phá", "cây", "count"),
        IndicatorInfo("plant_area_m2", "Diện tích cây có chứa chất ma túy bị phát hiện, triệt phá", "m²", "area"),
        IndicatorInfo("crime_cases", "Vụ phạm tội về ma túy bị phát hiện", "vụ", "count"),
        IndicatorInfo("on_key_route", "Nằm trên tuyến trọng điểm phức tạp về ma túy", "", "flag"),
    )
}
KEY_ROUTE_INDICATOR = "on_key_route"


# --- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The data window of an assessment.

    For now a year YYYY is the calendar year, 01/01/YYYY–31/12/YYYY. The statistical reporting
    windows (15th–14th, domain.md §5) come later with the reporting module.
    """

    year: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"Năm {self.year} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"


def period_for_year(year: int) -> Period:
    return Period(year=year, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


# --- specifications -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    label: str
    kind: str = THRESHOLD
    indicator: str = ""
    comparison: str = ""
    threshold: Decimal | None = None
    threshold_high: Decimal | None = None
    alt_indicator: str = ""
    alt_comparison: str = ""
    alt_threshold: Decimal | None = None
    alt_threshold_high: Decimal | None = None
    unit_label: str = ""
    ref_level_code: str = ""
    ref_min_count: int = 0
    requires_key_route: bool = False
    verification: str = "unverified"
    source: str = ""
    #: evidence kinds (``EVIDENCE``), any one of which must exist for the criterion to be decided
    evidence: tuple[str, ...] = ()

    @property
    def evidence_text(self) -> str:
        return " hoặc ".join(EVIDENCE.get(e, e) for e in self.evidence)

    @property
    def has_alt(self) -> bool:
        return bool(self.alt_indicator)

    def unit_for(self, indicator: str) -> str:
        if indicator == self.indicator and self.unit_label:
            return self.unit_label
        info = INDICATORS.get(indicator)
        return info.unit if info else ""


@dataclass(frozen=True)
class LevelSpec:
    code: str
    label: str
    order: int
    combination: str
    min_count: int = 1
    is_key: bool = True
    criteria: tuple[CriterionSpec, ...] = ()

    @property
    def required(self) -> int:
        if self.combination == ANY:
            return 1
        if self.combination == ALL:
            return len(self.criteria)
        return self.min_count

    @property
    def combination_text(self) -> str:
        n = len(self.criteria)
        if self.combination == ANY:
            return f"đạt một trong {n} tiêu chí"
        if self.combination == ALL:
            return f"đạt tất cả {n} tiêu chí"
        return f"đạt ít nhất {self.min_count}/{n} tiêu chí"


@dataclass(frozen=True)
class RuleSetSpec:
    code: str
    title: str
    levels: tuple[LevelSpec, ...]
    legal_basis: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    status: str = "draft"
    notes: str = ""
    version: int = 1
    bands_cascade: bool = True

    def ordered_levels(self) -> list[LevelSpec]:
        return sorted(self.levels, key=lambda lv: lv.order)

    def level(self, code: str) -> LevelSpec | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def label_for(self, code: str) -> str:
        if code == HAS_PROBLEMS:
            return HAS_PROBLEMS_LABEL
        if code == UNDETERMINED:
            return UNDETERMINED_LABEL
        level = self.level(code)
        return level.label if level else code

    def is_key(self, code: str) -> bool:
        level = self.level(code)
        return bool(level and level.is_key)

    def outcome_codes(self) -> list[str]:
        """Every final outcome a commune may get, most severe first (for filters and overrides)."""
        return severity_order(self)

    def unverified_count(self) -> int:
        return sum(1 for lv in self.levels for c in lv.criteria if c.verification != "verified")


def severity_order(spec: RuleSetSpec) -> list[str]:
    """Outcome codes from most to least severe: key levels, "has problems", then the others
    (drug-free). Comparing ranks of two years works across rule sets with the same shape."""
    levels = spec.ordered_levels()
    return [lv.code for lv in levels if lv.is_key] + [HAS_PROBLEMS] + [lv.code for lv in levels if not lv.is_key]


def severity_rank(spec: RuleSetSpec, code: str) -> int | None:
    """0 = most severe; ``None`` for undetermined or unknown codes."""
    order = severity_order(spec)
    return order.index(code) if code in order else None


# --- indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicators:
    """The facts of one commune for one period.

    ``values`` maps an indicator code to a number (Decimal) or a flag (bool); ``None`` or absence
    means unknown, and ``missing`` says why ("chưa có dân số năm 2025"). ``details`` explains how a
    value was obtained ("31 người / 6.200 dân"), shown next to the reason.
    """

    values: Mapping[str, Value] = field(default_factory=dict)
    missing: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, str] = field(default_factory=dict)
    #: the evidence kinds (``EVIDENCE``) that exist for this commune and period
    evidence: frozenset[str] = frozenset()

    def lookup(self, code: str) -> tuple[Value, str]:
        """(value, "") when known, (None, reason) otherwise."""
        value = self.values.get(code)
        if value is None:
            info = INDICATORS.get(code)
            reason = self.missing.get(code) or f"chưa có số liệu “{info.label if info else code}”"
            return None, reason
        if isinstance(value, bool):
            return value, ""
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        return value, ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": {k: _json_value(v) for k, v in self.values.items()},
            "missing": dict(self.missing),
            "details": dict(self.details),
            "evidence": sorted(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Indicators:
        values: dict[str, Value] = {}
        for key, raw in (data.get("values") or {}).items():
            values[key] = raw if raw is None or isinstance(raw, bool) else Decimal(str(raw))
        return cls(
            values=values,
            missing=dict(data.get("missing") or {}),
            details=dict(data.get("details") or {}),
            evidence=frozenset(data.get("evidence") or ()),
        )


def _json_value(value: Value) -> str | bool | None:
    if value is None or isinstance(value, bool):
        return value
    return str(value)


# --- number formatting (Vietnamese: 3.000 ; 0,5) -----------------------------------------------


def format_number(value: Decimal | int, places: int = 3) -> str:
    """Vietnamese number format: thousands with ".", decimals with ",", trailing zeros dropped."""
    return formatting.number(value, places)


_with_unit = formatting.with_unit


def _fmt(value: Decimal, unit: str, *others: Decimal) -> str:
    """A value formatted precisely enough not to look equal to a different threshold it is compared
    with (0,4999% must not print as "0,5% < 0,5%")."""
    places = 3
    while places < 10 and any(
        o != value and format_number(o, places) == format_number(value, places) for o in others if o is not None
    ):
        places += 1
    return _with_unit(format_number(value, places), unit)


def format_value(value: Value, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    return _with_unit(format_number(value), unit)


def threshold_text(comparison: str, low: Decimal | None, high: Decimal | None, unit: str) -> str:
    if low is None:
        return "—"
    lo = _with_unit(format_number(low), unit)
    if comparison == "between":
        return f"từ {lo} đến dưới {_with_unit(format_number(high), unit) if high is not None else '?'}"
    if comparison == "gt_lt":
        return f"trên {lo} đến dưới {_with_unit(format_number(high), unit) if high is not None else '?'}"
    return f"{_SYMBOL.get(comparison, comparison)} {lo}"


def criterion_threshold_text(c: CriterionSpec, spec: RuleSetSpec | None = None) -> str:
    """ "≥ 0,5%", "từ 125 m² đến dưới 750 m²", "≥ 3.000 cây hoặc ≥ 750 m²", or the composite rule."""
    if c.kind == COMPOSITE:
        ref = spec.label_for(c.ref_level_code) if spec else c.ref_level_code
        text = f"đạt từ {c.ref_min_count} tiêu chí {ref} trở lên"
        if c.requires_key_route:
            text += " và nằm trên tuyến trọng điểm"
        return text
    text = threshold_text(c.comparison, c.threshold, c.threshold_high, c.unit_for(c.indicator))
    if c.has_alt:
        alt = threshold_text(c.alt_comparison, c.alt_threshold, c.alt_threshold_high, c.unit_for(c.alt_indicator))
        text = f"{text} hoặc {alt}"
    return text


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


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    level_code: str
    code: str
    label: str
    kind: str
    indicator: str
    value: Value
    value_text: str
    threshold_text: str
    met: Tri
    reason: str
    verification: str
    source: str = ""
    #: the literal result of the band, before cascading from a more severe level
    literal_met: Tri = None
    #: level whose same criterion made this one count (band cascade), "" otherwise
    cascaded_from: str = ""
    #: why it cannot be decided (the missing data), when ``met`` is None
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level_code,
            "code": self.code,
            "label": self.label,
            "kind": self.kind,
            "indicator": self.indicator,
            "value": _json_value(self.value),
            "value_text": self.value_text,
            "threshold_text": self.threshold_text,
            "met": self.met,
            "literal_met": self.literal_met,
            "cascaded_from": self.cascaded_from,
            "reason": self.reason,
            "missing": list(self.missing),
            "verification": self.verification,
            "source": self.source,
        }


@dataclass(frozen=True)
class LevelResult:
    code: str
    label: str
    order: int
    is_key: bool
    combination: str
    required: int
    met_count: int
    undetermined_count: int
    reached: Tri
    criteria: tuple[CriterionResult, ...]

    @property
    def met_codes(self) -> list[str]:
        return [c.code for c in self.criteria if c.met is True]

    @property
    def undetermined_codes(self) -> list[str]:
        return [c.code for c in self.criteria if c.met is None]

    @property
    def summary(self) -> str:
        text = f"{self.label}: đạt {self.met_count}/{len(self.criteria)} tiêu chí (cần {self.required})"
        if self.undetermined_count:
            text += f", {self.undetermined_count} chưa xác định"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "order": self.order,
            "is_key": self.is_key,
            "combination": self.combination,
            "required": self.required,
            "met_count": self.met_count,
            "undetermined_count": self.undetermined_count,
            "reached": self.reached,
            "summary": self.summary,
            "criteria": [c.to_dict() for c in self.criteria],
        }


@dataclass(frozen=True)
class Outcome:
    level_code: str
    label: str
    is_key: bool
    reason: str
    levels: tuple[LevelResult, ...]
    #: for an undetermined outcome: the outcomes still possible, most severe first
    candidates: tuple[str, ...] = ()
    #: the criteria behind the outcome: met at the reached level, or at the undecided one
    met_codes: tuple[str, ...] = ()
    required: int = 0
    #: for an undetermined outcome: (missing data, criterion codes it blocks)
    missing: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def met_count(self) -> int:
        return len(self.met_codes)

    @property
    def criteria(self) -> list[CriterionResult]:
        return [c for lv in self.levels for c in lv.criteria]

    def level(self, code: str) -> LevelResult | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level_code,
            "label": self.label,
            "is_key": self.is_key,
            "reason": self.reason,
            "candidates": list(self.candidates),
            "met_codes": list(self.met_codes),
            "met_count": self.met_count,
            "required": self.required,
            "missing": [{"reason": why, "criteria": list(codes)} for why, codes in self.missing],
            "levels": [lv.to_dict() for lv in self.levels],
        }


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


# --- parsing and validating a rule set (JSON ↔ spec) -----------------------------------------------


class RuleSetFormatError(ValueError):
    """A rule set file or dict is invalid; ``errors`` lists every problem in Vietnamese."""

    def __init__(self, errors: Sequence[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


_TOP_KEYS = {
    "format",
    "code",
    "title",
    "legal_basis",
    "effective_from",
    "effective_to",
    "status",
    "notes",
    "version",
    "bands_cascade",
    "levels",
}
_LEVEL_KEYS = {"code", "label", "order", "combination", "min_count", "is_key", "criteria"}
_CRITERION_KEYS = {
    "code",
    "label",
    "kind",
    "indicator",
    "comparison",
    "threshold",
    "threshold_high",
    "alt_indicator",
    "alt_comparison",
    "alt_threshold",
    "alt_threshold_high",
    "unit_label",
    "ref_level_code",
    "ref_min_count",
    "requires_key_route",
    "verification",
    "source",
    "evidence",
}


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)


def _text(data: Mapping[str, Any], key: str, where: str, errors: _Errors, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors.add(where, f"thiếu “{key}”.")
        return ""
    if not isinstance(value, str):
        errors.add(where, f"“{key}” phải là chuỗi ký tự.")
        return ""
    return value.strip()


def _decimal(data: Mapping[str, Any], key: str, where: str, errors: _Errors) -> Decimal | None:
    raw = data.get(key)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        errors.add(where, f'“{key}” phải là số (ví dụ "0.5").')
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        errors.add(where, f"“{key}” = “{raw}” không phải là số.")
        return None
    if not value.is_finite():
        errors.add(where, f"“{key}” = “{raw}” không phải là số.")
        return None
    return value


def _int(data: Mapping[str, Any], key: str, where: str, errors: _Errors, default: int | None = None) -> int | None:
    raw = data.get(key, default)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        errors.add(where, f"“{key}” phải là số nguyên.")
        return None
    return raw


def _bool(data: Mapping[str, Any], key: str, where: str, errors: _Errors, default: bool) -> bool:
    raw = data.get(key, default)
    if not isinstance(raw, bool):
        errors.add(where, f"“{key}” phải là true hoặc false.")
        return default
    return raw


def _date(data: Mapping[str, Any], key: str, where: str, errors: _Errors) -> dt.date | None:
    raw = data.get(key)
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        errors.add(where, f"“{key}” = “{raw}” không phải ngày dạng YYYY-MM-DD.")
        return None


def _unknown_keys(data: Mapping[str, Any], allowed: set[str], where: str, errors: _Errors) -> None:
    for key in sorted(set(data) - allowed):
        errors.add(where, f"trường lạ “{key}” (có thể gõ sai tên).")


def _check_comparison(
    prefix: str, c: Mapping[str, Any], where: str, errors: _Errors
) -> tuple[str, str, Decimal | None, Decimal | None]:
    indicator = _text(c, f"{prefix}indicator", where, errors, required=True)
    if indicator and indicator not in INDICATORS:
        errors.add(where, f"chỉ số “{indicator}” không có trong danh mục ({', '.join(INDICATORS)}).")
    comparison = _text(c, f"{prefix}comparison", where, errors, required=True)
    if comparison and comparison not in COMPARISONS:
        errors.add(where, f"phép so sánh “{comparison}” không hợp lệ ({', '.join(COMPARISONS)}).")
    low = _decimal(c, f"{prefix}threshold", where, errors)
    high = _decimal(c, f"{prefix}threshold_high", where, errors)
    if low is None and f"{prefix}threshold" not in c:
        errors.add(where, f"thiếu ngưỡng “{prefix}threshold”.")
    if comparison in RANGE_COMPARISONS:
        if high is None:
            errors.add(where, f"phép “{comparison}” cần ngưỡng trên “{prefix}threshold_high”.")
        elif low is not None and high <= low:
            errors.add(where, f"ngưỡng trên “{prefix}threshold_high” phải lớn hơn ngưỡng dưới.")
    elif high is not None and comparison:
        errors.add(where, f"“{prefix}threshold_high” chỉ dùng với between hoặc gt_lt.")
    return indicator, comparison, low, high


def _evidence(c: Mapping[str, Any], where: str, errors: _Errors) -> tuple[str, ...]:
    raw = c.get("evidence")
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list) or not all(isinstance(e, str) for e in raw):
        errors.add(where, '“evidence” phải là danh sách mã bằng chứng, ví dụ ["records", "submission"].')
        return ()
    unknown = [e for e in raw if e not in EVIDENCE]
    if unknown:
        errors.add(where, f"bằng chứng “{', '.join(unknown)}” không hợp lệ ({', '.join(EVIDENCE)}).")
    return tuple(dict.fromkeys(e for e in raw if e in EVIDENCE))


def _parse_criterion(c: Any, level_where: str, errors: _Errors) -> CriterionSpec | None:
    if not isinstance(c, Mapping):
        errors.add(level_where, "mỗi tiêu chí phải là một đối tượng JSON.")
        return None
    code = _text(c, "code", level_where, errors, required=True)
    where = f"{level_where}, tiêu chí “{code or '?'}”"
    _unknown_keys(c, _CRITERION_KEYS, where, errors)
    label = _text(c, "label", where, errors, required=True)
    kind = _text(c, "kind", where, errors) or THRESHOLD
    verification = _text(c, "verification", where, errors) or "unverified"
    if verification not in VERIFICATIONS:
        errors.add(where, f"mức kiểm chứng “{verification}” không hợp lệ ({', '.join(VERIFICATIONS)}).")
    common = {
        "code": code,
        "label": label,
        "kind": kind,
        "unit_label": _text(c, "unit_label", where, errors),
        "verification": verification,
        "source": _text(c, "source", where, errors),
        "evidence": _evidence(c, where, errors),
    }
    if kind == THRESHOLD:
        indicator, comparison, low, high = _check_comparison("", c, where, errors)
        alt: tuple[str, str, Decimal | None, Decimal | None] = ("", "", None, None)
        if any(c.get(k) not in (None, "") for k in ("alt_indicator", "alt_comparison", "alt_threshold")):
            alt = _check_comparison("alt_", c, where, errors)
        for key in ("ref_level_code", "ref_min_count"):
            if c.get(key) not in (None, ""):
                errors.add(where, f"“{key}” chỉ dùng cho tiêu chí tổng hợp (composite).")
        if c.get("requires_key_route"):
            errors.add(where, "“requires_key_route” chỉ dùng cho tiêu chí tổng hợp (composite).")
        return CriterionSpec(
            **common,
            indicator=indicator,
            comparison=comparison,
            threshold=low,
            threshold_high=high,
            alt_indicator=alt[0],
            alt_comparison=alt[1],
            alt_threshold=alt[2],
            alt_threshold_high=alt[3],
        )
    if kind == COMPOSITE:
        ref = _text(c, "ref_level_code", where, errors, required=True)
        count = _int(c, "ref_min_count", where, errors)
        if count is None or count < 1:
            errors.add(where, "“ref_min_count” phải là số nguyên từ 1 trở lên.")
        for key in ("indicator", "comparison", "threshold", "alt_indicator"):
            if c.get(key) not in (None, ""):
                errors.add(where, f"tiêu chí tổng hợp không dùng “{key}”.")
        return CriterionSpec(
            **common,
            ref_level_code=ref,
            ref_min_count=count or 0,
            requires_key_route=_bool(c, "requires_key_route", where, errors, False),
        )
    errors.add(where, f"loại tiêu chí “{kind}” không hợp lệ (threshold, composite).")
    return None


def _parse_level(raw: Any, index: int, errors: _Errors) -> LevelSpec | None:
    if not isinstance(raw, Mapping):
        errors.add(f"Mức thứ {index}", "phải là một đối tượng JSON.")
        return None
    code = _text(raw, "code", f"Mức thứ {index}", errors, required=True)
    where = f"Mức “{code or index}”"
    _unknown_keys(raw, _LEVEL_KEYS, where, errors)
    label = _text(raw, "label", where, errors, required=True)
    order = _int(raw, "order", where, errors)
    if order is None:
        errors.add(where, "thiếu thứ tự xét “order” (số nguyên; 1 = nặng nhất).")
    combination = _text(raw, "combination", where, errors, required=True)
    if combination and combination not in COMBINATIONS:
        errors.add(where, f"cách kết hợp “{combination}” không hợp lệ ({', '.join(COMBINATIONS)}).")
    min_count = _int(raw, "min_count", where, errors, default=1) or 1
    criteria_raw = raw.get("criteria")
    criteria: list[CriterionSpec] = []
    if not isinstance(criteria_raw, list) or not criteria_raw:
        errors.add(where, "cần danh sách tiêu chí “criteria” (ít nhất một tiêu chí).")
    else:
        for item in criteria_raw:
            parsed = _parse_criterion(item, where, errors)
            if parsed is not None:
                criteria.append(parsed)
    codes = [c.code for c in criteria]
    for dup in sorted({c for c in codes if codes.count(c) > 1}):
        errors.add(where, f"mã tiêu chí “{dup}” bị trùng.")
    if combination == AT_LEAST and criteria and not 1 <= min_count <= len(criteria):
        errors.add(where, f"“min_count” = {min_count} phải từ 1 đến số tiêu chí ({len(criteria)}).")
    return LevelSpec(
        code=code,
        label=label,
        order=order or 0,
        combination=combination,
        min_count=min_count,
        is_key=_bool(raw, "is_key", where, errors, True),
        criteria=tuple(criteria),
    )


def spec_from_dict(data: Any) -> RuleSetSpec:
    """Parse and validate a rule set. Raises ``RuleSetFormatError`` listing every problem, so a file
    is accepted whole or not at all."""
    errors = _Errors()
    if not isinstance(data, Mapping):
        raise RuleSetFormatError(["Tệp phải chứa một đối tượng JSON (bắt đầu bằng “{”)."])
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        errors.add("", f"định dạng “{fmt}” không được hỗ trợ (cần “{FORMAT}”).")
    _unknown_keys(data, _TOP_KEYS, "Bộ tiêu chí", errors)
    code = _text(data, "code", "Bộ tiêu chí", errors, required=True)
    title = _text(data, "title", "Bộ tiêu chí", errors, required=True)
    status = _text(data, "status", "Bộ tiêu chí", errors) or "draft"
    if status not in STATUSES:
        errors.add("Bộ tiêu chí", f"trạng thái “{status}” không hợp lệ ({', '.join(STATUSES)}).")
    effective_from = _date(data, "effective_from", "Bộ tiêu chí", errors)
    if effective_from is None:
        errors.add("Bộ tiêu chí", "thiếu ngày bắt đầu áp dụng “effective_from”.")
    effective_to = _date(data, "effective_to", "Bộ tiêu chí", errors)
    if effective_from and effective_to and effective_to < effective_from:
        errors.add("Bộ tiêu chí", "“effective_to” phải sau “effective_from”.")
    version = _int(data, "version", "Bộ tiêu chí", errors, default=1) or 1
    levels: list[LevelSpec] = []
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        errors.add("Bộ tiêu chí", "cần danh sách mức “levels” (ít nhất một mức).")
    else:
        for index, raw in enumerate(raw_levels, start=1):
            level = _parse_level(raw, index, errors)
            if level is not None:
                levels.append(level)
    _check_levels(levels, errors)
    if errors.items:
        raise RuleSetFormatError(errors.items)
    return RuleSetSpec(
        code=code,
        title=title,
        legal_basis=_text(data, "legal_basis", "Bộ tiêu chí", errors),
        effective_from=effective_from,
        effective_to=effective_to,
        status=status,
        notes=_text(data, "notes", "Bộ tiêu chí", errors),
        version=version,
        bands_cascade=_bool(data, "bands_cascade", "Bộ tiêu chí", errors, True),
        levels=tuple(levels),
    )


def _check_levels(levels: Sequence[LevelSpec], errors: _Errors) -> None:
    codes = [lv.code for lv in levels]
    for dup in sorted({c for c in codes if codes.count(c) > 1}):
        errors.add("Bộ tiêu chí", f"mã mức “{dup}” bị trùng.")
    for reserved in (HAS_PROBLEMS, UNDETERMINED):
        if reserved in codes:
            errors.add("Bộ tiêu chí", f"mã mức “{reserved}” được dành cho kết quả của hệ thống.")
    orders = [lv.order for lv in levels]
    for dup in sorted({o for o in orders if orders.count(o) > 1}):
        errors.add("Bộ tiêu chí", f"thứ tự xét “order” = {dup} bị trùng giữa các mức.")
    by_code = {lv.code: lv for lv in levels}
    for lv in levels:
        for c in lv.criteria:
            if c.kind != COMPOSITE:
                continue
            ref = by_code.get(c.ref_level_code)
            where = f"Mức “{lv.code}”, tiêu chí “{c.code}”"
            if ref is None:
                errors.add(where, f"mức tham chiếu “{c.ref_level_code}” không có trong bộ tiêu chí.")
                continue
            pool = {
                (x.code, y.code) for x in levels if x.order <= ref.order for y in x.criteria if y.kind == THRESHOLD
            }
            distinct = {code for _level, code in pool}
            if c.ref_min_count > len(distinct):
                errors.add(
                    where,
                    f"cần {c.ref_min_count} tiêu chí nhưng mức “{ref.code}” trở lên chỉ có {len(distinct)} tiêu chí.",
                )


def _decimal_out(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def spec_to_dict(spec: RuleSetSpec) -> dict[str, Any]:
    """The readable JSON form (decimals as strings, so 0.05 stays 0.05); ``spec_from_dict`` reads it."""
    levels = []
    for lv in spec.ordered_levels():
        criteria = []
        for c in lv.criteria:
            item: dict[str, Any] = {"code": c.code, "label": c.label, "kind": c.kind}
            if c.kind == THRESHOLD:
                item.update(indicator=c.indicator, comparison=c.comparison, threshold=_decimal_out(c.threshold))
                if c.threshold_high is not None:
                    item["threshold_high"] = _decimal_out(c.threshold_high)
                if c.has_alt:
                    item.update(
                        alt_indicator=c.alt_indicator,
                        alt_comparison=c.alt_comparison,
                        alt_threshold=_decimal_out(c.alt_threshold),
                    )
                    if c.alt_threshold_high is not None:
                        item["alt_threshold_high"] = _decimal_out(c.alt_threshold_high)
            else:
                item.update(
                    ref_level_code=c.ref_level_code,
                    ref_min_count=c.ref_min_count,
                    requires_key_route=c.requires_key_route,
                )
            if c.unit_label:
                item["unit_label"] = c.unit_label
            if c.evidence:
                item["evidence"] = list(c.evidence)
            item.update(verification=c.verification, source=c.source)
            criteria.append(item)
        levels.append(
            {
                "code": lv.code,
                "label": lv.label,
                "order": lv.order,
                "combination": lv.combination,
                "min_count": lv.min_count,
                "is_key": lv.is_key,
                "criteria": criteria,
            }
        )
    return {
        "format": FORMAT,
        "code": spec.code,
        "title": spec.title,
        "legal_basis": spec.legal_basis,
        "effective_from": spec.effective_from.isoformat() if spec.effective_from else None,
        "effective_to": spec.effective_to.isoformat() if spec.effective_to else None,
        "status": spec.status,
        "version": spec.version,
        "bands_cascade": spec.bands_cascade,
        "notes": spec.notes,
        "levels": levels,
    }


def indicators_used(spec: RuleSetSpec) -> list[str]:
    """The indicators a rule set reads (for the CLI and the explanation page)."""
    used: list[str] = []
    for lv in spec.ordered_levels():
        for c in lv.criteria:
            for code in (c.indicator, c.alt_indicator, KEY_ROUTE_INDICATOR if c.requires_key_route else ""):
                if code and code not in used:
                    used.append(code)
    return used


PROVISIONAL_LABEL = "Kết quả tham khảo"


def lacks_commune_data_only(explanation: Mapping[str, Any]) -> bool:
    """An undetermined outcome (``Outcome.to_dict``) whose every missing datum is the commune's
    own (no evidence for the year, no population): a result to publish as "chưa đủ số liệu", not
    a gap the province must close before approving."""
    missing = explanation.get("missing") or []
    return bool(missing) and all(str(m.get("reason", "")).startswith(_COMMUNE_DATA_GAPS) for m in missing)


def provisional(explanation: Mapping[str, Any]) -> bool:
    """Whether an outcome (``Outcome.to_dict``, as stored) rests on criteria not verified against
    the official text, so it may only be shown as "kết quả tham khảo" (issue 10 §4).

    * a level reached: one of the criteria it was reached with is not verified;
    * "has problems": a key-level criterion that was not met is not verified (its true threshold
      could have made the commune a key commune), which is the case of every shipped Type III;
    * undetermined: no (it is already "chưa đủ số liệu").
    """
    code = explanation.get("level", "")
    if code == UNDETERMINED or not code:
        return False
    levels = explanation.get("levels") or []
    if code == HAS_PROBLEMS:
        return any(
            c.get("met") is False and c.get("verification") != "verified"
            for lv in levels
            if lv.get("is_key")
            for c in lv.get("criteria") or []
        )
    reached = next((lv for lv in levels if lv.get("code") == code), None)
    if reached is None:
        return False
    return any(c.get("met") is True and c.get("verification") != "verified" for c in reached.get("criteria") or [])


def evaluate_many(spec: RuleSetSpec, facts: Mapping[Any, Indicators]) -> dict[Any, Outcome]:
    return {key: evaluate(spec, indicators) for key, indicators in facts.items()}


def count_by_level(spec: RuleSetSpec, codes: Iterable[str]) -> dict[str, int]:
    """Communes per outcome, every outcome listed (zeros included) in severity order."""
    counts = dict.fromkeys([*severity_order(spec), UNDETERMINED], 0)
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return counts
