from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/population/", views.PopulationEditView.as_view(), name="population_edit"),
    path("population/import/", views.PopulationImportView.as_view(), name="population_import"),
    path("population/template.xlsx", views.PopulationTemplateView.as_view(), name="population_template"),
]
