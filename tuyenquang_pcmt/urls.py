from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("PCMT Tuyên Quang – Quản trị")
admin.site.site_title = _("PCMT Tuyên Quang")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("units/", include("apps.areas.urls")),
    path("audit/", include("apps.audit.urls")),
    path("cases/", include("apps.cases.urls")),
    path("registers/", include("apps.registers.urls")),
    path("classification/", include("apps.classification.urls")),
    path("prevention/", include("apps.prevention.urls")),
    path("reporting/", include("apps.reporting.urls")),
    path("reports/", include("apps.reports.urls")),
    path("admin/", admin.site.urls),
]
