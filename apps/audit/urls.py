from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.EntryListView.as_view(), name="entry_list"),
    path("digest/", views.AccessDigestView.as_view(), name="access_digest"),
]
