"""Where a report's figures come from: ``apps.reporting`` (periods, indicators, the figures of a
unit — locked snapshots where the province approved a commune's submission, live otherwise) and,
when installed, the plan targets of ``apps.prevention``.

Everything is turned here into one plain JSON document, the *figures*: the narrative is prefilled
from it, the PDF and the .xlsx are rendered from it, and an issued report archives it next to its
file. Counts only — no personal data ever enters it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.classification import rules
from apps.classification.models import AssessmentResult
from apps.prevention.choices import TargetStatus
from apps.prevention.models import Target
from apps.prevention.targets import evaluate_target
from apps.reporting import charts as drawing
from apps.reporting import coverage, demographics, figures, maps
from apps.reporting import services as reporting
from apps.reporting.indicators import GROUPS, INDICATORS
from apps.reporting.periods import PeriodKind, period_get, period_previous
from apps.reporting.services import approved_submissions

SCHEMA = 1
logger = logging.getLogger(__name__)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- periods ------------------------------------------------------------------------------------


def period_kinds() -> list[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in PeriodKind]


def get_period(kind: str, year: int, number: int = 1):
    """The ``apps.reporting`` period (created on demand), with its data window, label and deadline."""
    return period_get(kind, year, number if kind in ("month", "quarter") else 1)


def previous_period(period):
    """The period compared with: the previous month or quarter; for the first 6 or 9 months and
    the year, the same period of the previous year."""
    return period_previous(period)


def period_dict(period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "kind": str(period.kind),
        "year": int(period.year),
        "number": int(period.number),
        "label": _lower_first(str(period.label)),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "deadline": period.deadline.isoformat() if getattr(period, "deadline", None) else "",
    }


def unit_dict(unit: AdministrativeUnit) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "full_name": unit.full_name, "level": unit.level}


# --- figures ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready: int stays int, Decimal becomes int or float, None (not computable) stays None."""
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return _plain(Decimal(str(value)))


