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
    HighRiskDetailView,
    HighRiskExportView,
    HighRiskFormView,
    HighRiskListView,
)
from .modelpoints import (
    ModelPointDetailView,
    ModelPointEvaluateView,
    ModelPointExportView,
    ModelPointFormView,
    ModelPointListView,
)
from .targets import (
    TargetListView,
)
from .tipoffs import (
    TipOffDetailView,
    TipOffExportView,
    TipOffFormView,
    TipOffInformantView,
    TipOffListView,
)
from .trainings import (
    TrainingDetailView,
    TrainingExportView,
    TrainingFormView,
    TrainingListView,
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
    "CoverageView",
    "TrainingListView",
    "TrainingExportView",
    "TrainingDetailView",
    "TrainingFormView",
    "ModelPointListView",
    "ModelPointExportView",
    "ModelPointDetailView",
    "ModelPointFormView",
    "ModelPointEvaluateView",
    "TipOffListView",
    "TipOffExportView",
    "TipOffDetailView",
    "TipOffInformantView",
    "TipOffFormView",
    "TargetListView",
]
