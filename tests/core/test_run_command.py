"""The users' run command (README's first line, scripts/run_app.sh) never shows Django's debug page:
it would echo the posted personal data to the screen. Developers opt in with PCMT_DEV_DEBUG=1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client(raise_request_exception=False).get("/khong-co-trang-nay/")
css = Client().get("/static/css/app.css")
print(json.dumps({
    "static": css.status_code,
    "debug": settings.DEBUG,
    "finders": settings.WHITENOISE_USE_FINDERS,
    "status": response.status_code,
    "body": response.content.decode(),
}))
"""


def _run_app_settings(**extra_env) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PCMT_DEV_DEBUG"))}
    env.update(extra_env)
    env.setdefault("DATABASE_URL", "sqlite:///:memory:")
    script = f'source "{REPO}/scripts/run_app.sh" && app_environment && exec "{sys.executable}" -c "$PROBE"'
    result = subprocess.run(  # noqa: S603 - a fixed command of this repository
        ["/bin/bash", "-c", script],
        cwd=REPO,
        env={**env, "PROBE": PROBE},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("dotenv_debug", ["", "true"])
def test_the_run_command_shows_the_vietnamese_error_pages(dotenv_debug):
    env = {"DJANGO_DEBUG": dotenv_debug} if dotenv_debug else {}  # even when the shell or .env says true
    probe = _run_app_settings(**env)
    assert probe["debug"] is False
    assert probe["finders"] is True and probe["static"] == 200  # CSS and JS still served without DEBUG
    assert probe["status"] == 404
    assert "Không tìm thấy" in probe["body"]
    assert "Django tried these URL patterns" not in probe["body"]


def test_developers_opt_in_to_the_debug_page():
    probe = _run_app_settings(PCMT_DEV_DEBUG="1")
    assert probe["debug"] is True
    assert "Django tried these URL patterns" in probe["body"] or "Page not found" in probe["body"]
