from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedAdminMixin

from .models import User


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    list_display = ("username", "full_name", "area", "is_active", "last_login")
    list_filter = ("is_active", "groups")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "position", "email", "phone")}),
        (_("Phạm vi và vai trò"), {"fields": ("area", "groups", "is_active", "is_staff", "is_superuser")}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "area", "password1", "password2")}),
    )
