from django.urls import path

from . import views

app_name = "prevention"

urlpatterns = [
    path("", views.HubView.as_view(), name="index"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/export.xlsx", views.ActivityExportView.as_view(), name="activity_export"),
    path("activities/import/", views.ActivityImportView.as_view(), name="activity_import"),
    path(
        "activities/import/template.xlsx", views.ActivityImportTemplateView.as_view(), name="activity_import_template"
    ),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/reaches/", views.ActivityReachView.as_view(), name="activity_reaches"),
    path("activities/<int:pk>/reaches/import/", views.ReachImportView.as_view(), name="activity_reach_import"),
    path("activities/<int:pk>/attach/", views.ActivityAttachView.as_view(), name="activity_attach"),
    path("reaches/import/template.xlsx", views.ReachImportTemplateView.as_view(), name="reach_import_template"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("high-risk/", views.HighRiskListView.as_view(), name="highrisk_list"),
    path("high-risk/new/", views.HighRiskFormView.as_view(), name="highrisk_create"),
    path("high-risk/export.xlsx", views.HighRiskExportView.as_view(), name="highrisk_export"),
    path("high-risk/<int:pk>/", views.HighRiskDetailView.as_view(), name="highrisk_detail"),
    path("high-risk/<int:pk>/edit/", views.HighRiskFormView.as_view(), name="highrisk_edit"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("trainings/", views.TrainingListView.as_view(), name="training_list"),
    path("trainings/new/", views.TrainingFormView.as_view(), name="training_create"),
    path("trainings/export.xlsx", views.TrainingExportView.as_view(), name="training_export"),
    path("trainings/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("trainings/<int:pk>/edit/", views.TrainingFormView.as_view(), name="training_edit"),
    path("model-points/", views.ModelPointListView.as_view(), name="modelpoint_list"),
    path("model-points/new/", views.ModelPointFormView.as_view(), name="modelpoint_create"),
    path("model-points/export.xlsx", views.ModelPointExportView.as_view(), name="modelpoint_export"),
    path("model-points/<int:pk>/", views.ModelPointDetailView.as_view(), name="modelpoint_detail"),
    path("model-points/<int:pk>/edit/", views.ModelPointFormView.as_view(), name="modelpoint_edit"),
    path("model-points/<int:pk>/evaluate/", views.ModelPointEvaluateView.as_view(), name="modelpoint_evaluate"),
    path("tip-offs/", views.TipOffListView.as_view(), name="tipoff_list"),
    path("tip-offs/new/", views.TipOffFormView.as_view(), name="tipoff_create"),
    path("tip-offs/export.xlsx", views.TipOffExportView.as_view(), name="tipoff_export"),
    path("tip-offs/<int:pk>/", views.TipOffDetailView.as_view(), name="tipoff_detail"),
    path("tip-offs/<int:pk>/edit/", views.TipOffFormView.as_view(), name="tipoff_edit"),
    path("tip-offs/<int:pk>/informant/", views.TipOffInformantView.as_view(), name="tipoff_informant"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
]
