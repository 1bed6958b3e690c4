"""Pages of commune classification. Views only parse input and render; reads go through
``selectors`` (scoped), writes through ``services`` (audited). Every view uses the scoped mixins of
``apps.core.views``: a missing role answers 403, an object outside the user's area 404."""

from .assessments import (
    AssessmentApproveView,
    AssessmentDetailView,
    AssessmentRunView,
    ClassificationTableView,
    MapFiguresView,
)
from .results import CommuneHistoryView, ResultDetailView, ResultOverrideView
from .routes import KeyRouteCreateView, KeyRouteDeleteView, KeyRouteFormMixin, KeyRouteListView, KeyRouteUpdateView
from .rulesets import RuleSetDetailView, RuleSetExportView, RuleSetImportView, RuleSetListView, RuleSetParameterView

__all__ = [
    "AssessmentApproveView",
    "AssessmentDetailView",
    "AssessmentRunView",
    "ClassificationTableView",
    "CommuneHistoryView",
    "KeyRouteCreateView",
    "KeyRouteDeleteView",
    "KeyRouteFormMixin",
    "KeyRouteListView",
    "KeyRouteUpdateView",
    "MapFiguresView",
    "ResultDetailView",
    "ResultOverrideView",
    "RuleSetDetailView",
    "RuleSetExportView",
    "RuleSetImportView",
    "RuleSetListView",
    "RuleSetParameterView",
]
