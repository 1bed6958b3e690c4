from django.contrib import admin

from apps.audit import actions
from apps.audit.services import audit_read
from apps.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin, ScopedModelAdmin

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
class CaseFileAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """Read-only here: case files change only through the application's services."""

    list_display = ("file_number", "person", "commune", "status", "due_date")
    list_filter = ("status", "case_type")
    list_select_related = ("person", "commune")
    search_fields = ("file_number", "person__search_text")

    # The admin is one more door to names: its list and record pages are audited like the app's.
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            query = request.GET.urlencode()
            after = {"filters": query} if query else None
            audit_read(actor=request.user, action=actions.CASE_ADMIN_LIST_VIEW, after=after)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            case = self.get_object(request, object_id)
            if case is not None:
                audit_read(actor=request.user, action=actions.CASE_ADMIN_VIEW, obj=case, area=case.commune)
        return response
