from django.contrib import admin

from apps.core.admin import ReadOnlyAdminMixin, ScopedModelAdmin

from .models import AuditLogEntry


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("time", "actor_username", "action", "object_repr", "area", "client_ip")
    list_filter = ("action",)
    search_fields = ("actor_username", "object_repr", "action")
    list_select_related = ("area",)
    date_hierarchy = "time"
