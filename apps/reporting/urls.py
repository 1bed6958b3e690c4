from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("communes/<int:pk>/", views.CommuneDashboardView.as_view(), name="commune_dashboard"),
    path("status/", views.StatusBoardView.as_view(), name="status_board"),
    path("submissions/<int:pk>/", views.SubmissionView.as_view(), name="submission"),
    path("submissions/<int:pk>/approve/", views.SubmissionApproveView.as_view(), name="submission_approve"),
    path("submissions/<int:pk>/return/", views.SubmissionReturnView.as_view(), name="submission_return"),
]
