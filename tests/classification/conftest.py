"""Fixtures of the classification tests.

Until ``apps/accounts/roles.py`` lists this app's permissions (see apps/classification/_wiring.md),
the role groups get them here, after the ``world`` fixture synchronised the roles. Once wired,
``sync_roles`` already grants them and this fixture changes nothing.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from apps.classification.permissions import ROLE_PERMISSIONS

# Until the app is in INSTALLED_APPS (run with --ds=tuyenquang_pcmt.settings.classification_dev, or
# after the wiring), its models cannot be imported: leave these tests out instead of failing the
# collection of the whole suite.
if "apps.classification" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py", "helpers.py", "permission_entries.py"]


@pytest.fixture(autouse=True)
def _classification_role_permissions(request):
    if "world" not in request.fixturenames:
        return
    request.getfixturevalue("world")
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        for name in names:
            app_label, codename = name.split(".", 1)
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def root(world):
    from tests.factories.accounts import UserFactory

    user = UserFactory(username="classification_root", area=world.province)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def fake_registers(monkeypatch):
    """The registers app's selectors, faked: every commune has zero unless a test sets values."""
    from apps.classification import selectors

    from .helpers import FakeRegisters

    fake = FakeRegisters()
    monkeypatch.setattr(selectors, "registers_module", lambda: (fake, ""))
    return fake


@pytest.fixture
def no_registers(monkeypatch):
    """As if the registers app were not installed (whether or not it is)."""
    from apps.classification import selectors

    monkeypatch.setattr(
        selectors,
        "registers_module",
        lambda: (None, "chưa có sổ theo dõi (ứng dụng “registers” chưa được cài đặt)"),
    )
