"""Read-only admin: the registers change only through the application's services (validation,
optimistic locking, audit). The admin is one more scoped door (ScopedModelAdmin)."""

from django.contrib import admin

from apps.core import scoping
from apps.core.admin import ReadOnlyAdminMixin, ScopedModelAdmin

from .models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange, Offender


class _PartInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rows that are part of a register record (a hotspot's history, a case's offenders): whoever
    may see the record sees them."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return scoping.has_action(request.user, self.parent_model, "view")


class HotspotStatusChangeInline(_PartInline):
    model = HotspotStatusChange
    fields = ("changed_on", "from_status", "to_status", "reason", "changed_by")


class OffenderInline(_PartInline):
    model = Offender
    fields = ("full_name", "birth_year", "sex", "arrested_on", "person")


@admin.register(Hotspot)
class HotspotAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("name", "kind", "commune", "status", "status_since", "discovered_on")
    list_filter = ("kind", "status")
    list_select_related = ("commune",)
    search_fields = ("search_text",)
    inlines = [HotspotStatusChangeInline]


@admin.register(CrimeCase)
class CrimeCaseAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("number", "commune", "occurred_on", "article", "stage", "offenders_count")
    list_filter = ("article", "stage")
    list_select_related = ("commune",)
    search_fields = ("number", "search_text")
    date_hierarchy = "occurred_on"
    inlines = [OffenderInline]


@admin.register(Cultivation)
class CultivationAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("number", "commune", "found_on", "species", "plants", "area_m2", "destroyed")
    list_filter = ("species", "destroyed")
    list_select_related = ("commune",)
    search_fields = ("number", "search_text")
    date_hierarchy = "found_on"
