"""The first accounts of a production server come from a command, with a role and a unit."""

import pytest
from django.core.management import CommandError, call_command

from apps.accounts import roles
from apps.accounts.models import User
from apps.audit.models import AuditLogEntry

GOOD = "Quan-tri-2026-rat-dai"


def test_creates_the_account_with_its_role_and_unit(world, monkeypatch):
    monkeypatch.setenv("NEW_PASSWORD", GOOD)
    call_command(
        "create_account",
        "tinh.pc04",
        "--role",
        roles.PROVINCE_STAFF,
        "--unit",
        world.province.code,
        "--full-name",
        "Hoàng Thị Lan",
        "--password-env",
        "NEW_PASSWORD",
    )
    user = User.objects.get(username="tinh.pc04")
    assert user.check_password(GOOD)
    assert user.area == world.province
    assert user.role_codes == {roles.PROVINCE_STAFF}
    assert AuditLogEntry.objects.filter(action="accounts.user.add", object_id=str(user.pk)).exists()


def test_refuses_a_weak_password(world, monkeypatch):
    monkeypatch.setenv("NEW_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command(
            "create_account",
            "x.y",
            "--role",
            roles.COMMUNE_OFFICER,
            "--unit",
            world.commune_a.code,
            "--password-env",
            "NEW_PASSWORD",
        )
    assert not User.objects.filter(username="x.y").exists()


def test_refuses_an_unknown_unit(world, monkeypatch):
    monkeypatch.setenv("NEW_PASSWORD", GOOD)
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command(
            "create_account",
            "x.y",
            "--role",
            roles.COMMUNE_OFFICER,
            "--unit",
            "99999",
            "--password-env",
            "NEW_PASSWORD",
        )
