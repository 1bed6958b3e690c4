"""Admin: the reporting calendar is edited here (audited); periods and submissions are read-only
(they change only through ``periods_generate`` and the audited workflow services)."""

from django.contrib import admin

from apps.core.admin import AuditedModelAdmin, ScopedModelAdmin, ViewOnlyAdminMixin

from .models import ReportingPeriod, ReportingSettings, Submission


@admin.register(ReportingSettings)
class ReportingSettingsAdmin(AuditedModelAdmin):
    list_display = ["start_day", "deadline_days", "legal_basis", "updated_at"]
    fields = ["start_day", "deadline_days", "legal_basis"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReportingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["label", "kind", "start", "end", "deadline"]
    list_filter = ["kind", "year"]
    readonly_fields = ["kind", "year", "number", "start", "end", "label", "deadline"]


@admin.register(Submission)
class SubmissionAdmin(ViewOnlyAdminMixin, ScopedModelAdmin):
    list_display = ["commune", "period", "status", "submitted_at", "reviewed_at", "version"]
    list_filter = ["status", "period__kind", "period__year"]
    readonly_fields = [
        "period", "commune", "status", "note", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at",
        "return_reason", "submit_count", "version",
    ]  # fmt: skip
    exclude = ["snapshot"]
