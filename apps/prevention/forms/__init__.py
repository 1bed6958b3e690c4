"""Forms of the prevention pages. They only parse input: rules live in ``services``.

Every choice of a unit, a person or a user is narrowed to the reader's scope here (no leaking
dropdowns); the services check it again.

One module per sub-domain (``activities``, ``highrisk``, ``trainings``, ``modelpoints``, ``tipoffs``),
with the shared choice fields in ``_common``; callers keep using ``forms.<name>``, re-exported here.
"""

from ._common import CommuneChoiceField, CommuneMultipleChoiceField, OfficerChoiceField, PersonMultipleChoiceField
from .activities import ActivityFilterForm, ActivityForm, AttachmentForm, ReachForm
from .highrisk import CoverageForm, HighRiskFilterForm, HighRiskForm
from .modelpoints import EvaluationForm, ModelPointFilterForm, ModelPointForm
from .tipoffs import InformantForm, TipOffFilterForm, TipOffForm
from .trainings import (
    TrainingFilterForm,
    TrainingForm,
    TrainingParticipationForm,
    TrainingParticipationFormSet,
    UnitChoiceField,
    participation_formset,
    training_units,
)

__all__ = [
    "CommuneChoiceField",
    "CommuneMultipleChoiceField",
    "PersonMultipleChoiceField",
    "OfficerChoiceField",
    "ActivityForm",
    "ReachForm",
    "AttachmentForm",
    "ActivityFilterForm",
    "HighRiskForm",
    "HighRiskFilterForm",
    "CoverageForm",
    "UnitChoiceField",
    "TrainingForm",
    "training_units",
    "TrainingParticipationForm",
    "TrainingParticipationFormSet",
    "participation_formset",
    "TrainingFilterForm",
    "ModelPointForm",
    "EvaluationForm",
    "ModelPointFilterForm",
    "TipOffForm",
    "InformantForm",
    "TipOffFilterForm",
]
