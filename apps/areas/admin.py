from django.contrib import admin

from apps.core.admin import ScopedModelAdmin, ViewOnlyAdminMixin

from .models import AdministrativeUnit, UnitGeneration, UnitPopulation, UnitSuccession


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ViewOnlyAdminMixin, ScopedModelAdmin):
    """The catalogue comes from the official fixture (manage.py load_units), not hand entry."""

    list_display = ("full_name", "code", "generation", "level", "parent", "valid_from", "valid_to")
    list_filter = ("generation", "level", "kind")
    search_fields = ("name", "search_name", "code")
    readonly_fields = ("path", "depth", "search_name")


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("old", "new", "partly", "effective_date")
    list_filter = ("partly",)
    list_select_related = ("old", "new")


@admin.register(UnitGeneration)
class UnitGenerationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_to")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitPopulation)
class UnitPopulationAdmin(ScopedModelAdmin):
    list_display = ("unit", "year", "population", "source", "updated_by", "updated_at")
    list_filter = ("year",)
    list_select_related = ("unit", "updated_by")
    readonly_fields = ("unit", "year", "population", "source", "version", "updated_by", "updated_at")

    def has_add_permission(self, request):
        # Population changes go through the page (service with optimistic locking), not the admin.
        return False

    def has_change_permission(self, request, obj=None):
        return False
