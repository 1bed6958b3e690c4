"""Reads of the prevention app. Every selector starts from the scoped queryset.

Activities and trainings belong to several units (many-to-many); ``scoping.visible_to`` filters
such models through a ``pk__in`` subquery, so each record comes back once.

One module per sub-domain (``activities``, ``highrisk`` with its coverage, ``trainings``,
``modelpoints``, ``tipoffs``, the targets ``board``, the ``hub`` figures), with the shared helpers
in ``_common``; callers keep using ``selectors.<name>``, re-exported here.
"""

from apps.core.dates import today  # noqa: F401 - the views read selectors.today(), as before the split

from ._common import audience_groups, current_commune_ids, is_province_wide
from .activities import (
    ActivityFilters,
    ActivityReaches,
    activity_fully_in_scope,
    activity_get,
    activity_list,
    activity_reaches,
    attachment_get,
    reach_candidates,
)
from .board import TargetBoard, target_board
from .highrisk import (
    Coverage,
    CoverageRow,
    HighRiskFilters,
    coverage,
    coverage_by_commune,
    coverage_counts,
    highrisk_get,
    highrisk_history,
    highrisk_list,
)
from .hub import prevention_summary
from .modelpoints import ModelPointFilters, modelpoint_get, modelpoint_list
from .tipoffs import TipOffFilters, register_links, tipoff_get, tipoff_has_informant, tipoff_list
from .trainings import TrainingFilters, training_get, training_list

__all__ = [
    "current_commune_ids",
    "is_province_wide",
    "audience_groups",
    "ActivityFilters",
    "activity_list",
    "activity_get",
    "activity_fully_in_scope",
    "ActivityReaches",
    "activity_reaches",
    "reach_candidates",
    "attachment_get",
    "HighRiskFilters",
    "highrisk_list",
    "highrisk_get",
    "highrisk_history",
    "coverage_counts",
    "Coverage",
    "coverage",
    "CoverageRow",
    "coverage_by_commune",
    "TrainingFilters",
    "training_list",
    "training_get",
    "ModelPointFilters",
    "modelpoint_list",
    "modelpoint_get",
    "TipOffFilters",
    "tipoff_list",
    "tipoff_get",
    "tipoff_has_informant",
    "register_links",
    "TargetBoard",
    "target_board",
    "prevention_summary",
]
