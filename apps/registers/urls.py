from django.urls import path

from .views import crimecases, cultivation, hotspots

app_name = "registers"

urlpatterns = [
    path("hotspots/", hotspots.HotspotListView.as_view(), name="hotspot_list"),
    path("hotspots/new/", hotspots.HotspotFormView.as_view(), name="hotspot_create"),
    path("hotspots/<int:pk>/", hotspots.HotspotDetailView.as_view(), name="hotspot_detail"),
    path("hotspots/<int:pk>/edit/", hotspots.HotspotFormView.as_view(), name="hotspot_edit"),
    path("hotspots/<int:pk>/status/", hotspots.HotspotStatusView.as_view(), name="hotspot_status"),
    path("hotspots/import/", hotspots.HotspotImportView.as_view(), name="hotspot_import"),
    path(
        "hotspots/import/template.xlsx", hotspots.HotspotImportTemplateView.as_view(), name="hotspot_import_template"
    ),
    path("hotspots/export.<str:fmt>", hotspots.HotspotExportView.as_view(), name="hotspot_export"),
    path("crimes/", crimecases.CrimeCaseListView.as_view(), name="crimecase_list"),
    path("crimes/new/", crimecases.CrimeCaseFormView.as_view(), name="crimecase_create"),
    path("crimes/<int:pk>/", crimecases.CrimeCaseDetailView.as_view(), name="crimecase_detail"),
    path("crimes/<int:pk>/edit/", crimecases.CrimeCaseFormView.as_view(), name="crimecase_edit"),
    path("crimes/import/", crimecases.CrimeCaseImportView.as_view(), name="crimecase_import"),
    path(
        "crimes/import/template.xlsx",
        crimecases.CrimeCaseImportTemplateView.as_view(),
        name="crimecase_import_template",
    ),
    path("crimes/export.<str:fmt>", crimecases.CrimeCaseExportView.as_view(), name="crimecase_export"),
    path("cultivation/", cultivation.CultivationListView.as_view(), name="cultivation_list"),
    path("cultivation/new/", cultivation.CultivationFormView.as_view(), name="cultivation_create"),
    path("cultivation/<int:pk>/", cultivation.CultivationDetailView.as_view(), name="cultivation_detail"),
    path("cultivation/<int:pk>/edit/", cultivation.CultivationFormView.as_view(), name="cultivation_edit"),
    path("cultivation/import/", cultivation.CultivationImportView.as_view(), name="cultivation_import"),
    path(
        "cultivation/import/template.xlsx",
        cultivation.CultivationImportTemplateView.as_view(),
        name="cultivation_import_template",
    ),
    path("cultivation/export.<str:fmt>", cultivation.CultivationExportView.as_view(), name="cultivation_export"),
]
