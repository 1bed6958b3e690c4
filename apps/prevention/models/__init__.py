"""Prevention work of the commune (issue #5; Plan 63/KH-UBND 2019): propaganda and education
activities, the register of people at high risk and how far activities reach them, trainings,
model points, tip-offs from the public, and the plan targets these feed.

Scoping (``apps.core.scoping``): every record declares ``area_lookup``. An ``Activity`` may cover
several communes (``communes``, many-to-many), so its scoped queries join and can return a row
once per matching commune; the selectors therefore always filter through ``pk__in`` subqueries.
The informant of a tip-off lives in its own table (``Informant``), readable only with
``prevention.view_informant``, so no page, export or admin of tip-offs can leak it by accident.
Records change only through ``services`` (validation, optimistic locking, audit).

One module per sub-domain, as prevention's services, selectors and forms are: ``activities``
(audience groups, activities with their topics, participants and attachments), ``highrisk`` (the
register and the reaches), ``trainings``, ``modelpoints``, ``tipoffs`` (with the informant) and
``targets``, with the shared field helpers in ``_common``. Every model is imported here so Django
finds them; ``_attachment_path`` and ``_indicator_choices`` too, because migration 0001 names them
as ``apps.prevention.models.<name>``.
"""

from ._common import _YEAR
from .activities import (
    Activity,
    ActivityAttachment,
    ActivityParticipation,
    ActivityTopic,
    AudienceGroup,
    _attachment_path,
)
from .highrisk import ActivityReach, HighRiskPerson
from .modelpoints import ModelPoint, ModelPointEvaluation
from .targets import Target, _indicator_choices
from .tipoffs import Informant, TipOff
from .trainings import Training, TrainingParticipation

__all__ = [
    "_YEAR",
    "Activity",
    "ActivityAttachment",
    "ActivityParticipation",
    "ActivityTopic",
    "AudienceGroup",
    "_attachment_path",
    "ActivityReach",
    "HighRiskPerson",
    "ModelPoint",
    "ModelPointEvaluation",
    "Target",
    "_indicator_choices",
    "Informant",
    "TipOff",
    "Training",
    "TrainingParticipation",
]
