"""Fixtures of the reporting tests.

Until ``apps/accounts/roles.py`` lists this app's permissions (see apps/reporting/_wiring.md), the
role groups get them here, after the ``world`` fixture synchronised the roles (and the prevention
permissions too while that app is not wired either). Once wired, this changes nothing.
"""

import pytest
from django.conf import settings

# Until the app is in INSTALLED_APPS (run with --ds=tuyenquang_pcmt.settings.reporting_dev, or after
# the wiring), its models cannot be imported: leave these tests out instead of failing the collection.
if "apps.reporting" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py", "helpers.py", "permission_entries.py"]


def grant_role_permissions() -> None:
    from django.contrib.auth.models import Group, Permission

    from apps.reporting.permissions import ROLE_PERMISSIONS

    sources = [ROLE_PERMISSIONS]
    if "apps.prevention" in settings.INSTALLED_APPS:
        from apps.prevention.permissions import ROLE_PERMISSIONS as PREVENTION

        sources.append(PREVENTION)
    for source in sources:
        for role, names in source.items():
            group = Group.objects.get(name=role)
            for name in names:
                app_label, codename = name.split(".", 1)
                group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture(autouse=True)
def _reporting_role_permissions(request):
    if "world" not in request.fixturenames:
        return
    request.getfixturevalue("world")
    grant_role_permissions()


@pytest.fixture
def root(world):
    from tests.factories.accounts import UserFactory

    user = UserFactory(username="reporting_root", area=world.province)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def steering_province(world):
    from apps.accounts import roles

    return world.user(roles.STEERING_MEMBER, world.province, "steering_province")


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    """Tests measure the live path; ``test_views.test_dashboard_cache`` turns the cache on itself."""
    settings.PCMT_DASHBOARD_CACHE_SECONDS = 0
