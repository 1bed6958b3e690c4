"""Pages of the prevention app: they parse input, call one service or selector, and render.

Every view goes through ``ScopedViewMixin`` (403 without the role's permission, 404 outside the
user's area); multi-unit records (activities, trainings) come back once from ``scoping.visible_to``.
One module per sub-domain (``activities``, ``highrisk``, ``trainings``, ``modelpoints``,
``tipoffs``, ``targets``) on core's kit (``apps.core.generic``); urls.py keeps using ``views.<name>``.
"""

from apps.core.generic import ExportView, FilteredListView, ServiceFormView

from ._common import HubView
from .activities import (
    ActivityAttachView,
    ActivityCreateView,
    ActivityDetailView,
    ActivityExportView,
    ActivityFormView,
    ActivityImportTemplateView,
    ActivityImportView,
    ActivityListView,
    ActivityReachView,
    ActivityUpdateView,
    AttachmentDownloadView,
    ReachImportTemplateView,
    ReachImportView,
)
from .highrisk import (
    CoverageView,
    HighRiskCreateView,
    HighRiskDetailView,
    HighRiskExportView,
    HighRiskFormView,
    HighRiskListView,
    HighRiskUpdateView,
)
from .modelpoints import (
    ModelPointCreateView,
    ModelPointDetailView,
    ModelPointEvaluateView,
    ModelPointExportView,
    ModelPointFormView,
    ModelPointListView,
    ModelPointUpdateView,
)
from .targets import (
    TargetListView,
)
from .tipoffs import (
    TipOffCreateView,
    TipOffDetailView,
    TipOffExportView,
    TipOffFormView,
    TipOffInformantView,
    TipOffListView,
    TipOffUpdateView,
)
from .trainings import (
    TrainingCreateView,
    TrainingDetailView,
    TrainingExportView,
    TrainingFormView,
    TrainingListView,
    TrainingUpdateView,
)

__all__ = [
    "HubView",
    "FilteredListView",
    "ExportView",
    "ServiceFormView",
    "ActivityListView",
    "ActivityExportView",
    "ActivityDetailView",
    "ActivityFormView",
    "ActivityCreateView",
    "ActivityUpdateView",
    "ActivityReachView",
    "ActivityAttachView",
    "AttachmentDownloadView",
    "ActivityImportView",
    "ActivityImportTemplateView",
    "ReachImportView",
    "ReachImportTemplateView",
    "HighRiskListView",
    "HighRiskExportView",
    "HighRiskDetailView",
    "HighRiskFormView",
    "HighRiskCreateView",
    "HighRiskUpdateView",
    "CoverageView",
    "TrainingListView",
    "TrainingExportView",
    "TrainingDetailView",
    "TrainingFormView",
    "TrainingCreateView",
    "TrainingUpdateView",
    "ModelPointListView",
    "ModelPointExportView",
    "ModelPointDetailView",
    "ModelPointFormView",
    "ModelPointCreateView",
    "ModelPointUpdateView",
    "ModelPointEvaluateView",
    "TipOffListView",
    "TipOffExportView",
    "TipOffDetailView",
    "TipOffInformantView",
    "TipOffFormView",
    "TipOffCreateView",
    "TipOffUpdateView",
    "TargetListView",
]
