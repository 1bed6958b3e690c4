from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.WorklistView.as_view(), name="worklist"),
    path("list/", views.CaseListView.as_view(), name="casefile_list"),
    path("export.<str:fmt>", views.CaseExportView.as_view(), name="casefile_export"),
    path("new/", views.CaseCreateView.as_view(), name="casefile_create"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="casefile_detail"),
    path("<int:pk>/edit/", views.CaseUpdateView.as_view(), name="casefile_edit"),
    path("<int:pk>/transition/<str:code>/", views.CaseTransitionView.as_view(), name="casefile_transition"),
    path("<int:pk>/event/<str:kind>/", views.CaseEventView.as_view(), name="casefile_event"),
    path("<int:pk>/event/<int:event_pk>/void/", views.EventVoidView.as_view(), name="event_void"),
    path("<int:pk>/transfer/", views.CaseTransferView.as_view(), name="casefile_transfer"),
    path("import/", views.CaseImportView.as_view(), name="import"),
    path("import/template.xlsx", views.CaseImportTemplateView.as_view(), name="import_template"),
    path("duplicates/", views.DuplicateReviewView.as_view(), name="duplicates"),
]
