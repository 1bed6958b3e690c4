"""Until the roles are wired (apps/prevention/_wiring.md), the role groups are given the prevention
permissions here, exactly as ``apps.prevention.permissions.ROLE_PERMISSIONS`` lists them.
Uploaded attachments go to a temporary media folder."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from apps.prevention.permissions import ROLE_PERMISSIONS

# Until the app is in INSTALLED_APPS (run with --ds=tuyenquang_pcmt.settings.prevention_dev, or
# after the wiring), its models cannot be imported: leave these tests out instead of failing the
# collection of the whole suite.
if "apps.prevention" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py", "matrix.py"]


def grant_prevention_permissions() -> None:
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        codenames = [name.split(".", 1)[1] for name in names]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="prevention", codename__in=codenames))


def grant_informant_permission(user) -> None:
    user.user_permissions.add(Permission.objects.get(content_type__app_label="prevention", codename="view_informant"))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)


@pytest.fixture(autouse=True)
def _prevention_roles(request):
    """Runs right after ``world`` (which synchronises the role groups) for every test using it."""
    if "world" not in request.fixturenames:
        return
    request.getfixturevalue("world")
    grant_prevention_permissions()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def informant_reader(world):
    """Province staff personally granted ``prevention.view_informant``."""
    from apps.accounts import roles

    user = world.user(roles.PROVINCE_STAFF, world.province, "informant_reader")
    grant_informant_permission(user)
    return user
