"""Admin of the prevention app: reference data (audience groups, targets) editable and audited;
records read-only (they change only through the services). The informant is deliberately not
registered, and no inline shows it: the admin is one more door it must not leak through."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin, ScopedModelAdmin

from .models import Activity, AudienceGroup, HighRiskPerson, ModelPoint, Target, TipOff, Training


@admin.register(AudienceGroup)
class AudienceGroupAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "short_name", "high_risk", "order")
    list_filter = ("high_risk",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(AuditedModelAdmin):
    """Administrators complete the targets here (e.g. the missing baselines); every change audited."""

    list_display = ("title", "plan", "indicator", "target_value", "comparison", "deadline", "verification", "active")
    list_filter = ("plan", "verification", "active")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("title", "date_from", "date_to", "kind", "participants_total")
    list_filter = ("kind",)
    # The people reached are personal data of each commune's register: shown on the scoped pages only.
    exclude = ("reached",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reporting_officer")


@admin.register(HighRiskPerson)
class HighRiskPersonAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("full_name", "birth_year", "commune", "category", "status")
    list_filter = ("status", "source")
    list_select_related = ("commune", "category")


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("topic", "held_on", "participants_total")


@admin.register(ModelPoint)
class ModelPointAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("name", "commune", "started_on", "ended_on")
    list_select_related = ("commune",)


@admin.register(TipOff)
class TipOffAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """Without the informant (a separate, unregistered model)."""

    list_display = ("__str__", "commune", "channel", "status")
    list_filter = ("status", "channel")
    list_select_related = ("commune",)
    # The register links show their numbers only: a read-only foreign key would print the linked
    # record's name and admin link whatever the reader's scope of the registers.
    _LINKS = {"crime_case": "crime_case_number", "hotspot": "hotspot_number"}
    exclude = tuple(_LINKS)

    def get_readonly_fields(self, request, obj=None):
        return [self._LINKS.get(name, name) for name in super().get_readonly_fields(request, obj)]

    @admin.display(description=_("mã vụ án liên quan"))
    def crime_case_number(self, obj: TipOff):
        return obj.crime_case_id

    @admin.display(description=_("mã điểm, tụ điểm liên quan"))
    def hotspot_number(self, obj: TipOff):
        return obj.hotspot_id
