"""Rule-set vocabulary, specifications (``RuleSetSpec`` and its levels and criteria), the facts of one
commune (``Indicators``) and the Vietnamese text of values and thresholds. Pure code, no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from apps.core import formatting
from apps.core.choices import Verification

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

VERIFICATIONS = dict(Verification.choices)
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


#: The classification INPUTS: the facts of a commune a rule set's criteria compare with thresholds. Not
#: the dashboard/PDF figures (``reporting.indicators``) nor the plan-target metrics
#: (``prevention.targets``), although some measure the same thing.
INPUTS: dict[str, IndicatorInfo] = {
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
        info = INPUTS.get(indicator)
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


# --- the stored form -----------------------------------------------------------------------------


def _plain_fields(spec_class: type, *, besides: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(spec_class) if f.name not in besides)


#: The spec fields with the same name and meaning in the stored rows (``classification.models``)
#: and the file (``schema``), so that writing, reading and checking a rule set follow the spec's
#: own definition. Those ``besides`` are converted by hand: a rule set's code and levels, a level's
#: criteria, a criterion's ``ref_min_count`` (NULL in the row, 0 in the spec) and ``evidence`` (a
#: list in the row, a tuple in the spec).
RULE_SET_COLUMNS = _plain_fields(RuleSetSpec, besides=("code", "levels"))
LEVEL_COLUMNS = _plain_fields(LevelSpec, besides=("criteria",))
CRITERION_COLUMNS = _plain_fields(CriterionSpec, besides=("ref_min_count", "evidence"))


def columns_of(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The attributes ``names`` of a spec or a row, as keyword arguments for the other."""
    return {name: getattr(obj, name) for name in names}


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
            info = INPUTS.get(code)
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


def indicators_used(spec: RuleSetSpec) -> list[str]:
    """The indicators a rule set reads (for the CLI and the explanation page)."""
    used: list[str] = []
    for lv in spec.ordered_levels():
        for c in lv.criteria:
            for code in (c.indicator, c.alt_indicator, KEY_ROUTE_INDICATOR if c.requires_key_route else ""):
                if code and code not in used:
                    used.append(code)
    return used
