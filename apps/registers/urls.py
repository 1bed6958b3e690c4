from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("hotspots/", views.HotspotListView.as_view(), name="hotspot_list"),
    path("hotspots/new/", views.HotspotCreateView.as_view(), name="hotspot_create"),
    path("hotspots/<int:pk>/", views.HotspotDetailView.as_view(), name="hotspot_detail"),
    path("hotspots/<int:pk>/edit/", views.HotspotUpdateView.as_view(), name="hotspot_edit"),
    path("hotspots/<int:pk>/status/", views.HotspotStatusView.as_view(), name="hotspot_status"),
    path("hotspots/import/", views.HotspotImportView.as_view(), name="hotspot_import"),
    path("hotspots/import/template.xlsx", views.HotspotImportTemplateView.as_view(), name="hotspot_import_template"),
    path("hotspots/export.<str:fmt>", views.HotspotExportView.as_view(), name="hotspot_export"),
    path("crimes/", views.CrimeCaseListView.as_view(), name="crimecase_list"),
    path("crimes/new/", views.CrimeCaseCreateView.as_view(), name="crimecase_create"),
    path("crimes/<int:pk>/", views.CrimeCaseDetailView.as_view(), name="crimecase_detail"),
    path("crimes/<int:pk>/edit/", views.CrimeCaseUpdateView.as_view(), name="crimecase_edit"),
    path("crimes/import/", views.CrimeCaseImportView.as_view(), name="crimecase_import"),
    path("crimes/import/template.xlsx", views.CrimeCaseImportTemplateView.as_view(), name="crimecase_import_template"),
    path("crimes/export.<str:fmt>", views.CrimeCaseExportView.as_view(), name="crimecase_export"),
    path("cultivation/", views.CultivationListView.as_view(), name="cultivation_list"),
    path("cultivation/new/", views.CultivationCreateView.as_view(), name="cultivation_create"),
    path("cultivation/<int:pk>/", views.CultivationDetailView.as_view(), name="cultivation_detail"),
    path("cultivation/<int:pk>/edit/", views.CultivationUpdateView.as_view(), name="cultivation_edit"),
    path("cultivation/import/", views.CultivationImportView.as_view(), name="cultivation_import"),
    path(
        "cultivation/import/template.xlsx",
        views.CultivationImportTemplateView.as_view(),
        name="cultivation_import_template",
    ),
    path("cultivation/export.<str:fmt>", views.CultivationExportView.as_view(), name="cultivation_export"),
]
