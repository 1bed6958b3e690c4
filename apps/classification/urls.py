from django.urls import path

from . import views

app_name = "classification"

urlpatterns = [
    path("", views.ClassificationTableView.as_view(), name="table"),
    path("rulesets/", views.RuleSetListView.as_view(), name="ruleset_list"),
    path("rulesets/import/", views.RuleSetImportView.as_view(), name="ruleset_import"),
    path("rulesets/<int:pk>/", views.RuleSetDetailView.as_view(), name="ruleset_detail"),
    path("rulesets/<int:pk>/parameter/", views.RuleSetParameterView.as_view(), name="ruleset_parameter"),
    path("rulesets/<int:pk>/export.json", views.RuleSetExportView.as_view(), name="ruleset_export"),
    path("maps/", views.MapFiguresView.as_view(), name="map_figures"),
    path("runs/new/", views.AssessmentRunView.as_view(), name="assessment_run"),
    path("runs/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("runs/<int:pk>/approve/", views.AssessmentApproveView.as_view(), name="assessment_approve"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="result_detail"),
    path("results/<int:pk>/override/", views.ResultOverrideView.as_view(), name="result_override"),
    path("communes/<int:pk>/", views.CommuneHistoryView.as_view(), name="commune_history"),
    path("routes/", views.KeyRouteListView.as_view(), name="keyroute_list"),
    path("routes/new/", views.KeyRouteCreateView.as_view(), name="keyroute_create"),
    path("routes/<int:pk>/edit/", views.KeyRouteUpdateView.as_view(), name="keyroute_edit"),
    path("routes/<int:pk>/delete/", views.KeyRouteDeleteView.as_view(), name="keyroute_delete"),
]
