"""Admin: rule sets are read-only here (they change only through the validated, versioned import);
key routes are scoped and audited like every other door."""

from django.contrib import admin

from apps.core.admin import AuditedModelAdmin, ScopedModelAdmin

from .models import Criterion, KeyRoute, RuleLevel, RuleSet


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    can_delete = False
    fields = ["code", "kind", "indicator", "comparison", "threshold", "threshold_high", "verification"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RuleLevelInline(admin.TabularInline):
    model = RuleLevel
    extra = 0
    can_delete = False
    fields = ["order", "code", "label", "combination", "min_count", "is_key"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "status", "effective_from", "effective_to", "version"]
    list_filter = ["status"]
    readonly_fields = [
        "code",
        "title",
        "legal_basis",
        "effective_from",
        "effective_to",
        "status",
        "notes",
        "version",
        "bands_cascade",
        "updated_at",
        "updated_by",
    ]
    inlines = [RuleLevelInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleLevel)
class RuleLevelAdmin(AuditedModelAdmin):
    list_display = ["rule_set", "order", "code", "label"]
    readonly_fields = ["rule_set", "code", "label", "order", "combination", "min_count", "is_key"]
    inlines = [CriterionInline]

    def has_module_permission(self, request):
        return False  # reached from the rule set page

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KeyRoute)
class KeyRouteAdmin(ScopedModelAdmin):
    list_display = ["commune", "year", "name", "kind"]
    list_filter = ["year", "kind"]
    search_fields = ["name", "commune__search_name"]
    exclude = ["updated_by"]
