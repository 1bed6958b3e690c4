import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from tests.factories.accounts import PASSWORD

LOGIN = "/accounts/login/"


def test_login_lands_on_home_and_is_audited(officer_a, client):
    response = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "Xã Trung Sơn" in response.content.decode()
    entry = AuditLogEntry.objects.get(action="accounts.user.login")
    assert (entry.actor, entry.area) == (officer_a, officer_a.area)


def test_wrong_password_is_explained_in_vietnamese_and_audited(officer_a, client):
    response = client.post(LOGIN, {"username": "officer_a", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    entry = AuditLogEntry.objects.get(action="accounts.user.login_failed")
    assert (entry.actor, entry.actor_username, entry.area) == (None, "officer_a", officer_a.area)


def test_lockout_after_repeated_failures(officer_a, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "officer_a", "password": "sai-mat-khau"})
    # Even the right password is refused while the account is locked.
    response = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert AuditLogEntry.objects.filter(action="accounts.user.locked_out", actor_username="officer_a").exists()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_is_audited(officer_a, client_for):
    client = client_for(officer_a)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditLogEntry.objects.filter(action="accounts.user.logout", actor=officer_a).exists()
    assert client.get(reverse("core:home")).status_code == 302


def test_every_page_requires_login_except_login_and_static(db, client):
    assert client.get(reverse("core:home")).status_code == 302
    assert client.get(reverse("areas:unit_list")).status_code == 302
    assert client.get(LOGIN).status_code == 200
    assert client.get("/static/css/app.css").status_code == 200


def test_idle_session_timeout_is_renewed_while_active(officer_a, client_for):
    # Renewed by apps.accounts.middleware at most once a minute, not saved on every request
    # (issue 14 §3; the renewal itself: test_session_renewal.py).
    client = client_for(officer_a)
    client.get(reverse("core:home"))
    assert "apps.accounts.middleware.SessionRenewalMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_RENEW_SECONDS <= 60
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 == 30 * 60


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("Ab1", "quá ngắn"), ("12345678901234", "hoàn toàn là số"), ("khongcochuso", "chữ cái và chữ số")],
)
def test_weak_passwords_are_refused_in_vietnamese(db, password, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert fragment in " ".join(exc.value.messages)


def test_password_change_is_audited(officer_a, client_for):
    client = client_for(officer_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "MatKhauMoi2026z", "new_password2": "MatKhauMoi2026z"},
    )
    assert response.status_code == 302
    assert AuditLogEntry.objects.filter(action="accounts.user.password_change", actor=officer_a).exists()


def test_404_page_is_vietnamese(officer_a, client_for):
    response = client_for(officer_a).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_production_settings_pass_check_deploy():
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never has it.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "tuyenquang_pcmt.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c",
        "DJANGO_ALLOWED_HOSTS": "pcmt.tuyenquang.gov.vn",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="tuyenquang_pcmt.settings.production", DJANGO_ALLOWED_HOSTS="x")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# --- lockout behind the TLS proxy: counted by the real client address ----------------------------------------

PROXY = "10.0.0.1"


def _login_via_proxy(client, username, password, forwarded_for):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
    )


@pytest.fixture
def behind_proxy(settings):
    settings.PCMT_TRUSTED_PROXIES = 1
    return settings


def test_behind_the_proxy_one_attacker_does_not_lock_the_account_for_everyone(officer_a, client, behind_proxy):
    from django.test import Client

    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _login_via_proxy(client, "officer_a", "sai-mat-khau", "203.0.113.9")
    assert _login_via_proxy(client, "officer_a", PASSWORD, "203.0.113.9").status_code == 429
    # The officer at the commune office, through the same proxy, still logs in.
    response = _login_via_proxy(Client(), "officer_a", PASSWORD, "198.51.100.7")
    assert response.status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lockout(officer_a, client, behind_proxy):
    # The client may send any X-Forwarded-For; the proxy appends the address it saw, which alone counts.
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login_via_proxy(client, "officer_a", "sai-mat-khau", f"192.0.2.{i}, 203.0.113.9")
    assert _login_via_proxy(client, "officer_a", PASSWORD, "192.0.2.200, 203.0.113.9").status_code == 429


def test_without_a_declared_proxy_the_forwarded_header_is_ignored(officer_a, client):
    assert settings.PCMT_TRUSTED_PROXIES == 0  # default off: the header is forgeable without a proxy
    for i in range(settings.AXES_FAILURE_LIMIT):
        forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": f"1.2.3.{i}"}
        client.post(LOGIN, {"username": "officer_a", "password": "x"}, **forged)
    response = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
