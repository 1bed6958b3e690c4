"""Argon2id first, with the measured OWASP parameters; older hashes upgraded at the next login."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher, make_password

from tests.factories.accounts import PASSWORD
from tuyenquang_pcmt.settings import base

LOGIN = "/accounts/login/"
#: what settings.base declares (the test settings replace the list by MD5 for speed)
PRODUCTION_HASHERS = base.PASSWORD_HASHERS


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    settings.PCMT_ARGON2_MEMORY_KIB = 19_456
    settings.PCMT_ARGON2_TIME_COST = 2
    settings.PCMT_ARGON2_PARALLELISM = 1
    return settings


def test_argon2id_comes_first_with_owasp_parameters(real_hashers):
    assert PRODUCTION_HASHERS[0] == "apps.core.hashers.PcmtArgon2PasswordHasher"
    encoded = make_password("Mat-khau-2026x")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_parameters_below_the_owasp_minimum_are_raised_to_it(real_hashers):
    real_hashers.PCMT_ARGON2_MEMORY_KIB = 1024
    real_hashers.PCMT_ARGON2_TIME_COST = 1
    assert make_password("Mat-khau-2026x").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize("old_hasher", [PBKDF2PasswordHasher, Argon2PasswordHasher])
def test_an_older_hash_is_upgraded_when_its_user_logs_in(real_hashers, officer_a, client, old_hasher):
    # A PBKDF2 hash from before, or Argon2 with Django's own (heavier) parameters.
    stored = make_password(PASSWORD, hasher=old_hasher())
    officer_a.password = stored
    officer_a.save(update_fields=["password"])
    response = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.password != stored
    assert officer_a.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    # And the upgraded hash still lets the officer in.
    client.logout()
    assert client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}).status_code == 302
