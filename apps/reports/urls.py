from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("draft/<int:unit_pk>/", views.ReportDraftView.as_view(), name="draft"),
    path("archive/", views.ReportArchiveView.as_view(), name="archive"),
    path("issued/<int:pk>/", views.ReportProgressView.as_view(), name="progress"),
    path("issued/<int:pk>/download/", views.ReportDownloadView.as_view(), name="download"),
    path("issued/<int:pk>/export.xlsx", views.ReportExportView.as_view(), name="export_xlsx"),
    path("people-list/", views.PeopleListView.as_view(), name="people_list"),
    path("headers/", views.HeaderListView.as_view(), name="header_list"),
    path("headers/<int:unit_pk>/", views.HeaderEditView.as_view(), name="header_edit"),
]
