"""The map a past period is shown on (issue 10 §4): the dashboards and the periodic reports of a
period before the two-tier map (01/7/2025) show it by default on the map of its time (the units of
1 January of its year: ``areas.selectors.map_for_year``), or, by the reader's choice, converted to
today's communes. Whatever the choice, the output names its map and that map's verification status
([P] for 2019, rebuilt from the 2020 list).

Who is counted comes from the one module, ``apps.cases.stocks``: on the map of the time,
``counts_in_window_on_map`` puts each file in the unit it was recorded under (followed along the
official conversion by ``areas.selectors.map_projection``) and the files whose old unit cannot be
told in an explicit row, never in a commune. The other indicators (registers, prevention) carry
today's communes only; they stay converted, and the page says so.

The statistical maps are province-level data (``scoping``): a reader who cannot see them gets the
converted figures with a note saying why. Counts only, no personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.areas.choices import Level, MapVerification
from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import map_for_year, map_label, map_projection
from apps.cases import stocks
from apps.classification.choices import AssessmentStatus
from apps.classification.models import Assessment
from apps.core import scoping

TIME, CONVERTED = "time", "converted"
CHOICES = [
    (TIME, gettext_lazy("Theo bản đồ hành chính thời điểm đó")),
    (CONVERTED, gettext_lazy("Quy đổi sang đơn vị hiện nay")),
]
#: the short mark of a map's verification status, as the research notes write it
VERIFICATION_TAGS = {
    MapVerification.VERIFIED: "[V]",
    MapVerification.PARTLY: "[P]",
    MapVerification.UNVERIFIED: "[U]",
}


def parse_choice(raw: Any) -> str:
    """``?map=`` of a request: anything but "converted" is the default, the map of the time."""
    return CONVERTED if raw == CONVERTED else TIME


@dataclass
class MapRow:
    unit_id: int | None  # None: "không xác định được đơn vị cũ"
    code: str
    name: str
    district: str
    people: int
    addicts: int
    level: str = ""
    level_label: str = ""


@dataclass
class PeriodMap:
    """The map the figures of a past period are shown on, and the people per unit of that map."""

    year: int
    choice: str
    #: the statistical map used (a generation code), or None: today's communes
    generation: str | None
    label: str
    verification_label: str
    #: the day the people are counted on (the period's last day, as the dashboard's stock)
    day: dt.date
    rows: list[MapRow] = field(default_factory=list)
    unknown: MapRow | None = None
    #: why the map of the time could not be used for this reader
    note: str = ""
    #: the approved assessment of the year on this map whose levels the rows carry
    assessment: dict[str, Any] | None = None

    @property
    def people(self) -> int:
        return sum(r.people for r in self.rows) + (self.unknown.people if self.unknown else 0)

    @property
    def addicts(self) -> int:
        return sum(r.addicts for r in self.rows) + (self.unknown.addicts if self.unknown else 0)

    @property
    def on_time_map(self) -> bool:
        return self.generation is not None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for a report's figures (archived with the issued report)."""
        return {
            "choice": self.choice,
            "generation": self.generation,
            "label": self.label,
            "verification": self.verification_label,
            "day": self.day.isoformat(),
            "note": self.note,
            "assessment": self.assessment,
            "rows": [
                {
                    "code": r.code,
                    "name": r.name,
                    "district": r.district,
                    "people": r.people,
                    "addicts": r.addicts,
                    "level": r.level_label,
                }
                for r in self.rows
            ],
            "unknown": {"name": self.unknown.name, "people": self.unknown.people, "addicts": self.unknown.addicts}
            if self.unknown
            else None,
        }


def _converted(year: int, day: dt.date, communes: int, note: str = "") -> PeriodMap:
    label = _("Quy đổi sang đơn vị hành chính hiện nay (%(n)s đơn vị)") % {"n": communes}
    # today's communes are the official list in force: verified
    return PeriodMap(year, CONVERTED, None, label, VERIFICATION_TAGS[MapVerification.VERIFIED], day, note=note)


def _levels(year: int, generation: str, unit_ids: list[int]) -> tuple[dict[int, tuple[str, str]], dict | None]:
    """{unit: (level, label)} of the latest approved assessment of ``year`` run on this map."""
    assessment = (
        Assessment.objects.filter(status=AssessmentStatus.APPROVED, year=year, map_generation_id=generation)
        .select_related("rule_set")
        .order_by("-approved_at", "-pk")
        .first()
    )
    if assessment is None:
        return {}, None
    rows = assessment.results.filter(commune_id__in=unit_ids).values_list("commune_id", "final_level")
    levels = {cid: (level, assessment.label_for(level)) for cid, level in rows}
    return levels, {"id": assessment.pk, "year": assessment.year, "rule_set": assessment.rule_set.code}


def period_map(
    *, user, period: Any, commune_ids: Sequence[int], choice: str = TIME, whole_map: bool = True
) -> PeriodMap | None:
    """The map of ``period`` for this reader and these (current) communes, or None for a period
    of today's map (2025 on: nothing to choose). ``whole_map``: list every unit of the map the
    reader may see (a province); otherwise only the units the communes' files lie in (a commune).
    A handful of queries: the map's units, the conversion table (two), one grouped count."""

    generation = map_for_year(period.year)
    if generation is None:
        return None
    day = period.end
    if parse_choice(choice) == CONVERTED:
        return _converted(period.year, day, len(commune_ids))
    units = list(
        scoping.visible_to(
            AdministrativeUnit.objects.of_map(generation.code).filter(level=Level.COMMUNE), user
        ).select_related("parent")
    )
    if not units:
        note = _(
            "Bản đồ hành chính thời điểm đó chỉ xem được ở cấp tỉnh: số liệu dưới đây quy đổi sang đơn vị hiện nay."
        )
        return _converted(period.year, day, len(commune_ids), note=note)
    # the stock on the period's last day, as the dashboard's "có hồ sơ quản lý (cuối kỳ)"
    counts = stocks.counts_in_window_on_map(commune_ids, day, day, map_projection(generation.code))
    lost = counts.pop(stocks.UNKNOWN_UNIT, (0, 0))
    label = map_label(generation, len(units))
    if not whole_map:
        units = [u for u in units if u.pk in counts]
    levels, assessment = _levels(period.year, generation.code, [u.pk for u in units])
    rows = [
        MapRow(
            u.pk,
            u.code,
            u.full_name,
            u.parent.full_name if u.parent_id else "",
            *counts.get(u.pk, (0, 0)),
            *levels.get(u.pk, ("", "")),
        )
        for u in sorted(units, key=lambda u: u.path)
    ]
    unknown = MapRow(None, "", stocks.UNKNOWN_UNIT_LABEL, "", *lost)
    return PeriodMap(
        period.year,
        TIME,
        generation.code,
        label,
        VERIFICATION_TAGS.get(generation.verification, VERIFICATION_TAGS[MapVerification.UNVERIFIED]),
        day,
        rows=rows,
        unknown=unknown,
        assessment=assessment,
    )
