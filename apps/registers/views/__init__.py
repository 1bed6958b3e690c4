"""Views of the registers: parse the request, call a selector or a service, render.

One module per register kind (``hotspots``, ``crimecases``, ``cultivation``) on the bases in
``base``; urls.py keeps using ``views.<name>``.
"""

from .base import RegisterExportView, RegisterFormView, RegisterImportView, RegisterListView
from .crimecases import (
    CrimeCaseCreateView,
    CrimeCaseDetailView,
    CrimeCaseExportView,
    CrimeCaseImportTemplateView,
    CrimeCaseImportView,
    CrimeCaseListView,
    CrimeCaseUpdateView,
)
from .cultivation import (
    CultivationCreateView,
    CultivationDetailView,
    CultivationExportView,
    CultivationImportTemplateView,
    CultivationImportView,
    CultivationListView,
    CultivationUpdateView,
)
from .hotspots import (
    HotspotCreateView,
    HotspotDetailView,
    HotspotExportView,
    HotspotImportTemplateView,
    HotspotImportView,
    HotspotListView,
    HotspotStatusView,
    HotspotUpdateView,
)

__all__ = [
    "RegisterExportView",
    "RegisterFormView",
    "RegisterImportView",
    "RegisterListView",
    "HotspotListView",
    "HotspotDetailView",
    "HotspotCreateView",
    "HotspotUpdateView",
    "HotspotStatusView",
    "HotspotExportView",
    "HotspotImportView",
    "HotspotImportTemplateView",
    "CrimeCaseListView",
    "CrimeCaseDetailView",
    "CrimeCaseCreateView",
    "CrimeCaseUpdateView",
    "CrimeCaseExportView",
    "CrimeCaseImportView",
    "CrimeCaseImportTemplateView",
    "CultivationListView",
    "CultivationDetailView",
    "CultivationCreateView",
    "CultivationUpdateView",
    "CultivationExportView",
    "CultivationImportView",
    "CultivationImportTemplateView",
]
