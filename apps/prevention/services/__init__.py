"""Writes of the prevention app. Every change goes through here, is validated, and writes its
audit row in the same transaction (views, imports, the demo seed and commands all call these).

Rules common to every record: the units chosen must be today's units in the actor's scope; an
edit based on a stale version is refused (``StaleObjectError``) naming who changed what; a record
covering several units (an activity, a training) can have its shared data changed only by someone
who has every one of those units in scope.

One module per sub-domain (``activities``, ``highrisk``, ``trainings``, ``modelpoints``, ``tipoffs``),
with the shared helpers in ``_common``; callers keep using ``services.<name>``, re-exported here.
"""

from .activities import (
    ACTIVITY_FIELDS,
    ActivityInput,
    activity_create,
    activity_set_reaches,
    activity_update,
    attachment_add,
)
from .highrisk import (
    HIGHRISK_FIELDS,
    HighRiskInput,
    SyncSummary,
    highrisk_create,
    highrisk_sync_from_cases,
    highrisk_sync_many,
    highrisk_update,
)
from .modelpoints import (
    MODELPOINT_FIELDS,
    ModelPointInput,
    modelpoint_create,
    modelpoint_evaluate,
    modelpoint_update,
)
from .tipoffs import (
    INFORMANT_FIELDS,
    TIPOFF_FIELDS,
    InformantInput,
    TipOffInput,
    informant_read,
    tipoff_create,
    tipoff_update,
)
from .trainings import (
    TrainingInput,
    training_create,
    training_update,
)

__all__ = [
    "ActivityInput",
    "ACTIVITY_FIELDS",
    "activity_create",
    "activity_update",
    "activity_set_reaches",
    "attachment_add",
    "HighRiskInput",
    "HIGHRISK_FIELDS",
    "highrisk_create",
    "highrisk_update",
    "SyncSummary",
    "highrisk_sync_from_cases",
    "highrisk_sync_many",
    "TrainingInput",
    "training_create",
    "training_update",
    "ModelPointInput",
    "MODELPOINT_FIELDS",
    "modelpoint_create",
    "modelpoint_update",
    "modelpoint_evaluate",
    "TipOffInput",
    "InformantInput",
    "TIPOFF_FIELDS",
    "INFORMANT_FIELDS",
    "tipoff_create",
    "tipoff_update",
    "informant_read",
]
