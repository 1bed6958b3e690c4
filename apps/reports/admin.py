"""Read-only admin: reports are issued, generated and downloaded only through the application's
services (archive, SHA-256, audit). The admin is one more scoped door (ScopedModelAdmin)."""

from django.contrib import admin

from apps.core.admin import ReadOnlyAdminMixin, ScopedModelAdmin

from .models import IssuedReport, ReportHeaderConfig


@admin.register(IssuedReport)
class IssuedReportAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("title", "unit", "kind", "number", "status", "issued_at", "issued_by", "sha256")
    list_filter = ("kind", "status", "period_kind", "period_year")
    search_fields = ("title", "number", "sha256", "unit__full_name")
    exclude = ("figures", "narrative", "header")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not request.user.has_perm("reports.view_people_list"):
            qs = qs.exclude(kind="people_list")
        return qs


@admin.register(ReportHeaderConfig)
class ReportHeaderConfigAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("unit", "issuing_body", "number_symbol", "signer_title", "signer_name", "updated_at")
    search_fields = ("unit__full_name", "issuing_body")
    # Who last edited it goes last: UpdatedByModel's columns come first in the model's own order.
    fields = (
        "id", "unit", "parent_body", "issuing_body", "number_symbol", "place", "authority_line", "signer_title",
        "signer_name", "recipients", "version", "updated_at", "updated_by",
    )  # fmt: skip