def _values(values: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    return {code: _plain(values.get(code)) for code in codes}


def indicator_catalogue() -> tuple[list[dict], list[dict]]:
    indicators = [
        {"code": d.code, "label": d.label_vi, "group": d.group, "unit": d.unit, "places": d.places}
        for d in INDICATORS.values()
    ]
    used = {d["group"] for d in indicators}
    groups = [{"code": code, "label": label} for code, label in GROUPS.items() if code in used]
    return indicators, groups


def collect(*, user, unit: AdministrativeUnit, period, map_choice: str = "") -> dict[str, Any]:
    """The figures of ``unit`` (province or commune) for ``period``: one row per commune of the
    unit that the user may see, the total, the previous period's total, the breakdowns (sex, age,
    ethnicity, substance) and the plan targets. Raises 404/403 like ``apps.reporting``.

    A period before 2025 also carries ``map``: the map it is drawn on (``map_choice``: the map of
    its time by default, or "converted"), named with its verification status, and on the map of
    the time the people per unit of that map (``apps.reporting.maps``). A period of today's map
    has no ``map`` key, so its figures (and PDF) are those of before the choice existed."""
    indicators, groups = indicator_catalogue()
    codes = [i["code"] for i in indicators]
    table = reporting.figures_table(user=user, unit=unit, period=period)
    previous = previous_period(period)
    previous_table = reporting.figures_table(user=user, unit=unit, period=previous)
    breakdowns = _breakdowns(table, period)
    units = {
        pk: (code, name)
        for pk, code, name in AdministrativeUnit.objects.filter(pk__in=list(table.rows)).values_list(
            "pk", "code", "full_name"
        )
    }
    with_data = coverage.communes_with_data(
        {cid: row.values for cid, row in table.rows.items()}, table.locked_commune_ids
    )
    provisional = _provisional_communes(table.assessment, list(table.rows))
    rows = [
        {
            "id": cid,
            "code": units.get(cid, ("", ""))[0],
            "name": units.get(cid, ("", ""))[1],
            "values": _values(row.values, codes),
            # no data is not zero: neither figures nor a level for a commune without data
            "level": row.level_label if cid in with_data else coverage.NO_DATA_LABEL,
            "locked": row.locked,
            "has_data": cid in with_data,
            "provisional": cid in with_data and cid in provisional,
        }
        for cid, row in table.rows.items()
    ]
    result = {
        "schema": SCHEMA,
        "state": table.source,
        "locked_communes": len(table.locked_commune_ids),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "unit": unit_dict(unit),
        "period": period_dict(period),
        "previous": {**period_dict(previous), "total": _values(previous_table.total, codes)},
        "indicators": indicators,
        "groups": groups,
        "total": _values(table.total, codes),
        "missing": {code: str(reason) for code, reason in (table.missing or {}).items()},
        "coverage": {
            "with_data": len(with_data),
            "communes": len(rows),
            "text": coverage.coverage_text(len(with_data), len(rows)),
        },
        "assessment": _assessment(table.assessment),
        "rows": rows,
        "breakdowns": breakdowns,
        "targets": targets(commune_ids=list(table.rows), unit=unit, on=period.end),
    }
    period_map = maps.period_map(
        user=user, period=period, commune_ids=list(table.rows), choice=map_choice, whole_map=len(rows) > 1
    )
    if period_map is not None:
        result["map"] = period_map.as_dict()
    return result


def _provisional_communes(assessment: dict[str, Any] | None, commune_ids: list[int]) -> set[int]:
    """Communes whose level in the assessment shown rests on unverified criteria ("kết quả tham
    khảo", issue 10 §4). One query."""
    if not assessment or not assessment.get("id"):
        return set()
    rows = AssessmentResult.objects.filter(assessment_id=assessment["id"], commune_id__in=commune_ids).values_list(
        "commune_id", "explanation", "override_reason"
    )
    return {cid for cid, explanation, override in rows if not override and rules.provisional(explanation or {})}


def _assessment(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if not data:
        return None
    return {k: (v if isinstance(v, int | str | float) or v is None else str(v)) for k, v in data.items()}


def _breakdowns(table, period) -> list[dict[str, Any]]:
    """The people with an open file at the end of the period by sex, age band, ethnicity group and
    substance: locked snapshots where approved, live for the rest (as ``figures_for`` merges them)."""

    ids = list(table.rows)
    locked = set(table.locked_commune_ids)
    parts = [
        (s.snapshot or {}).get("breakdowns") or {}
        for s in approved_submissions(period_ids=[period.pk], commune_ids=locked)
    ]
    live = [i for i in ids if i not in locked]
    if live:
        parts.append(figures.breakdowns(commune_ids=live, end=period.end))
    merged = demographics.merge_breakdowns(parts, period.end)
    titles = [
        ("sex", "Theo giới tính"),
        ("age_band", "Theo độ tuổi"),
        ("ethnicity_group", "Theo dân tộc"),
        ("substance", "Theo loại ma túy sử dụng"),
    ]
    return [
        {
            "code": key,
            "title": title,
            "base": int(merged.get("total") or 0),
            "rows": [[str(i["label"]), int(i["count"])] for i in merged.get(key, [])],
        }
        for key, title in titles
        if merged.get(key)
    ]


def targets(*, commune_ids: list[int], unit: AdministrativeUnit, on: dt.date) -> list[dict[str, Any]]:
    """The active plan targets (``apps.prevention``) evaluated over the unit on the period's end."""
    if not commune_ids:
        return []
    try:
        result = []
        for target in Target.objects.filter(active=True).order_by("order", "pk"):
            row = evaluate_target(target, commune_ids=commune_ids, on=on, province_wide=unit.level == "province")
            result.append(
                {
                    "label": str(target.title),
                    "plan": str(target.plan),
                    "target": row.target_display,
                    "actual": row.current_display,
                    "status": str(row.evaluation.status),
                    "status_label": str(TargetStatus(row.evaluation.status).label),
                    "reason": str(row.evaluation.reason),
                    "coverage": row.measure.coverage_text if row.measure.partial else "",
                }
            )
        return result
    except Exception:  # a target that cannot be evaluated must not stop the report
        logger.exception("plan targets could not be evaluated")
        return []


# --- charts -------------------------------------------------------------------------------------

#: the bundled serif of the PDF (``@font-face`` in templates/reports/pdf/_base_pdf.html)
CHART_FONT = "Liberation Serif"
_FONT_ATTR = re.compile(r'font-family="[^"]*"')


def pin_font(svg: str) -> str:
    """Set every text of an SVG in the bundled serif, so a chart never brings a system font into
    the PDF (``apps.reporting.charts`` draws for the screen, in the system's sans-serif)."""
    return _FONT_ATTR.sub(f'font-family="{CHART_FONT}"', svg)


def charts(figures: dict[str, Any]) -> list[dict[str, str]]:
    """SVG charts of the figures, drawn by ``apps.reporting.charts``: the communes with the most
    people, where the people are, and their breakdowns by sex and age. Counts only."""
    result = []
    indicators = {i["code"]: i for i in figures["indicators"]}
    lead = figures["indicators"][0] if figures["indicators"] else None
    # only communes with a value: a "top 15" of 3 communes must not list 12 zeros
    top = [r for r in figures["rows"] if (r["values"].get(lead["code"]) or 0) > 0] if lead else []
    top = sorted(top, key=lambda r: -(r["values"].get(lead["code"]) or 0))[:15]
    if lead and len(figures["rows"]) > 1 and top:
        result.append(
            drawing.hbar_chart(
                title=f"{lead['label']}: {len(top)} xã, phường nhiều nhất",
                items=[(r["name"], r["values"].get(lead["code"]) or 0) for r in top],
                unit=lead["unit"],
                total=figures["total"].get(lead["code"]),
            )
        )
    where = [
        c for c in ("where_community", "where_rehab_facility", "where_prison", "where_unknown") if c in indicators
    ]
    if where and lead:
        result.append(
            drawing.hbar_chart(
                title=f"Nơi ở hiện nay của người có hồ sơ quản lý ({figures['period']['label']})",
                items=[(indicators[c]["label"], figures["total"].get(c) or 0) for c in where],
                unit="người",
                total=figures["total"].get(lead["code"]),
            )
        )
    for breakdown in (figures.get("breakdowns") or [])[:2]:
        result.append(
            drawing.hbar_chart(
                title=f"Người có hồ sơ quản lý {breakdown['title'].lower()}",
                items=[(label, n) for label, n in breakdown["rows"]],
                unit="người",
                total=breakdown.get("base"),
            )
        )
    return [{"title": str(chart.title), "svg": pin_font(str(chart.svg))} for chart in result]
