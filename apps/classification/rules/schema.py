"""Parsing and validating a rule set (JSON ↔ ``RuleSetSpec``), every problem reported in Vietnamese.
Pure code, no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .spec import (
    AT_LEAST,
    COMBINATIONS,
    COMPARISONS,
    COMPOSITE,
    CRITERION_COLUMNS,
    EVIDENCE,
    FORMAT,
    HAS_PROBLEMS,
    INPUTS,
    LEVEL_COLUMNS,
    RANGE_COMPARISONS,
    RULE_SET_COLUMNS,
    STATUSES,
    THRESHOLD,
    UNDETERMINED,
    VERIFICATIONS,
    CriterionSpec,
    LevelSpec,
    RuleSetSpec,
)

# --- parsing and validating a rule set (JSON ↔ spec) -----------------------------------------------


class RuleSetFormatError(ValueError):
    """A rule set file or dict is invalid; ``errors`` lists every problem in Vietnamese."""

    def __init__(self, errors: Sequence[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


# The file's keys: the spec's plain fields, plus what is nested or converted.
_TOP_KEYS = {"format", "code", *RULE_SET_COLUMNS, "levels"}
_LEVEL_KEYS = {*LEVEL_COLUMNS, "criteria"}
_CRITERION_KEYS = {*CRITERION_COLUMNS, "ref_min_count", "evidence"}


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
    if indicator and indicator not in INPUTS:
        errors.add(where, f"chỉ số “{indicator}” không có trong danh mục ({', '.join(INPUTS)}).")
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
