"""The pure engine, driven by the shipped rule sets (fixtures/rulesets/*.json): no database.

Thresholds are never copied here: the boundary points are derived from the fixture values, and the
expected result of each point comes from a truth table of the comparison alone.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from apps.classification import rules

from .helpers import shipped_specs

D = Decimal
SPECS = shipped_specs()
QD28 = SPECS["QD-28-2025"]
QD3122 = SPECS["QD-3122-2010"]

# Expected result just below / at / just above a bound, per comparison (the legal wording:
# "từ … trở lên" = gte, "trên" = gt, "từ … đến dưới …" = [low, high), "trên … đến dưới …" = (low, high)).
TRUTH = {
    "gte": {"low": (False, True, True)},
    "gt": {"low": (False, False, True)},
    "lte": {"low": (True, True, False)},
    "lt": {"low": (True, False, False)},
    "eq": {"low": (False, True, False)},
    "between": {"low": (False, True, True), "high": (True, False, False)},
    "gt_lt": {"low": (False, False, True), "high": (True, False, False)},
}
POINTS = ("below", "at", "above")
#: every kind of evidence: the tests of thresholds are about values, not about missing evidence
EVERY_EVIDENCE = frozenset(rules.EVIDENCE)


def _facts(**kwargs) -> rules.Indicators:
    kwargs.setdefault("evidence", EVERY_EVIDENCE)
    return rules.Indicators(**kwargs)


def epsilon(indicator: str) -> Decimal:
    kind = rules.INPUTS[indicator].kind
    return {"count": D(1), "percent": D("0.001"), "area": D("0.01")}[kind]


def boundary_cases():
    """(id, spec, level, criterion, side, value, expected) for every bound of every threshold."""
    for spec in SPECS.values():
        for level in spec.ordered_levels():
            for c in level.criteria:
                if c.kind != rules.THRESHOLD:
                    continue
                sides = [("primary", c.indicator, c.comparison, c.threshold, c.threshold_high)]
                if c.has_alt:
                    sides.append(("alt", c.alt_indicator, c.alt_comparison, c.alt_threshold, c.alt_threshold_high))
                for side, indicator, comparison, low, high in sides:
                    for bound, expectations in TRUTH[comparison].items():
                        point = low if bound == "low" else high
                        eps = epsilon(indicator)
                        for name, delta, expected in zip(POINTS, (-eps, D(0), eps), expectations, strict=True):
                            value = point + delta
                            if value < 0:
                                continue  # counts, ratios and areas are never negative
                            yield pytest.param(
                                spec,
                                level,
                                c,
                                side,
                                value,
                                expected,
                                id=f"{spec.code}/{level.code}/{c.code}/{side}/{bound}/{name}",
                            )


def _failing_value_for_other_side(c: rules.CriterionSpec, side: str) -> tuple[str, Decimal]:
    """The other side of an OR-criterion set to 0, which fails every shipped comparison."""
    indicator, comparison, low = (
        (c.alt_indicator, c.alt_comparison, c.alt_threshold)
        if side == "primary"
        else (c.indicator, c.comparison, c.threshold)
    )
    assert low > 0 or comparison in ("gt", "gt_lt"), "0 must fail the other side of the OR"
    return indicator, D(0)


@pytest.mark.parametrize(("spec", "level", "criterion", "side", "value", "expected"), list(boundary_cases()))
def test_every_shipped_threshold_at_its_bounds(spec, level, criterion, side, value, expected):
    indicator = criterion.indicator if side == "primary" else criterion.alt_indicator
    values = {indicator: value}
    if criterion.has_alt:
        other, zero = _failing_value_for_other_side(criterion, side)
        values[other] = zero
    outcome = rules.evaluate(spec, _facts(values=values))
    result = next(r for r in outcome.level(level.code).criteria if r.code == criterion.code)
    assert result.literal_met is expected
    assert result.reason and not result.reason.startswith("Không xác định")
    unit = criterion.unit_for(indicator)
    assert rules.format_value(value, unit).split()[0] in result.reason


@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda s: s.code)
def test_boundary_cases_cover_every_threshold_criterion(spec):
    ids = {p.id for p in boundary_cases() if p.id.startswith(spec.code + "/")}
    for level in spec.levels:
        for c in level.criteria:
            if c.kind == rules.THRESHOLD:
                assert any(i.startswith(f"{spec.code}/{level.code}/{c.code}/primary/low/at") for i in ids)
                if c.has_alt:
                    assert any(i.startswith(f"{spec.code}/{level.code}/{c.code}/alt/low/at") for i in ids)


# --- combinations: exactly N-1 and N criteria met --------------------------------------------------


def _zero_indicators(spec: rules.RuleSetSpec) -> dict[str, rules.Value]:
    values: dict[str, rules.Value] = {code: D(0) for code in rules.indicators_used(spec)}
    values[rules.KEY_ROUTE_INDICATOR] = False
    return values


def _meeting_value(c: rules.CriterionSpec) -> Decimal:
    """A value meeting the criterion's primary comparison, from the truth table's "at"/"above"."""
    eps = epsilon(c.indicator)
    return c.threshold if TRUTH[c.comparison]["low"][1] else c.threshold + eps


def _failing_value(c: rules.CriterionSpec) -> Decimal:
    """Just above the bound: fails "= 0", the comparison of every shipped "all" level."""
    assert TRUTH[c.comparison]["low"][2] is False
    return c.threshold + epsilon(c.indicator)


def combination_cases():
    for spec in SPECS.values():
        for level in spec.ordered_levels():
            thresholds = [c for c in level.criteria if c.kind == rules.THRESHOLD]
            required = level.required
            for met in (required - 1, required):
                if met < 0 or met > len(thresholds):
                    continue
                yield pytest.param(spec, level, met, id=f"{spec.code}/{level.code}/{met}-of-{required}")


@pytest.mark.parametrize(("spec", "level", "met"), list(combination_cases()))
def test_level_is_reached_with_exactly_the_required_number_of_criteria(spec, level, met):
    values = _zero_indicators(spec)
    thresholds = [c for c in level.criteria if c.kind == rules.THRESHOLD]
    if level.combination == rules.ALL:
        # zero meets every "= 0" criterion; spoil the ones that must fail
        for c in thresholds[: len(thresholds) - met]:
            values[c.indicator] = _failing_value(c)
    else:
        for c in thresholds[:met]:
            values[c.indicator] = _meeting_value(c)
    outcome = rules.evaluate(spec, _facts(values=values))
    level_result = outcome.level(level.code)
    assert level_result.met_count == met
    if met == level.required:
        assert level_result.reached is True
        assert outcome.level_code == level.code
        assert outcome.is_key is level.is_key
        assert outcome.met_count == met
    else:
        assert level_result.reached is False
        assert outcome.level_code != level.code
        assert outcome.level_code != rules.UNDETERMINED


def test_any_level_of_3122_is_reached_by_a_single_criterion():
    values = _zero_indicators(QD3122)
    type_1 = QD3122.level("type_1")
    for c in type_1.criteria:
        single = {**values, c.indicator: c.threshold}
        assert rules.evaluate(QD3122, _facts(values=single)).level_code == "type_1"


# --- criterion đ (composite) ------------------------------------------------------------------------


def _type3_values(*codes: str) -> dict[str, rules.Value]:
    """Zero everywhere, and type III criteria ``codes`` met at their own band (not higher)."""
    values = _zero_indicators(QD28)
    type_3 = QD28.level("type_3")
    for c in type_3.criteria:
        if c.code in codes:
            values[c.indicator] = _meeting_value(c)
    return values


def _criterion(outcome: rules.Outcome, level: str, code: str) -> rules.CriterionResult:
    return next(c for c in outcome.level(level).criteria if c.code == code)


@pytest.mark.parametrize("level", ["type_1", "type_2"])
@pytest.mark.parametrize(
    ("lower", "on_route", "expected"),
    [
        (("a", "c"), True, True),
        (("a", "c"), False, False),
        (("a",), True, False),
        (("a",), False, False),
    ],
    ids=["two-lower+route", "two-lower-no-route", "one-lower+route", "one-lower-no-route"],
)
def test_criterion_dd_counts_lower_criteria_and_the_key_route(level, lower, on_route, expected):
    composite = next(c for c in QD28.level(level).criteria if c.kind == rules.COMPOSITE)
    assert composite.ref_min_count == len(("a", "c"))  # the cases above straddle the fixture's N
    values = {**_type3_values(*lower), rules.KEY_ROUTE_INDICATOR: on_route}
    outcome = rules.evaluate(QD28, _facts(values=values))
    dd = _criterion(outcome, level, composite.code)
    assert dd.met is expected
    assert outcome.level_code == "type_3"  # đ alone never makes type I or II
    if expected:
        assert "nằm trên tuyến trọng điểm" in dd.reason


def test_criterion_dd_tips_a_commune_into_type_1():
    type_1 = QD28.level("type_1")
    a, b = (c for c in type_1.criteria if c.code in ("a", "b"))
    base = {**_zero_indicators(QD28), a.indicator: a.threshold, b.indicator: b.threshold}
    with_route = rules.evaluate(QD28, _facts(values={**base, rules.KEY_ROUTE_INDICATOR: True}))
    without = rules.evaluate(QD28, _facts(values={**base, rules.KEY_ROUTE_INDICATOR: False}))
    assert with_route.level_code == "type_1"
    assert set(with_route.met_codes) == {"a", "b", "đ"}
    assert without.level_code != "type_1"
    assert without.level("type_1").met_count == type_1.required - 1


def test_criterion_dd_is_undetermined_without_the_route_list_or_a_lower_criterion():
    values = _type3_values("a", "c")
    missing_route = rules.Indicators(
        values={k: v for k, v in values.items() if k != rules.KEY_ROUTE_INDICATOR},
        missing={rules.KEY_ROUTE_INDICATOR: "chưa nhập danh sách tuyến trọng điểm năm 2025"},
    )
    dd = _criterion(rules.evaluate(QD28, missing_route), "type_1", "đ")
    assert dd.met is None
    assert "chưa nhập danh sách tuyến trọng điểm năm 2025" in dd.reason

    type_3 = QD28.level("type_3")
    c = next(x for x in type_3.criteria if x.code == "c")
    one_unknown = rules.Indicators(
        values={**{k: v for k, v in values.items() if k != c.indicator}, rules.KEY_ROUTE_INDICATOR: True},
        missing={c.indicator: "chưa có dân số năm 2025"},
    )
    dd = _criterion(rules.evaluate(QD28, one_unknown), "type_1", "đ")
    assert dd.met is None


# --- undetermined, never a silent default -------------------------------------------------------------


def test_missing_population_makes_the_outcome_undetermined_with_the_reason():
    type_1 = QD28.level("type_1")
    b, d = (c for c in type_1.criteria if c.code in ("b", "d"))
    reason = "chưa có dân số năm 2025"
    ratio_indicators = [code for code, info in rules.INPUTS.items() if info.kind == "percent"]
    values = {k: v for k, v in _zero_indicators(QD28).items() if k not in ratio_indicators}
    values.update({b.indicator: b.threshold, d.indicator: d.threshold})
    outcome = rules.evaluate(QD28, _facts(values=values, missing=dict.fromkeys(ratio_indicators, reason)))
    assert outcome.level_code == rules.UNDETERMINED
    assert outcome.is_key is False
    assert reason in outcome.reason
    assert outcome.candidates[0] == "type_1"
    a = _criterion(outcome, "type_1", "a")
    assert a.met is None
    assert a.reason == f"Không xác định: {reason}"


def test_missing_data_that_cannot_change_the_outcome_does_not_block_it():
    # type I reached on b, c, d whatever the unknown ratio a
    type_1 = QD28.level("type_1")
    values = _zero_indicators(QD28)
    for c in type_1.criteria:
        if c.code in ("b", "c", "d"):
            values[c.indicator] = c.threshold
    del values["addicts_users_ratio"]
    outcome = rules.evaluate(QD28, _facts(values=values))
    assert outcome.level_code == "type_1"


@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda s: s.code)
def test_no_data_at_all_is_undetermined_not_a_crash(spec):
    outcome = rules.evaluate(spec, rules.Indicators())
    assert outcome.level_code == rules.UNDETERMINED
    assert "chưa có số liệu" in outcome.reason
    assert all(c.met is None for c in outcome.criteria if c.kind == rules.THRESHOLD)


def test_all_zero_is_drug_free_and_a_user_only_commune_has_problems():
    zero = _zero_indicators(QD3122)
    assert rules.evaluate(QD3122, _facts(values=zero)).level_code == "drug_free"
    users_only = {**zero, "addicts_users_with_records": D(3)}  # users but no addict, no hotspot
    outcome = rules.evaluate(QD3122, _facts(values=users_only))
    assert outcome.level_code == rules.HAS_PROBLEMS
    assert outcome.label == rules.HAS_PROBLEMS_LABEL
    assert "3 người ≠ 0 người" in outcome.reason


# --- band cascade -------------------------------------------------------------------------------------


def test_a_band_met_at_a_more_severe_level_counts_at_lighter_levels():
    type_1, type_2 = QD28.level("type_1"), QD28.level("type_2")
    a1 = next(c for c in type_1.criteria if c.code == "a")
    values = _zero_indicators(QD28)
    # a above the type II band, b and c inside their type II bands
    values[a1.indicator] = a1.threshold + 1
    for c in type_2.criteria:
        if c.code in ("b", "c"):
            values[c.indicator] = _meeting_value(c)
    outcome = rules.evaluate(QD28, _facts(values=values))
    a2 = _criterion(outcome, "type_2", "a")
    assert a2.literal_met is False and a2.met is True
    assert a2.cascaded_from == "type_1"
    assert a2.reason.startswith("Đạt ở mức Loại I")
    assert outcome.level_code == "type_2"

    literal = dataclasses.replace(QD28, bands_cascade=False)
    assert rules.evaluate(literal, _facts(values=values)).level_code != "type_2"


def test_cascade_does_not_reach_the_non_key_level():
    values = {**_zero_indicators(QD28), "addicts_users_with_records": D(5)}
    outcome = rules.evaluate(QD28, _facts(values=values))
    assert _criterion(outcome, "drug_free", "a").met is False


# --- reasons and numbers --------------------------------------------------------------------------------


def test_reasons_are_written_the_vietnamese_way():
    values = {"addicts_users_ratio": D("0.62"), "plants_destroyed": D(3200), "plant_area_m2": D(0)}
    outcome = rules.evaluate(
        QD28, _facts(values=values, details={"addicts_users_ratio": "31 người / 5.000 dân năm 2025"})
    )
    assert _criterion(outcome, "type_1", "a").reason == "0,62% ≥ 0,5% (31 người / 5.000 dân năm 2025)"
    assert _criterion(outcome, "type_1", "d").reason == "3.200 cây ≥ 3.000 cây; 0 m² < 750 m²"
    assert _criterion(outcome, "type_1", "d").threshold_text == "≥ 3.000 cây hoặc ≥ 750 m²"
    assert _criterion(outcome, "type_2", "a").threshold_text == "từ 0,3% đến dưới 0,5%"
    assert _criterion(outcome, "type_3", "a").threshold_text == "trên 0% đến dưới 0,3%"


def test_a_value_just_below_a_threshold_is_never_printed_equal_to_it():
    outcome = rules.evaluate(QD28, _facts(values={"addicts_users_ratio": D("0.49999")}))
    assert _criterion(outcome, "type_1", "a").reason == "0,49999% < 0,5%"


@pytest.mark.parametrize(
    ("value", "text"),
    [(D(3000), "3.000"), (D("0.5"), "0,5"), (D("1234567.25"), "1.234.567,25"), (D("0.0500"), "0,05"), (0, "0")],
)
def test_format_number(value, text):
    assert rules.format_number(value) == text


def test_outcome_serialises_every_criterion_of_every_level():
    outcome = rules.evaluate(QD28, _facts(values=_zero_indicators(QD28)))
    data = outcome.to_dict()
    assert data["level"] == "drug_free"
    assert [lv["code"] for lv in data["levels"]] == [lv.code for lv in QD28.ordered_levels()]
    assert sum(len(lv["criteria"]) for lv in data["levels"]) == sum(len(lv.criteria) for lv in QD28.levels)
    first = data["levels"][0]["criteria"][0]
    assert set(first) >= {"value", "value_text", "threshold_text", "met", "reason", "verification"}


def test_severity_order_and_rank():
    assert rules.severity_order(QD28) == ["type_1", "type_2", "type_3", rules.HAS_PROBLEMS, "drug_free"]
    assert rules.severity_rank(QD28, "type_1") < rules.severity_rank(QD3122, "type_2")
    assert rules.severity_rank(QD28, rules.UNDETERMINED) is None


def test_indicators_round_trip_through_json():
    indicators = rules.Indicators(
        values={"addicts_users_ratio": D("0.5"), "on_key_route": True, "plants_destroyed": None},
        missing={"offenders_ratio": "chưa có dân số năm 2025"},
        details={"addicts_users_ratio": "3 người / 600 dân"},
    )
    again = rules.Indicators.from_dict(indicators.to_dict())
    assert again.lookup("addicts_users_ratio") == (D("0.5"), "")
    assert again.lookup("on_key_route") == (True, "")
    assert again.lookup("offenders_ratio") == (None, "chưa có dân số năm 2025")
    assert again.lookup("plants_destroyed")[0] is None
    assert "chưa có số liệu" in again.lookup("plants_destroyed")[1]


# --- legal marks of the shipped rule sets -------------------------------------------------------------


def _marks(spec):
    return {(lv.code, c.code): c.verification for lv in spec.levels for c in lv.criteria}


def test_only_the_thresholds_read_in_a_source_are_marked_verified():
    marks = _marks(QD3122)
    assert marks[("type_1", "a")] == marks[("type_1", "b")] == "verified"
    assert marks[("type_1", "c")] == "partly"  # the m² unit is cut off in the source
    assert {v for (lv, _c), v in marks.items() if lv != "type_1"} == {"unverified"}
    marks = _marks(QD28)
    assert {v for (lv, _c), v in marks.items() if lv == "type_1"} == {"verified"}
    assert marks[("type_2", "a")] == "unverified"
    assert marks[("type_2", "đ")] == "verified"
    assert {marks[("type_2", c)] for c in "bcd"} == {"partly"}
    assert {v for (lv, _c), v in marks.items() if lv in ("type_3", "drug_free")} == {"unverified"}


def test_shipped_periods_follow_the_assumed_start_of_qd_28():
    assert QD28.effective_from.isoformat() == "2025-10-01"
    assert (QD28.effective_from - QD3122.effective_to).days == 1
    assert "CHƯA KIỂM CHỨNG" in QD28.notes and "CHƯA KIỂM CHỨNG" in QD3122.notes


# --- parsing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda s: s.code)
def test_shipped_rule_sets_round_trip(spec):
    assert rules.spec_from_dict(rules.spec_to_dict(spec)) == spec


def test_an_invalid_rule_set_lists_every_problem_in_vietnamese():
    data = rules.spec_to_dict(QD28)
    data["levels"][0]["criteria"][0]["thresold"] = "1"
    data["levels"][0]["criteria"][1]["comparison"] = "greater"
    data["levels"][1]["criteria"][0].pop("threshold_high")
    data["levels"][0]["criteria"][4]["ref_level_code"] = "type_9"
    data["levels"][2]["min_count"] = 9
    data["levels"][2]["combination"] = "at_least"
    data["levels"][3]["criteria"][1]["code"] = "a"
    with pytest.raises(rules.RuleSetFormatError) as exc:
        rules.spec_from_dict(data)
    text = "\n".join(exc.value.errors)
    assert "trường lạ “thresold”" in text
    assert "phép so sánh “greater” không hợp lệ" in text
    assert "cần ngưỡng trên “threshold_high”" in text
    assert "mức tham chiếu “type_9”" in text
    assert "“min_count” = 9" in text
    assert "mã tiêu chí “a” bị trùng" in text
    assert len(exc.value.errors) >= 6


def test_a_rule_set_needs_levels_and_dates():
    with pytest.raises(rules.RuleSetFormatError) as exc:
        rules.spec_from_dict({"code": "X", "title": "X", "levels": []})
    assert any("effective_from" in e for e in exc.value.errors)
    assert any("levels" in e for e in exc.value.errors)
    with pytest.raises(rules.RuleSetFormatError):
        rules.spec_from_dict(["not", "an", "object"])
