"""The status rule: a target's current value against its goal and its straight line from the
baseline (``evaluate``), and one target evaluated over a scope (``evaluate_target``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..choices import Comparison, Recurrence, TargetStatus
from .registry import REGISTRY, Indicator, Measure, Scope, fmt, measure

#: the badge of each status, on the targets page and beside the province dashboard alike
STATUS_BADGES = {
    TargetStatus.MET: "badge-ok",
    TargetStatus.ON_TRACK: "badge-info",
    TargetStatus.AT_RISK: "badge-danger",
    TargetStatus.MISSED: "badge-danger",
}


@dataclass(frozen=True)
class Evaluation:
    status: str
    reason: str
    expected: Decimal | None = None

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "badge-muted")

    @property
    def label(self) -> str:
        """The status in words; any other value reads as "no data", as the targets page had it."""
        return str(
            TargetStatus(self.status).label if self.status in TargetStatus.values else TargetStatus.NO_DATA.label
        )


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


def evaluate_target(
    target, *, commune_ids, on: dt.date, province_wide: bool, stamps: dict[int, str] | None = None
) -> TargetRow:
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
        stamps=stamps,
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
