"""Fixtures of the prevention tests. Uploaded attachments go to a temporary media folder."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories.accounts import ensure_roles


def grant_prevention_permissions() -> None:
    """The real role definitions (tables are flushed between browser tests)."""
    ensure_roles()


def grant_informant_permission(user) -> None:
    user.user_permissions.add(Permission.objects.get(content_type__app_label="prevention", codename="view_informant"))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)


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
