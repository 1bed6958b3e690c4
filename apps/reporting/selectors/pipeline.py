"""A whole dashboard: ``gather`` → ``overlay`` → ``present``, cached as one object under the data
stamp and the state of the submissions."""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.core.lookups import Ids
from apps.core.prepared import prepared

from .. import maps
from ..models import ReportingPeriod, Submission
from .cache import cached
from .gathering import Scope, gather, overlay, scope_of
from .layout import Dashboard, present


def dashboard(
    *,
    user,
    unit: AdministrativeUnit | None,
    period: ReportingPeriod,
    sort: str = "",
    with_table: bool = True,
    map_choice: str = "",
) -> Dashboard:
    """Everything a dashboard shows for ``unit`` (None: the user's whole scope) and ``period``:
    ``gather`` (the reads) → ``overlay`` (locked snapshots over the live figures) → ``present``
    (key figures, charts, table, tiles). ``map_choice`` (a period before 2025): ``maps.TIME``
    (default) or ``maps.CONVERTED``."""
    scope = scope_of(user=user, unit=unit, period=period)

    def build() -> Dashboard:
        g = gather(user=user, unit=unit, period=period, map_choice=map_choice, with_table=with_table, scope=scope)
        return present(g, overlay(g), unit=unit, sort=sort, with_table=with_table)

    if scope.stamp is None:
        dash = build()
    else:
        # The whole page's figures under the data stamp and the state of the submissions of its
        # periods (an approval, a return or a reopening changes them without moving the stamp): a
        # cached dashboard decodes one object instead of sixteen windows of 124 communes and lays
        # nothing out again. The user is in the key: the map of a past period depends on the scope.
        key = [
            user.pk,
            unit.pk if unit is not None else None,
            period.pk,
            sort,
            with_table,
            maps.parse_choice(map_choice),
            str(timezone.localdate()),
            _submissions_state(scope),
        ]
        dash = cached("dashboard", key, build, scope.stamp)
    # the stamps are set on the object served (not kept in the cache): the plan targets reuse them
    dash.stamps = scope.current
    return dash


def _submissions_state(scope: Scope) -> str:
    """A digest of the submissions of the dashboard's periods and communes (one small query)."""
    if scope.by_child is not None:
        return ""
    rows = _submission_states(periods=Ids([p.pk for p in scope.periods]), ids=Ids(scope.ids))
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


@prepared
def _submission_states(*, periods: Ids, ids: Ids):
    return (
        Submission.objects.filter(period_id__in_ids=periods, commune_id__in_ids=ids)
        .order_by("pk")
        .values_list("pk", "status", "version")
    )
