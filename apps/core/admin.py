"""Admin base class: the admin is one more door, so it goes through the same scoping module."""

from django.contrib import admin
from django.db import transaction

from apps.audit.services import audit_record, snapshot

from . import scoping


class AuditedAdminMixin:
    """Every change made in the admin is audited in the same transaction (reference data too)."""

    #: fields recorded before/after (None: all); lets a model keep a secret (a password hash) out of the log
    audit_fields: list[str] | None = None

    def audit_snapshot(self, obj):
        return snapshot(obj, fields=self.audit_fields)

    def _area_of(self, obj):
        lookup = getattr(obj, "area_lookup", None)
        if lookup == "pk":
            return obj
        if lookup and "__" not in lookup:
            return getattr(obj, lookup, None)
        return None

    def save_model(self, request, obj, form, change):
        action = f"{obj._meta.app_label}.{obj._meta.model_name}.{'update' if change else 'create'}"
        with transaction.atomic():
            before = self.audit_snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            self.check_still_visible(request, obj)
            audit_record(
                actor=request.user, action=action, obj=obj, area=self._area_of(obj), before=before,
                after=self.audit_snapshot(obj),
            )  # fmt: skip

    def check_still_visible(self, request, obj) -> None:
        pass

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=f"{obj._meta.app_label}.{obj._meta.model_name}.delete",
                obj=obj,
                area=self._area_of(obj),
                before=self.audit_snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ScopedAdminMixin(AuditedAdminMixin):
    """Scope the changelist, object permissions and FK choices; audit every admin change."""

    def get_queryset(self, request):
        return scoping.visible_to(super().get_queryset(request), request.user, "view")

    def _obj_permission(self, request, action, obj):
        if not scoping.has_action(request.user, self.model, action):
            return False
        return obj is None or scoping.can(request.user, action, obj)

    def has_view_permission(self, request, obj=None):
        return self._obj_permission(request, "view", obj) or self._obj_permission(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        return self._obj_permission(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._obj_permission(request, "delete", obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            model = field.queryset.model
            if getattr(model, "area_lookup", None) and not request.user.is_superuser:
                field.queryset = field.queryset.filter(scoping.scope_filter(model, request.user))
        return field

    def check_still_visible(self, request, obj) -> None:
        # An admin must not move an object out of their own scope (NetBox PermissionsViolation).
        if not request.user.is_superuser and not scoping.can(request.user, "view", obj):
            raise scoping.PermissionDenied


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """For reference data with no area (legal durations, holidays): audited, not scoped."""


class ViewOnlyAdminMixin:
    """Shown in the admin, never added, changed or deleted there: these records change only through
    the application's services (validation, optimistic locking, audit). ``obj`` is optional so the
    mixin serves inlines too (Django passes the parent object to an inline's add check)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin(ViewOnlyAdminMixin):
    """View-only, with every column of the record on its page (the non-editable ones too: the
    version, the timestamps), so the admin shows the record as stored."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
