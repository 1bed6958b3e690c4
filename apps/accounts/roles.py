"""Roles: groups with permissions, kept in code and synchronised idempotently.

Group names are stable codes; the Vietnamese label is shown to users. Adding a permission to an
app's ``permissions.py`` and running ``migrate`` (or ``sync_roles``) updates every installation the
same way.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.codes import CodeLabels

ROLE_LABELS = CodeLabels()
COMMUNE_OFFICER = ROLE_LABELS.add("commune_officer", _("Cán bộ Công an xã"))
STEERING_MEMBER = ROLE_LABELS.add("steering_member", _("Thành viên Ban Chỉ đạo"))
PROVINCE_STAFF = ROLE_LABELS.add("province_staff", _("Cán bộ cấp tỉnh"))
ADMINISTRATOR = ROLE_LABELS.add("administrator", _("Quản trị hệ thống"))

_READ_UNITS = ["areas.view_administrativeunit", "areas.view_unitpopulation"]
_POPULATION = ["areas.add_unitpopulation", "areas.change_unitpopulation", "areas.import_unitpopulation"]
# Granted to named accounts one by one, by a superuser only, never through a role (the group admin
# refuses them): who reads informants or the named list of people is a personal decision.
PERSONAL_PERMISSIONS = ("prevention.view_informant", "reports.view_people_list")
# Roles an administrator hands out although it does not hold their permissions itself: creating the
# accounts of commune officers is the administrator's daily work, the role's permissions are fixed
# in this file (groups are edited by superusers only) and hold only inside the account's own
# commune. The administrator still cannot take the role itself (its own roles are read-only).
DELEGABLE_ROLES: dict[str, tuple[str, ...]] = {COMMUNE_OFFICER: (ADMINISTRATOR,)}

#: the foundation's permissions per role (units, population, audit log, accounts); every app above
#: adds its own list from its ``permissions.py`` through ``register_role_permissions`` (called in
#: its ``AppConfig.ready()``), so that list is the one place an app's role permissions are written.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Enters and maintains the data of their own commune.
    COMMUNE_OFFICER: [*_READ_UNITS],
    # Reads aggregates of their unit only; never personal records.
    STEERING_MEMBER: [*_READ_UNITS],
    # Reads everything in the province, maintains population, reads the audit log.
    PROVINCE_STAFF: [*_READ_UNITS, *_POPULATION, "audit.view_auditlogentry"],
    ADMINISTRATOR: [
        *_READ_UNITS,
        *_POPULATION,
        "audit.view_auditlogentry",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
    ],
}
_REGISTERED: set[str] = set()


def register_role_permissions(app_label: str, permissions: dict[str, list[str]]) -> None:
    """Add an app's permissions to the roles (once per app, however often ``ready()`` runs).
    ``migrate`` (or ``sync_roles``) then gives every installation the same groups."""
    if app_label in _REGISTERED:
        return
    unknown = set(permissions) - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValueError(f"{app_label}: unknown roles {sorted(unknown)}")
    _REGISTERED.add(app_label)
    for role, perms in permissions.items():
        ROLE_PERMISSIONS[role] = [*ROLE_PERMISSIONS[role], *perms]


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


def sync_roles(group_model=None, permission_model=None) -> list[str]:
    """Create the role groups and set exactly their permissions. Returns missing permission names
    (a permission of an app that is not migrated yet is skipped, and added on a later run)."""
    if group_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    missing: list[str] = []
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        perms = []
        for name in perm_names:
            app_label, codename = name.split(".", 1)
            perm = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                missing.append(name)
            else:
                perms.append(perm)
        group.permissions.set(perms)
    return missing


def sync_roles_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's permissions are
    # created on its own signal: sync on the last app's, when every permission exists.
    from django.apps import apps as django_apps

    # Apps without models (the dev-only bench and demo) get no signal: the last one with models.
    last = [c for c in django_apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label != last.label:
        return
    sync_roles()
