"""The case pages. One module per page family: ``lists`` (worklist, case list, export), ``detail``
(the case page), ``edit`` (open and edit a file), ``timeline`` (transitions, free events, voiding an
entry), ``transfers``, ``imports`` and ``duplicates`` (the province's merge review); ``urls`` keeps
using ``views.<name>``, re-exported here.
"""

from .detail import CaseDetailView
from .duplicates import DuplicateReviewView
from .edit import CaseCreateView, CaseFormMixin, CaseUpdateView
from .imports import CaseImportTemplateView, CaseImportView
from .lists import CaseExportView, CaseListView, WorklistView
from .timeline import CaseEventView, CaseTransitionView, EventVoidView
from .transfers import CaseTransferView

__all__ = [
    "CaseDetailView",
    "DuplicateReviewView",
    "CaseCreateView",
    "CaseFormMixin",
    "CaseUpdateView",
    "CaseImportTemplateView",
    "CaseImportView",
    "CaseExportView",
    "CaseListView",
    "WorklistView",
    "CaseEventView",
    "CaseTransitionView",
    "EventVoidView",
    "CaseTransferView",
]
