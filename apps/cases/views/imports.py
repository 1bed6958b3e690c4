"""Importing case files from a spreadsheet, and its template."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy

from apps.core.views import ImportTemplateView, ScopedImportView

from ..resources import CaseResource


class CaseImportView(ScopedImportView):
    resource_class = CaseResource
    import_kind = "cases"
    audit_action = "cases.casefile.import"
    title = gettext_lazy("Nhập hồ sơ từ tệp Excel")
    template_url_name = "cases:import_template"
    success_url = reverse_lazy("cases:casefile_list")


class CaseImportTemplateView(ImportTemplateView):
    resource_class = CaseResource
    filename = "mau-nhap-ho-so.xlsx"
