"""What an evaluation returns (``CriterionResult``, ``LevelResult``, ``Outcome``) and the questions asked
of a stored outcome (provisional, lacking only the commune's own data). Pure code, no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .spec import _COMMUNE_DATA_GAPS, HAS_PROBLEMS, UNDETERMINED, Tri, Value, _json_value

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
