"""Reads of reporting: the submission status board and the dashboards (province and commune).

The figures come from ``figures`` (each commune's indicators stored per window, recomputed only
when that commune's data changed). With ``PCMT_DASHBOARD_CACHE_SECONDS`` > 0 the assembled
aggregates of a dashboard are also cached under the digest of its communes' stamps
(``figures.scope_stamp``, two small queries), so a write in one commune invalidates only the
dashboards that include it. Locked snapshots, names, levels and submissions are always read live.

A dashboard is built in three steps (issue 13 item 4): ``gather`` reads (stored or cached figures,
approved submissions, live breakdowns, names, submissions, the map of a past period), ``overlay``
puts the locked snapshots over the live figures, ``present`` lays them out (key figures, charts,
table, tiles) without a query.

Every read starts from the user's scope (``services.scoped_commune_ids``: 404 outside it, 403
without ``reporting.view_dashboard``) and costs a constant number of queries whatever the number of
communes: one multi-window ``indicators.compute_many`` for the period, the previous one, the same
one last year and the trend (12 periods), one query for the locked snapshots of those periods, two
for the breakdowns, and a handful for names, submissions and the tile layout.

Dashboards never carry personal data: counts, commune names and levels only.
"""

from .board import BOARD_STATES, BoardRow, StatusBoard, board_state, status_board, submission_for
from .cache import cache_seconds, cached
from .gathering import TREND_LENGTH, Gathered, Overlaid, Scope, child_groups, gather, overlay, scope_of
from .layout import (
    KEY_CODES,
    LEVELS,
    TABLE_CODES,
    TABLE_COLUMNS,
    Dashboard,
    KeyFigure,
    TableRow,
    map_tiles,
    period_query,
    present,
    short_label,
)
from .pipeline import dashboard

__all__ = [
    "BOARD_STATES",
    "KEY_CODES",
    "LEVELS",
    "TABLE_CODES",
    "TABLE_COLUMNS",
    "TREND_LENGTH",
    "BoardRow",
    "Dashboard",
    "Gathered",
    "KeyFigure",
    "Overlaid",
    "Scope",
    "StatusBoard",
    "TableRow",
    "board_state",
    "cache_seconds",
    "cached",
    "child_groups",
    "dashboard",
    "gather",
    "map_tiles",
    "overlay",
    "period_query",
    "present",
    "scope_of",
    "short_label",
    "status_board",
    "submission_for",
]
