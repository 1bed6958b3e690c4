"""The targets page: every active target evaluated over the reader's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.core.dates import today
from apps.core.prepared import prepared

from .. import targets
from ..models import Target
from ._common import current_commune_ids, is_province_wide


@dataclass
class TargetBoard:
    rows: list
    on: dt.date
    scope_label: str
    commune_count: int


@prepared
def _active_targets():
    return Target.objects.filter(active=True).order_by("order", "code")


def target_board(
    *,
    user,
    on: dt.date | None = None,
    commune_ids: list[int] | None = None,
    stamps: dict[int, str] | None = None,
) -> TargetBoard:
    """Every active target, its current value over the user's scope and its status on ``on``.

    A dashboard of the user's whole scope has already read that scope's communes and their data
    stamps: it passes them (``commune_ids``, ``stamps``) so they are not read a second time."""
    on = on or today()
    if commune_ids is None:
        commune_ids = current_commune_ids(user)
    province_wide = is_province_wide(user)
    rows = [
        targets.evaluate_target(target, commune_ids=commune_ids, on=on, province_wide=province_wide, stamps=stamps)
        for target in _active_targets()
    ]
    area = getattr(user, "area", None)
    label = area.full_name if area is not None else "Toàn hệ thống"
    return TargetBoard(rows=rows, on=on, scope_label=label, commune_count=len(commune_ids))
