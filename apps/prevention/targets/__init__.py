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

One module per part: the ``registry`` of indicators, the ``indicators`` (importing this package
registers them all) and the ``status`` rule; callers keep using ``targets.<name>``, re-exported here.
"""

from .indicators import DRUG_FREE, HOTSPOT_KINDS, MAP_2025_YEAR, UNDETERMINED, area_groups, territory_ids
from .registry import REGISTRY, Indicator, Measure, Scope, fmt, indicator, indicator_choices, measure
from .status import Evaluation, TargetRow, evaluate, evaluate_target, period_for

__all__ = [
    "Scope",
    "Measure",
    "Indicator",
    "REGISTRY",
    "indicator",
    "indicator_choices",
    "measure",
    "fmt",
    "HOTSPOT_KINDS",
    "DRUG_FREE",
    "MAP_2025_YEAR",
    "UNDETERMINED",
    "area_groups",
    "territory_ids",
    "Evaluation",
    "evaluate",
    "TargetRow",
    "period_for",
    "evaluate_target",
]
