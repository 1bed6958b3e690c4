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

The package is split by concern: ``spec`` (vocabulary, specifications, indicators, value text),
``evaluate`` (comparisons and the decision), ``results`` (what an evaluation returns) and ``schema``
(JSON parsing and validation). Callers keep using ``rules.<name>``, re-exported here.
"""

from .evaluate import (
    compare,
    count_by_level,
    evaluate,
    evaluate_many,
    evaluate_threshold,
)
from .results import (
    PROVISIONAL_LABEL,
    CriterionResult,
    LevelResult,
    Outcome,
    lacks_commune_data_only,
    provisional,
)
from .schema import (
    RuleSetFormatError,
    spec_from_dict,
    spec_to_dict,
)
from .spec import (
    ALL,
    ANY,
    AT_LEAST,
    COMBINATIONS,
    COMPARISONS,
    COMPOSITE,
    CRITERION_COLUMNS,
    EVIDENCE,
    FORMAT,
    HAS_PROBLEMS,
    HAS_PROBLEMS_LABEL,
    INPUTS,
    KEY_ROUTE_INDICATOR,
    KINDS,
    LEVEL_COLUMNS,
    NO_EVIDENCE_REASON,
    NO_POPULATION_REASON,
    RANGE_COMPARISONS,
    RULE_SET_COLUMNS,
    STATUSES,
    THRESHOLD,
    UNDETERMINED,
    UNDETERMINED_LABEL,
    VERIFICATIONS,
    CriterionSpec,
    IndicatorInfo,
    Indicators,
    LevelSpec,
    Period,
    RuleSetSpec,
    Tri,
    Value,
    columns_of,
    criterion_threshold_text,
    format_number,
    format_value,
    indicators_used,
    period_for_year,
    severity_order,
    severity_rank,
    threshold_text,
)

__all__ = [
    "Value",
    "Tri",
    "FORMAT",
    "HAS_PROBLEMS",
    "UNDETERMINED",
    "HAS_PROBLEMS_LABEL",
    "UNDETERMINED_LABEL",
    "THRESHOLD",
    "COMPOSITE",
    "KINDS",
    "ANY",
    "AT_LEAST",
    "ALL",
    "COMBINATIONS",
    "COMPARISONS",
    "RANGE_COMPARISONS",
    "VERIFICATIONS",
    "EVIDENCE",
    "NO_EVIDENCE_REASON",
    "NO_POPULATION_REASON",
    "STATUSES",
    "IndicatorInfo",
    "INPUTS",
    "KEY_ROUTE_INDICATOR",
    "Period",
    "period_for_year",
    "CriterionSpec",
    "LevelSpec",
    "RuleSetSpec",
    "RULE_SET_COLUMNS",
    "LEVEL_COLUMNS",
    "CRITERION_COLUMNS",
    "columns_of",
    "severity_order",
    "severity_rank",
    "Indicators",
    "format_number",
    "format_value",
    "threshold_text",
    "criterion_threshold_text",
    "indicators_used",
    "CriterionResult",
    "LevelResult",
    "Outcome",
    "PROVISIONAL_LABEL",
    "lacks_commune_data_only",
    "provisional",
    "compare",
    "evaluate_threshold",
    "evaluate",
    "evaluate_many",
    "count_by_level",
    "RuleSetFormatError",
    "spec_from_dict",
    "spec_to_dict",
]
