from django.contrib import admin

from apps.core.admin import AuditedModelAdmin, ScopedModelAdmin

from .models import CaseFile, Ethnicity, Holiday, LegalDuration


@admin.register(LegalDuration)
class LegalDurationAdmin(AuditedModelAdmin):
    """Legal staff confirm or correct durations here; every change is audited."""

    list_display = ("key", "label", "value", "unit", "law", "effective_from", "effective_to", "verification")
    list_filter = ("law", "verification", "key")
    search_fields = ("label", "law", "article")

    def has_delete_permission(self, request, obj=None):
        # History matters: a superseded duration is ended (effective_to), not deleted.
        return False


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"


@admin.register(Ethnicity)
class EthnicityAdmin(AuditedModelAdmin):
    """The 54 groups are the statistics office's list; province staff keep the other names people
    write for each group (accepted by imports), audited."""

    list_display = ("code", "name", "aliases")
    search_fields = ("name", "aliases")
    readonly_fields = ("code", "name")
    fields = ("code", "name", "aliases")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseFile)
class CaseFileAdmin(ScopedModelAdmin):
    """Read-only here: case files change only through the application's services."""

    list_display = ("file_number", "person", "commune", "status", "due_date")
    list_filter = ("status", "case_type")
    list_select_related = ("person", "commune")
    search_fields = ("file_number", "person__search_text")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
