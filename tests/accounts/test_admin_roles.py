"""Nobody promotes themselves: the administrator role manages accounts in the Django admin, but
cannot grant itself or anyone superuser status or permissions its own role lacks; only a superuser
(created with ``manage.py createsuperuser``) can. Every change of roles or permissions is audited
and visible to province staff; the personal permissions never come through a group."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from apps.accounts import roles
from apps.audit.models import AuditLogEntry
from tests.factories.accounts import UserFactory

ROLES_CHANGE = "accounts.user.roles_change"


@pytest.fixture
def admin_user(administrator):
    administrator.is_staff = True
    administrator.save()
    return administrator


@pytest.fixture
def root(world):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group(code: str) -> Group:
    return Group.objects.get(name=code)


def change_user(client, user, *, groups=None, **fields):
    """POST the admin change form of ``user`` with its current values, changed by ``fields``."""
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "position": user.position,
        "email": user.email,
        "phone": user.phone,
        "area": user.area_id or "",
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        "groups": [g.pk for g in (groups if groups is not None else user.groups.all())],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v != ""}
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def _privileges(user):
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def test_the_administrator_cannot_make_itself_superuser(admin_user, client_for):
    before = _privileges(admin_user)
    change_user(client_for(admin_user), admin_user, is_superuser="on")
    assert _privileges(admin_user) == before
    assert before[0] is False


def test_the_administrator_cannot_give_itself_another_role(admin_user, client_for):
    groups = [_group(roles.ADMINISTRATOR), _group(roles.COMMUNE_OFFICER)]
    change_user(client_for(admin_user), admin_user, groups=groups)
    assert _privileges(admin_user)[2] == [roles.ADMINISTRATOR]


def test_the_administrator_cannot_make_anyone_superuser(admin_user, province_staff, client_for):
    change_user(client_for(admin_user), province_staff, is_superuser="on")
    assert _privileges(province_staff)[0] is False


def test_the_administrator_cannot_grant_a_role_with_permissions_it_lacks(admin_user, world, client_for):
    # Steering members' permissions are all read-only ones the administrator holds; give the role one
    # more that the administrator lacks, as a superuser editing the group could.
    group = _group(roles.STEERING_MEMBER)
    group.permissions.add(_perm("cases.add_casefile"))
    newcomer = UserFactory(username="moi", area=world.commune_a)
    response = change_user(client_for(admin_user), newcomer, groups=[group])
    assert response.status_code == 200
    assert "quyền mà tài khoản của bạn không có" in response.content.decode()
    assert _privileges(newcomer)[2] == []


def test_the_administrator_creates_commune_officers(admin_user, world, client_for):
    newcomer = UserFactory(username="moi", area=world.commune_a)
    change_user(client_for(admin_user), newcomer, groups=[_group(roles.COMMUNE_OFFICER)])
    assert _privileges(newcomer)[2] == [roles.COMMUNE_OFFICER]


def test_the_administrator_cannot_grant_a_personal_permission(admin_user, province_staff, client_for):
    informant = _perm("prevention.view_informant")
    change_user(client_for(admin_user), province_staff, user_permissions=[informant.pk])
    assert _privileges(province_staff)[3] == []


def test_the_administrator_cannot_touch_a_superuser_account(admin_user, root, client_for):
    client = client_for(admin_user)
    assert client.get(reverse("admin:accounts_user_change", args=[root.pk])).status_code in (302, 403, 404)
    client.post(reverse("admin:accounts_user_change", args=[root.pk]), {"username": "root2"})
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    client.post(password_url, {"password1": "Chiem-quyen-2026", "password2": "Chiem-quyen-2026"})
    root.refresh_from_db()
    assert root.username == "root"
    assert root.check_password("Kiemthu2026x")


def test_a_role_within_the_administrators_own_is_granted_and_audited(admin_user, world, province_staff, client_for):
    newcomer = UserFactory(username="moi", area=world.commune_a)
    response = change_user(client_for(admin_user), newcomer, groups=[_group(roles.STEERING_MEMBER)])
    assert response.status_code == 302
    assert _privileges(newcomer)[2] == [roles.STEERING_MEMBER]
    entry = AuditLogEntry.objects.get(action=ROLES_CHANGE)
    assert (entry.actor, entry.object_id) == (admin_user, str(newcomer.pk))
    assert entry.before["groups"] == [] and entry.after["groups"] == [roles.STEERING_MEMBER]
    assert "password" not in entry.after
    # Province staff read it in the audit log.
    page = client_for(province_staff).get(reverse("audit:entry_list"))
    assert page.status_code == 200
    assert any(e.pk == entry.pk for e in page.context["page_obj"].object_list)


def test_a_superuser_grants_a_personal_permission_and_it_is_audited(root, province_staff, client_for):
    informant = _perm("prevention.view_informant")
    response = change_user(client_for(root), province_staff, user_permissions=[informant.pk])
    assert response.status_code == 302
    assert _privileges(province_staff)[3] == ["view_informant"]
    entry = AuditLogEntry.objects.get(action=ROLES_CHANGE)
    assert entry.after["user_permissions"] == ["prevention.view_informant"]
    assert entry.before["user_permissions"] == []


def test_a_superuser_may_make_a_superuser_and_it_is_audited(root, admin_user, client_for):
    change_user(client_for(root), admin_user, is_superuser="on")
    assert _privileges(admin_user)[0] is True
    entry = AuditLogEntry.objects.get(action=ROLES_CHANGE)
    assert (entry.before["is_superuser"], entry.after["is_superuser"]) == (False, True)


def test_groups_are_edited_by_superusers_only(admin_user, client_for):
    # Even an account handed auth.change_group cannot edit a role's permissions in the admin.
    admin_user.user_permissions.add(_perm("auth.change_group"), _perm("auth.view_group"))
    group = _group(roles.PROVINCE_STAFF)
    client = client_for(admin_user)
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code in (302, 403)
    perms = [*group.permissions.values_list("pk", flat=True), _perm("prevention.view_informant").pk]
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": perms})
    assert not group.permissions.filter(codename="view_informant").exists()


def test_a_personal_permission_is_never_put_in_a_group_even_by_a_superuser(root, client_for):
    group = _group(roles.PROVINCE_STAFF)
    perms = [*group.permissions.values_list("pk", flat=True), _perm("prevention.view_informant").pk]
    response = client_for(root).post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": perms}
    )
    assert response.status_code == 200
    assert "cá nhân" in response.content.decode()
    assert not group.permissions.filter(codename="view_informant").exists()


def test_a_superuser_change_of_a_groups_permissions_is_audited(root, client_for):
    group = _group(roles.STEERING_MEMBER)
    perms = [*group.permissions.values_list("pk", flat=True), _perm("cases.view_casefile").pk]
    response = client_for(root).post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": perms}
    )
    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(action="auth.group.permissions_change")
    assert "cases.view_casefile" in entry.after["permissions"]
    assert "cases.view_casefile" not in entry.before["permissions"]
