"""Accounts in the Django admin. Nobody promotes themselves: an account that is not a superuser
cannot grant superuser status, personal permissions or a role holding permissions it lacks itself,
nor change its own roles, and cannot edit a superuser or a role's permissions. Only a superuser
(created on the command line with ``manage.py createsuperuser``) can. Every change of roles or
permissions is audited in the admin's transaction, where province staff read it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.areas.models import AdministrativeUnit
from apps.audit.actions import GROUP_PERMISSIONS_CHANGE, ROLES_CHANGE
from apps.audit.services import audit_record
from apps.core import scoping
from apps.core.admin import ScopedAdminMixin
from apps.core.collation import vi_order, vi_sorted

from .models import User
from .roles import DELEGABLE_ROLES, PERSONAL_PERMISSIONS, role_label

# Granting one of these changes what an account may do.
PRIVILEGE_FIELDS = ("groups", "user_permissions", "is_superuser", "is_staff")


def _perm_names(perms) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in perms.select_related("content_type")}


def missing_permissions(editor, group: Group) -> list[str]:
    """The permissions of ``group`` that ``editor`` does not hold (none for a superuser)."""
    if editor.is_superuser:
        return []
    delegated_by = DELEGABLE_ROLES.get(group.name, ())
    if delegated_by and editor.groups.filter(name__in=delegated_by).exists():
        return []
    return sorted(_perm_names(group.permissions.all()) - editor.get_all_permissions())


def privileges(user: User) -> dict[str, Any]:
    """What an account may do, as the audit log records it before and after a change."""
    if not user.pk:
        return {"groups": [], "user_permissions": [], "is_superuser": False, "is_staff": False}
    fresh = User.objects.get(pk=user.pk)
    return {
        "groups": sorted(fresh.groups.values_list("name", flat=True)),
        "user_permissions": sorted(_perm_names(fresh.user_permissions.all())),
        "is_superuser": fresh.is_superuser,
        "is_staff": fresh.is_staff,
    }


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """Roles by their Vietnamese label (the group name is a stable code nobody should have to read)."""

    def label_from_instance(self, obj: Group) -> str:
        return role_label(obj.name)


class RoleListFilter(admin.SimpleListFilter):
    title = gettext_lazy("vai trò")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        names = Group.objects.values_list("name", flat=True)
        return vi_sorted(((name, role_label(name)) for name in names), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()).distinct() if self.value() else queryset


def assignable_units(user):
    """The units an account may be assigned to: those in force today within the editor's scope,
    the province first, then in Vietnamese order. A former (merged, abolished) unit is no place to
    work from: its data is reached through the unit that replaced it."""
    qs = AdministrativeUnit.objects.in_force_on(timezone.localdate())
    if not user.is_superuser:
        qs = qs.filter(scoping.scope_filter(AdministrativeUnit, user))
    return vi_order(qs, "=depth", "name")


class GuardedUserChangeForm(UserChangeForm):
    editor: User | None = None  # set per request by UserAdmin.get_form

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        editor = self.editor
        if editor is None or editor.is_superuser:
            return groups
        before = set(self.instance.groups.all()) if self.instance.pk else set()
        errors = []
        for group in groups:
            if group in before:
                continue
            missing = missing_permissions(editor, group)
            if missing:
                errors.append(
                    ValidationError(
                        _(
                            "Bạn không thể cấp vai trò “%(role)s”: vai trò này có quyền mà tài khoản của bạn không có "
                            "(%(perms)s). Chỉ tài khoản quản trị tối cao (tạo bằng lệnh manage.py createsuperuser) "
                            "mới cấp được."
                        )
                        % {"role": role_label(group.name), "perms": ", ".join(missing[:5])},
                        code="role_escalation",
                    )
                )
        if errors:
            raise ValidationError(errors)
        return groups


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    form = GuardedUserChangeForm
    list_display = ("username", "full_name", "area", "is_active", "last_login")
    list_filter = ("is_active", RoleListFilter)
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ()
    # The password hash never goes to the audit log.
    audit_fields = ["username", "full_name", "position", "email", "phone", "area", "is_active", "is_staff"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Thông tin cá nhân"), {"fields": ("full_name", "position", "email", "phone")}),
        (gettext_lazy("Phạm vi và vai trò"), {"fields": ("area", "groups", "is_active", "is_staff", "is_superuser")}),
        (gettext_lazy("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        *fieldsets[:3],
        (
            gettext_lazy("Quyền cá nhân (chỉ quản trị tối cao)"),
            {
                "fields": ("user_permissions",),
                "description": gettext_lazy(
                    "Quyền cấp riêng cho từng người, ví dụ xem người báo tin (prevention.view_informant)."
                ),
            },
        ),
        fieldsets[3],
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "area", "password1", "password2")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = assignable_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = RoleChoiceField
            kwargs["queryset"] = Group.objects.order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and request.user.is_superuser:
            return self.superuser_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
            if obj is not None and obj.pk == request.user.pk:
                # One's own roles, admin access and scope are changed by someone else.
                readonly += ["groups", "is_staff", "is_active", "area"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if issubclass(form, GuardedUserChangeForm):
            form = type(form.__name__, (form,), {"editor": request.user})
        return form

    def _obj_permission(self, request, action, obj):
        # A superuser account is out of reach of everyone else (its password, its flags).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super()._obj_permission(request, action, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def save_model(self, request, obj, form, change):
        request._privileges_before = privileges(obj) if change else privileges(User())
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        before = getattr(request, "_privileges_before", None) or privileges(User())
        after = privileges(user)
        if before != after:
            # Inside the admin's transaction, with the change itself.
            audit_record(actor=request.user, action=ROLES_CHANGE, obj=user, area=user.area, before=before, after=after)


class GroupPermissionsForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "permissions"]

    def clean_permissions(self):
        perms = self.cleaned_data["permissions"]
        personal = sorted(_perm_names(perms) & set(PERSONAL_PERMISSIONS))
        if personal:
            raise ValidationError(
                _(
                    "Quyền %(perms)s là quyền cá nhân: chỉ cấp cho từng người (Người dùng → Quyền cá nhân), "
                    "không bao giờ qua vai trò."
                )
                % {"perms": ", ".join(personal)},
                code="personal_permission",
            )
        return perms


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Roles are defined in apps/accounts/roles.py and re-synchronised at every migrate; editing one
    here is for superusers only (a holder of auth.change_group could otherwise add any permission,
    the informant one included, to its own role)."""

    form = GroupPermissionsForm

    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)

    def has_module_permission(self, request):
        return self._superuser(request)

    def save_model(self, request, obj, form, change):
        request._group_before = sorted(_perm_names(obj.permissions.all())) if change and obj.pk else []
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        before = {"name": group.name, "permissions": getattr(request, "_group_before", [])}
        after = {"name": group.name, "permissions": sorted(_perm_names(group.permissions.all()))}
        if before != after or not change:
            audit_record(actor=request.user, action=GROUP_PERMISSIONS_CHANGE, obj=group, before=before, after=after)
