"""Fixtures of the reporting tests (roles come from apps.accounts.roles via ``world``)."""

import pytest


def grant_role_permissions() -> None:
    """The real role definitions (tables are flushed between browser tests)."""
    from tests.factories.accounts import ensure_roles

    ensure_roles()


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
