from django.contrib import admin

from apps.core.admin import ScopedModelAdmin

from .models import AuditLogEntry


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ScopedModelAdmin):
    list_display = ("time", "actor_username", "action", "object_repr", "area", "client_ip")
    list_filter = ("action",)
    search_fields = ("actor_username", "object_repr", "action")
    list_select_related = ("area",)
    date_hierarchy = "time"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
