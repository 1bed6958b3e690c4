"""The indicators themselves, each registered with ``@indicator``: high-risk coverage, model points
per former district, drug-free communes and communes with problems (classification), hotspots
(registers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Q

from apps.areas.models import UnitSuccession
from apps.areas.selectors import map_label
from apps.classification.selectors import map_communes
from apps.core.collation import vi_sorted
from apps.core.lookups import Ids
from apps.core.prepared import prepared, single_row
from apps.reporting.coverage import communes_with_data_between

from ..coverage import coverage_counts
from ..models import ModelPoint
from .registry import Measure, Scope, _pct, fmt, indicator

#: kinds of ``registers.Hotspot`` counted as "điểm, tụ điểm" (harbouring places are a separate criterion)
HOTSPOT_KINDS = ("point", "hotspot")
DRUG_FREE = "drug_free"
#: the first year assessed on today's communes (two-tier map from 01/7/2025)
MAP_2025_YEAR = 2025
UNDETERMINED = "undetermined"


@indicator("high_risk_coverage", label="Tỷ lệ người nhóm nguy cơ cao được tiếp cận (%)")
def _high_risk_coverage(scope: Scope) -> Measure:
    total, reached = coverage_counts(commune_ids=scope.commune_ids, start=scope.start, end=scope.end)
    if not total:
        return Measure(None, note="chưa có dữ liệu: sổ nhóm nguy cơ cao chưa có ai")
    return Measure(_pct(reached, total), detail=f"{reached}/{total} người đã được tiếp cận")


@prepared
def _former_parents(*, ids: Ids):
    return UnitSuccession.objects.filter(new_id__in_ids=ids, old__level="commune").values_list(
        "new_id", "old__parent_id", "old__parent__full_name", "old__parent__parent__code", "old__parent__level"
    )


def area_groups(commune_ids: tuple[int, ...] | list[int], *, former_province_code: str = "") -> dict[int, dict]:
    """Today's communes grouped by the district they belonged to before 01/7/2025.

    There is no district level since 01/7/2025, so "one model point per district" becomes "one
    per group of communes that made up a former district". A current commune belongs to the
    district of each of its pre-2025 predecessor communes (official conversion table); a commune
    formed from communes of two districts counts for both. ``former_province_code`` keeps only
    the districts of one former province (Plan 63: Tuyên Quang, code 8; Hà Giang's former
    districts joined the province later). One query.
    """
    rows = _former_parents(ids=Ids(list(commune_ids)))
    groups: dict[int, dict] = {}
    for commune_id, district_id, district_name, province_code, level in rows:
        if district_id is None or level != "district":
            continue
        if former_province_code and province_code != former_province_code:
            continue
        group = groups.setdefault(district_id, {"name": district_name, "communes": set()})
        group["communes"].add(commune_id)
    return groups


@prepared
def _communes_with_points(*, ids: Ids, start: dt.date, end: dt.date):
    return (
        ModelPoint.objects.filter(commune_id__in_ids=ids, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list("commune_id", flat=True)
    )


@indicator("model_points_per_area_group", label="Tỷ lệ nhóm địa bàn (huyện cũ) có mô hình điểm (%)")
def _model_points_per_area_group(scope: Scope) -> Measure:
    groups = area_groups(scope.commune_ids, former_province_code=str(scope.params.get("former_province_code", "")))
    if not groups:
        return Measure(None, note="chưa có dữ liệu: không xác định được huyện cũ của các xã, phường trong phạm vi")
    with_point = set(_communes_with_points(ids=Ids(list(scope.commune_ids)), start=scope.start, end=scope.end))
    covered = [g for g in groups.values() if g["communes"] & with_point]
    gaps = vi_sorted(g["name"] for g in groups.values() if not g["communes"] & with_point)
    return Measure(
        _pct(len(covered), len(groups)),
        detail=f"{len(covered)}/{len(groups)} nhóm địa bàn có mô hình điểm",
        gaps=gaps,
    )


def territory_ids(scope: Scope) -> list[int]:
    """The communes of the scope inside the target's territory: with ``former_province_code``, the
    current communes formed from communes of that former province (Plan 63: Tuyên Quang, code 8,
    without Hà Giang); otherwise the whole scope."""
    code = str(scope.params.get("former_province_code", ""))
    if not code:
        return list(scope.commune_ids)
    groups = area_groups(scope.commune_ids, former_province_code=code)
    inside = set().union(*(g["communes"] for g in groups.values())) if groups else set()
    return [cid for cid in scope.commune_ids if cid in inside]


@dataclass
class _Classified:
    assessment: Any
    #: final level of each commune of the territory with a DETERMINED result
    levels: list[str]
    #: communes of the territory (with or without data)
    communes: int

    @property
    def missing(self) -> int:
        return self.communes - len(self.levels)

    def measure(self, value: Callable[[], Decimal], *, detail: str, bounds: tuple) -> Measure:
        """A figure over the classified communes, with their coverage: ``value()`` is asked only
        when some commune of the territory has a determined result; without one, a note says so."""
        measure = Measure(
            value() if self.levels else None,
            detail=detail,
            covered=len(self.levels),
            communes=self.communes,
            bounds=bounds,
        )
        if not self.levels:
            measure.note = f"chưa đủ số liệu: chưa có xã nào có số liệu ({measure.coverage_text})"
        return measure


def _approved_assessments():
    Assessment = django_apps.get_model("classification", "Assessment")
    return Assessment.objects.filter(status="approved").order_by("-year", "-approved_at", "-pk")


@prepared
def _approved_of_year(*, year: int):
    return _approved_assessments().filter(year=year)[:1]


@prepared
def _approved_up_to(*, year: int):
    return _approved_assessments().filter(year__lte=year)[:1]


@prepared
def _final_levels(*, assessment_id: int, ids: Ids):
    Result = django_apps.get_model("classification", "AssessmentResult")
    return Result.objects.filter(assessment_id=assessment_id, commune_id__in_ids=ids).values_list(
        "final_level", flat=True
    )


def _approved_results(scope: Scope) -> _Classified | Measure:
    """The approved classification of the target's year (before that year: the latest one up to
    the period's end, to follow progress) and the final levels of the communes of its territory
    that have data (undetermined results and communes without a result have none)."""
    if scope.year is not None and scope.year <= scope.end.year:
        # the year the target is about has come: its own assessment, no other year's
        assessment = next(iter(_approved_of_year(year=scope.year)), None)
        if assessment is None:
            return Measure(None, note=f"chưa có dữ liệu: chưa có kết quả phân loại năm {scope.year} được phê duyệt")
    else:
        assessment = next(iter(_approved_up_to(year=scope.end.year)), None)
        if assessment is None:
            return Measure(None, note="chưa có dữ liệu: chưa có kết quả phân loại địa bàn được phê duyệt")
    if assessment.map_generation_id:
        # Classified on the map of its time (issue 10 §3-4): the communes of that map inside the
        # target's territory (the former province of the plan), not today's merged ones.
        code = str(scope.params.get("former_province_code", ""))
        ids = list(map_communes(assessment.map_generation_id, [code] if code else []).values_list("pk", flat=True))
    else:
        ids = territory_ids(scope)
    if not ids:
        return Measure(None, note="chưa có dữ liệu: không có xã, phường nào của địa bàn chỉ tiêu trong phạm vi")
    levels = [level for level in _final_levels(assessment_id=assessment.pk, ids=Ids(ids)) if level != UNDETERMINED]
    return _Classified(assessment, levels, len(ids))


def _key_count(assessment, levels: list[str]) -> int | None:
    try:
        spec = assessment.spec
        return sum(1 for level in levels if spec.is_key(level))
    except Exception:  # noqa: BLE001 - an unreadable snapshot only hides this detail
        return None


@indicator(
    "drug_free_commune_share",
    label="Tỷ lệ xã, phường không ma túy (phân loại được phê duyệt gần nhất, %)",
    source_app="apps.classification",
)
def _drug_free_commune_share(scope: Scope) -> Measure:
    found = _approved_results(scope)
    if isinstance(found, Measure):
        return found
    levels, total = found.levels, found.communes
    free = sum(1 for level in levels if level == DRUG_FREE)
    key = _key_count(found.assessment, levels)
    detail = f"{free}/{len(levels)} xã, phường không ma túy (phân loại năm {found.assessment.year})"
    if key is not None:
        detail += f"; {key} xã, phường trọng điểm"
    return found.measure(
        lambda: _pct(free, len(levels)),
        detail=detail,
        bounds=(_pct(free, total), _pct(free + found.missing, total)),
    )


@indicator(
    "communes_with_problems_reduction",
    label="Mức giảm số xã, phường có tệ nạn ma túy so với số liệu nền (%)",
    source_app="apps.classification",
)
def _communes_with_problems_reduction(scope: Scope) -> Measure:
    if scope.baseline is None or scope.baseline <= 0:
        return Measure(None, note="chưa có dữ liệu: cần bổ sung số liệu nền")
    if not scope.province_wide:
        return Measure(None, note="chỉ tính cho toàn tỉnh: số liệu nền là số xã, phường của cả tỉnh")
    found = _approved_results(scope)
    if isinstance(found, Measure):
        return found
    baseline = scope.baseline
    with_problems = sum(1 for level in found.levels if level != DRUG_FREE)

    def reduction(count: int) -> Decimal:
        return ((baseline - count) * 100 / baseline).quantize(Decimal("0.1"), ROUND_HALF_UP)

    measure = found.measure(
        lambda: reduction(with_problems),
        detail=f"{with_problems} xã, phường có tệ nạn ma túy (phân loại năm {found.assessment.year}), "
        f"số liệu nền {fmt(baseline)}",
        # every commune without data may have drug problems, or none of them
        bounds=(reduction(with_problems + found.missing), reduction(with_problems)),
    )
    if found.assessment.map_generation_id:
        measure.detail += "; " + map_label(found.assessment.map_generation, found.communes).lower()
    elif found.assessment.year < MAP_2025_YEAR:
        # classified on today's communes by choice: say so rather than present them as that map
        measure.detail += "; quy đổi sang các xã, phường hiện nay của địa bàn"
    return measure


def _hotspots(*, ids: Ids, kinds: tuple[str, ...]):
    Hotspot = django_apps.get_model("registers", "Hotspot")
    return Hotspot.objects.filter(commune_id__in_ids=ids, kind__in=kinds)


def _hotspot_args(scope: Scope) -> dict:
    return {
        "ids": Ids(list(scope.commune_ids)),
        "kinds": tuple(str(k) for k in scope.params.get("kinds") or HOTSPOT_KINDS),
        "start": scope.start,
        "end": scope.end,
    }


@prepared
def _new_hotspots(*, ids: Ids, kinds: tuple[str, ...], start: dt.date, end: dt.date):
    return single_row(_hotspots(ids=ids, kinds=kinds).filter(discovered_on__range=(start, end)), n=Count("pk"))


@prepared
def _hotspots_in_period(*, ids: Ids, kinds: tuple[str, ...], start: dt.date, end: dt.date):
    # every point that existed at some time in the period (still open at its start, or found in it)
    existing = (
        _hotspots(ids=ids, kinds=kinds)
        .filter(discovered_on__lte=end)
        .filter(Q(eliminated_on__isnull=True) | Q(eliminated_on__gte=start))
    )
    return single_row(existing, total=Count("pk"), eliminated=Count("pk", filter=Q(eliminated_on__range=(start, end))))


def _communes_with_data(scope: Scope) -> set[int] | None:
    """Communes of the scope with data for the period (``apps.reporting.coverage``)."""
    return communes_with_data_between(list(scope.commune_ids), scope.start, scope.end, current=scope.stamps)


@indicator("hotspots_new", label="Số điểm, tụ điểm mới phát hiện trong kỳ", unit="điểm", source_app="apps.registers")
def _hotspots_new(scope: Scope) -> Measure:
    count = _new_hotspots(**_hotspot_args(scope))[0]["n"]
    measure = Measure(Decimal(count), detail=f"{count} điểm, tụ điểm mới phát hiện từ {scope.start:%d/%m/%Y}")
    with_data = _communes_with_data(scope)
    if with_data is not None:
        measure.covered, measure.communes = len(with_data), len(scope.commune_ids)
        # a commune without data may have had new hotspots nobody recorded: no upper bound
        measure.bounds = (Decimal(count), None)
    return measure


@indicator(
    "hotspots_eliminated_share",
    label="Tỷ lệ điểm, tụ điểm được triệt xóa trong kỳ (%)",
    source_app="apps.registers",
)
def _hotspots_eliminated_share(scope: Scope) -> Measure:
    row = _hotspots_in_period(**_hotspot_args(scope))[0]
    if not row["total"]:
        return Measure(None, note="chưa có dữ liệu: không có điểm, tụ điểm nào trong kỳ")
    return Measure(
        _pct(row["eliminated"], row["total"]),
        detail=f"{row['eliminated']}/{row['total']} điểm, tụ điểm đã triệt xóa",
    )
