"""The figures of a year on the map of its time (issue 10 §4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import map_label, map_projection
from apps.cases import stocks
from apps.core import scoping

from .. import rules
from .indicators import current_communes, default_map_for, map_communes


@dataclass
class MapFigureRow:
    unit: AdministrativeUnit | None  # None: "không xác định được đơn vị cũ"
    people: int
    addicts: int

    @property
    def label(self) -> str:
        return self.unit.full_name if self.unit is not None else stocks.UNKNOWN_UNIT_LABEL


@dataclass
class MapFigures:
    year: int
    #: the map used: a generation code, or None for today's communes
    generation: str | None
    label: str
    rows: list[MapFigureRow]
    people: int
    addicts: int
    #: why the map of the time could not be used for this reader (then: today's communes)
    note: str = ""


def map_figures(*, user, year: int, map_choice: str = "") -> MapFigures:
    """People with a management record in ``year`` (and addicts among them) per unit, on the map
    of that year (default for a year before 2025) or converted to today's communes: the figures a
    past classification rests on, with the files whose old unit cannot be told in their own row.
    The map of the time needs the whole former province in the reader's scope (province staff)."""
    period = rules.period_for_year(year)
    today = list(scoping.visible_to(current_communes(), user).order_by("search_name"))
    generation = None if map_choice == "converted" else default_map_for(year)
    note = ""
    units: list[AdministrativeUnit] = []
    if generation is not None:
        units = list(scoping.visible_to(map_communes(generation), user).select_related("parent"))
        if not units:
            note = _(
                "Bản đồ hành chính thời điểm đó chỉ xem được ở cấp tỉnh: số liệu dưới đây quy đổi sang "
                "đơn vị hiện nay."
            )
            generation = None
    if generation is None:
        counts = stocks.counts_in_window([c.pk for c in today], period.start, period.end)
        rows = [MapFigureRow(c, *counts.get(c.pk, (0, 0))) for c in today]
        label = _("Quy đổi sang đơn vị hành chính hiện nay (%(n)s đơn vị)") % {"n": len(today)}
    else:
        counts = stocks.counts_in_window_on_map(
            [c.pk for c in today], period.start, period.end, map_projection(generation)
        )
        rows = [MapFigureRow(u, *counts.get(u.pk, (0, 0))) for u in sorted(units, key=lambda u: u.path)]
        lost = counts.get(stocks.UNKNOWN_UNIT, (0, 0))
        rows.append(MapFigureRow(None, *lost))  # always shown, zero included: nothing is hidden
        generation_obj = units[0].generation
        label = map_label(generation_obj, len(units))
    return MapFigures(
        year=year,
        generation=generation,
        label=label,
        rows=rows,
        people=sum(r.people for r in rows),
        addicts=sum(r.addicts for r in rows),
        note=note,
    )
