"""Roles: groups with permissions, kept in code and synchronised idempotently.

Group names are stable codes; the Vietnamese label is shown to users. Adding a permission here
and running ``migrate`` (or ``sync_roles``) updates every installation the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.prevention.permissions import _PROVINCE as _READ_PREVENTION
from apps.prevention.permissions import _WORK as _WORK_PREVENTION
from apps.reporting import permissions as reporting_permissions
from apps.reports import permissions as reports_permissions

COMMUNE_OFFICER = "commune_officer"
STEERING_MEMBER = "steering_member"
PROVINCE_STAFF = "province_staff"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    COMMUNE_OFFICER: _("Cán bộ Công an xã"),
    STEERING_MEMBER: _("Thành viên Ban Chỉ đạo"),
    PROVINCE_STAFF: _("Cán bộ cấp tỉnh"),
    ADMINISTRATOR: _("Quản trị hệ thống"),
}

_READ_UNITS = ["areas.view_administrativeunit", "areas.view_unitpopulation"]
_WORK_CASES = [
    "cases.view_casefile",
    "cases.add_casefile",
    "cases.change_casefile",
    "cases.transition_casefile",
    "cases.import_casefile",
    "cases.export_casefile",
]
_REGISTERS = ("hotspot", "crimecase", "cultivation")
# No delete: a register record entered by mistake is corrected, never removed (aggregates and audit).
_WORK_REGISTERS = [f"registers.{a}_{m}" for m in _REGISTERS for a in ("view", "add", "change", "import", "export")]
_READ_REGISTERS = [f"registers.{a}_{m}" for m in _REGISTERS for a in ("view", "export")]
# Classification: everyone reads the criteria, key routes and their own area's published results;
# province roles run, override and approve; only administrators import rule sets.
_READ_CLASSIFICATION = [
    "classification.view_ruleset",
    "classification.view_keyroute",
    "classification.view_assessmentresult",
]
_WORK_CLASSIFICATION = [
    *_READ_CLASSIFICATION,
    "classification.export_ruleset",
    "classification.add_keyroute",
    "classification.change_keyroute",
    "classification.delete_keyroute",
    "classification.view_assessment",
    "classification.run_assessment",
    "classification.approve_assessment",
    "classification.override_assessment",
]
# Prevention: commune officers enter their commune's activities, high-risk register, trainings,
# model points and tip-offs; province staff add province campaigns and trainings, evaluate model
# points and read everything; steering members see only the targets. prevention.view_informant is
# in NO role: it is granted to named province staff one by one (admin → user → permissions).
_READ_CASES = ["cases.view_casefile", "cases.export_casefile", "cases.view_casefile_audit"]
# Granted to named accounts one by one, by a superuser only, never through a role (the group admin
# refuses them): who reads informants or the named list of people is a personal decision.
PERSONAL_PERMISSIONS = ("prevention.view_informant", "reports.view_people_list")
# Roles an administrator hands out although it does not hold their permissions itself: creating the
# accounts of commune officers is the administrator's daily work, the role's permissions are fixed
# in this file (groups are edited by superusers only) and hold only inside the account's own
# commune. The administrator still cannot take the role itself (its own roles are read-only).
DELEGABLE_ROLES: dict[str, tuple[str, ...]] = {COMMUNE_OFFICER: (ADMINISTRATOR,)}

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Enters and maintains the data of their own commune.
    COMMUNE_OFFICER: [*_READ_UNITS, *_WORK_CASES, *_WORK_REGISTERS, *_READ_CLASSIFICATION, *_WORK_PREVENTION],
    # Reads aggregates of their unit only; never personal records.
    STEERING_MEMBER: [*_READ_UNITS, *_READ_CLASSIFICATION, "prevention.view_target"],
    # Reads everything in the province, maintains population, reads the audit log.
    PROVINCE_STAFF: [
        *_READ_UNITS,
        *_READ_CASES,
        *_READ_REGISTERS,
        *_WORK_CLASSIFICATION,
        *_READ_PREVENTION,
        "cases.merge_person",
        # voids or corrects a timeline entry recorded by mistake, whoever recorded it (issue 12 §1)
        "cases.void_caseevent",
        "areas.add_unitpopulation",
        "areas.change_unitpopulation",
        "areas.import_unitpopulation",
        "audit.view_auditlogentry",
    ],
    ADMINISTRATOR: [
        *_READ_UNITS,
        *_READ_CASES,
        *_READ_REGISTERS,
        *_WORK_CLASSIFICATION,
        "classification.import_ruleset",
        *_READ_PREVENTION,
        "prevention.view_audiencegroup",
        "prevention.add_audiencegroup",
        "prevention.change_audiencegroup",
        "prevention.change_target",
        "cases.merge_person",
        "cases.void_caseevent",
        "cases.view_legalduration",
        "cases.change_legalduration",
        "cases.add_legalduration",
        "cases.view_holiday",
        "cases.add_holiday",
        "cases.change_holiday",
        "cases.delete_holiday",
        "cases.view_ethnicity",
        "cases.change_ethnicity",
        "areas.add_unitpopulation",
        "areas.change_unitpopulation",
        "areas.import_unitpopulation",
        "audit.view_auditlogentry",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
    ],
}


# Reporting and reports keep their role lists next to their code (one list per role each).
for _module in (reporting_permissions, reports_permissions):
    for _role, _perms in _module.ROLE_PERMISSIONS.items():
        ROLE_PERMISSIONS[_role] = [*ROLE_PERMISSIONS[_role], *_perms]


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

    if sender.label != list(django_apps.get_app_configs())[-1].label:
        return
    sync_roles()
