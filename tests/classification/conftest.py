"""Fixtures of the classification tests (roles come from apps.accounts.roles via ``world``)."""

import pytest


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
    from apps.classification.selectors import indicators as selectors

    from .helpers import FakeRegisters

    fake = FakeRegisters()
    monkeypatch.setattr(selectors, "registers_module", lambda: (fake, ""))
    return fake


@pytest.fixture
def no_registers(monkeypatch):
    """As if the registers app were not installed (whether or not it is)."""
    from apps.classification.selectors import indicators as selectors

    monkeypatch.setattr(
        selectors,
        "registers_module",
        lambda: (None, "chưa có sổ theo dõi (ứng dụng “registers” chưa được cài đặt)"),
    )
