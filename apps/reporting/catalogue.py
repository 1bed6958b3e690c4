"""The indicator catalogue of domain.md §5: what each figure of the dashboards and reports is
(code, Vietnamese label, group, unit, decimals, additivity, what a rise means), and the table of
one window's values. ``apps.reporting.indicators`` computes them from the records (and re-exports
these names); the definitions of what is counted are in its docstring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Value = int | Decimal | None


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    label_vi: str
    group: str
    unit: str
    #: decimal places: 0 → int; grams 3, m² 2, percent 1 → Decimal
    places: int = 0
    #: False when the total is not the sum of the communes (shared activities, ratios)
    additive: bool = True
    #: what a rise means (``DIRECTIONS``): the colour of a change on the dashboards follows it
    direction: str = "neutral"

    @property
    def is_decimal(self) -> bool:
        return self.places > 0

    def zero(self) -> Value:
        return Decimal(0).quantize(Decimal(1).scaleb(-self.places)) if self.places else 0

    def quantize(self, value: Any) -> Value:
        if value is None:
            return None
        if self.places:
            return Decimal(str(value)).quantize(Decimal(1).scaleb(-self.places))
        return int(value)


#: what a rise of an indicator means, for the colour of its changes (legend on the dashboards)
DIRECTIONS: dict[str, str] = {
    "up_good": "tăng là tốt",
    "up_bad": "tăng là xấu",
    # more arrests or seizures may mean more crime or more work: no colour claims either
    "neutral": "trung tính (không đánh giá tốt, xấu)",
}
UP_GOOD, UP_BAD = "up_good", "up_bad"

GROUPS: dict[str, str] = {
    "people": "Người sử dụng trái phép, người nghiện ma túy có hồ sơ quản lý",
    "rehab": "Cai nghiện, điều trị thay thế, quản lý sau cai nghiện",
    "hotspots": "Điểm, tụ điểm về ma túy",
    "crime": "Tội phạm về ma túy",
    "cultivation": "Cây có chứa chất ma túy",
    "prevention": "Tuyên truyền, phòng ngừa",
    "classification": "Phân loại địa bàn",
}

_DEFS = [
    # people (stocks at the end of the window, except people_new)
    IndicatorDef(
        "people_total", "Người sử dụng trái phép, người nghiện có hồ sơ quản lý", "people", "người", direction=UP_BAD
    ),
    IndicatorDef("people_users", "– người sử dụng trái phép chất ma túy", "people", "người", direction=UP_BAD),
    IndicatorDef("people_addicts", "– người nghiện ma túy", "people", "người", direction=UP_BAD),
    IndicatorDef("where_community", "Đang ở tại cộng đồng", "people", "người"),
    IndicatorDef("where_rehab_facility", "Đang ở cơ sở cai nghiện", "people", "người"),
    IndicatorDef(
        "where_prison", "Đang ở trại giam, trại tạm giam, trường giáo dưỡng, cơ sở giáo dục", "people", "người"
    ),
    IndicatorDef("where_unknown", "Không rõ nơi ở (bỏ trốn, đi khỏi địa phương)", "people", "người", direction=UP_BAD),
    IndicatorDef("people_new", "Phát hiện mới trong kỳ", "people", "người", direction=UP_BAD),
    IndicatorDef("people_verifying", "Đang xác minh (có dấu hiệu, dương tính chưa có quyết định)", "people", "người"),
    IndicatorDef(
        "people_expired",
        "Hết thời hạn, chưa có quyết định kết thúc (cần rà soát, không tính ở trên)",
        "people",
        "hồ sơ",
        direction=UP_BAD,
    ),
    # rehab
    IndicatorDef("rehab_voluntary", "Đang cai nghiện tự nguyện", "rehab", "người", direction=UP_GOOD),
    IndicatorDef("rehab_voluntary_community", "– tại gia đình, cộng đồng", "rehab", "người", direction=UP_GOOD),
    IndicatorDef("rehab_voluntary_facility", "– tại cơ sở cai nghiện", "rehab", "người", direction=UP_GOOD),
    IndicatorDef("rehab_compulsory", "Đang cai nghiện bắt buộc", "rehab", "người"),
    IndicatorDef("methadone", "Đang điều trị thay thế (methadone)", "rehab", "người", direction=UP_GOOD),
    IndicatorDef("post_rehab", "Đang quản lý sau cai nghiện", "rehab", "người"),
    IndicatorDef("relapses", "Tái sử dụng ma túy trong kỳ", "rehab", "lượt", direction=UP_BAD),
    # hotspots
    IndicatorDef("hotspots_active", "Điểm, tụ điểm tồn tại trong kỳ", "hotspots", "điểm", direction=UP_BAD),
    IndicatorDef("hotspots_new", "Điểm, tụ điểm mới phát sinh", "hotspots", "điểm", direction=UP_BAD),
    IndicatorDef("hotspots_eliminated", "Điểm, tụ điểm đã triệt xóa", "hotspots", "điểm", direction=UP_GOOD),
    # crime
    IndicatorDef("crime_cases", "Vụ phạm tội về ma túy phát hiện, bắt giữ", "crime", "vụ"),
    IndicatorDef("crime_offenders", "Đối tượng bị bắt giữ", "crime", "người"),
    IndicatorDef("seized_heroin_g", "Thu giữ heroin", "crime", "g", places=3),
    IndicatorDef("seized_synthetic_g", "Thu giữ ma túy tổng hợp", "crime", "g", places=3),
    IndicatorDef("seized_synthetic_tablets", "Thu giữ ma túy tổng hợp (viên)", "crime", "viên"),
    IndicatorDef("seized_cannabis_g", "Thu giữ cần sa", "crime", "g", places=3),
    IndicatorDef("seized_other_g", "Thu giữ ma túy khác", "crime", "g", places=3),
    # cultivation
    IndicatorDef("cultivation_finds", "Vụ phát hiện, triệt phá cây có chứa chất ma túy", "cultivation", "vụ"),
    IndicatorDef("plants_destroyed", "Cây có chứa chất ma túy bị triệt phá", "cultivation", "cây"),
    IndicatorDef("plant_area_m2", "Diện tích triệt phá", "cultivation", "m²", places=2),
    # prevention
    IndicatorDef("activities", "Hoạt động tuyên truyền", "prevention", "hoạt động", additive=False, direction=UP_GOOD),
    IndicatorDef(
        "activity_sessions", "Buổi, lần tuyên truyền", "prevention", "buổi", additive=False, direction=UP_GOOD
    ),
    IndicatorDef(
        "activity_participants", "Lượt người tham dự", "prevention", "lượt người", additive=False, direction=UP_GOOD
    ),
    IndicatorDef("highrisk_registered", "Người trong sổ nhóm nguy cơ cao (đang theo dõi)", "prevention", "người"),
    IndicatorDef(
        "highrisk_reached", "– đã được tiếp cận, tuyên truyền trong kỳ", "prevention", "người", direction=UP_GOOD
    ),
    IndicatorDef(
        "highrisk_coverage_pct",
        "Tỷ lệ nhóm nguy cơ cao được tiếp cận",
        "prevention",
        "%",
        places=1,
        additive=False,
        direction=UP_GOOD,
    ),
    # classification (1 for the commune's level: totals count communes)
    IndicatorDef("class_type_1", "Xã, phường loại I", "classification", "xã", direction=UP_BAD),
    IndicatorDef("class_type_2", "Xã, phường loại II", "classification", "xã", direction=UP_BAD),
    IndicatorDef("class_type_3", "Xã, phường loại III", "classification", "xã", direction=UP_BAD),
    IndicatorDef(
        "class_has_problems", "Có tệ nạn ma túy, không thuộc diện trọng điểm", "classification", "xã", direction=UP_BAD
    ),
    IndicatorDef("class_drug_free", "Xã, phường không ma túy", "classification", "xã", direction=UP_GOOD),
    IndicatorDef("class_undetermined", "Chưa đủ số liệu để phân loại", "classification", "xã", direction=UP_BAD),
    IndicatorDef("class_none", "Chưa có kết quả phân loại được phê duyệt", "classification", "xã", direction=UP_BAD),
]
INDICATORS: dict[str, IndicatorDef] = {d.code: d for d in _DEFS}

#: final level code of an assessment result → indicator; any other code counts as undetermined
LEVEL_INDICATORS = {
    "type_1": "class_type_1",
    "type_2": "class_type_2",
    "type_3": "class_type_3",
    "has_problems": "class_has_problems",
    "drug_free": "class_drug_free",
    "undetermined": "class_undetermined",
}
#: level code → colour on the tile grid (most severe darkest); anything else grey
LEVEL_ORDER = ["type_1", "type_2", "type_3", "has_problems", "drug_free", "undetermined", ""]

PREVENTION_CODES = [d.code for d in _DEFS if d.group == "prevention"]
CLASSIFICATION_CODES = [d.code for d in _DEFS if d.group == "classification"]

#: indicator groups whose counts come from a commune's own records of the period: a non-zero one
#: is evidence that the commune has data (``coverage``; ``figures`` asks the database the same)
RECORD_GROUPS = ("people", "rehab", "hotspots", "crime", "cultivation", "prevention")
RECORD_CODES = tuple(
    code for code, d in INDICATORS.items() if d.group in RECORD_GROUPS and d.unit != "%" and code != "highrisk_reached"
)


def has_records(values: Mapping[str, Any]) -> bool:
    return any(values.get(code) for code in RECORD_CODES)


@dataclass
class IndicatorTable:
    """Indicators of one window: per commune and in total (see the module docstring)."""

    start: dt.date
    end: dt.date
    commune_ids: list[int]
    by_commune: dict[int, dict[str, Value]]
    total: dict[str, Value]
    #: commune id → classification outcome code ("" = no approved result)
    levels: dict[int, str] = field(default_factory=dict)
    level_labels: dict[str, str] = field(default_factory=dict)
    #: the approved assessment the levels come from: {"id", "year", "rule_set"} or None
    assessment: dict[str, Any] | None = None
    #: indicator code → why it could not be computed
    missing: dict[str, str] = field(default_factory=dict)
    #: only ``total`` is complete; ``by_commune`` holds just the communes a caller asked for
    totals_only: bool = False

    def get(self, commune_id: int, code: str) -> Value:
        return self.by_commune.get(commune_id, {}).get(code)
