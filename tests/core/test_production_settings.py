"""Production settings: what the environment says reaches Django, and demo data never lands there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

REPO = Path(settings.BASE_DIR)


def _manage_production(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {
        # Never the developer's database file, and no CONN_MAX_AGE unless the test gives one.
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CONN_MAX_AGE")},
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "tuyenquang_pcmt.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c",
        "DJANGO_ALLOWED_HOSTS": "pcmt.tuyenquang.gov.vn",
        **extra_env,
    }
    return subprocess.run(  # noqa: S603 - this repository's manage.py
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(("value", "expected"), [(None, "60"), ("300", "300")])
def test_conn_max_age_reaches_the_database_settings(value, expected):
    extra = {"CONN_MAX_AGE": value} if value else {}
    result = _manage_production(
        "shell",
        "-c",
        "from django.db import connections; print('AGE', connections['default'].settings_dict['CONN_MAX_AGE'])",
        **extra,
    )
    assert result.returncode == 0, result.stderr
    assert f"AGE {expected}" in result.stdout


def test_seed_demo_refuses_to_run_with_production_settings():
    # The demo app is not installed in production: the command does not exist there at all.
    result = _manage_production("seed_demo")
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_installs_no_dev_only_app_and_bench_settings_add_only_the_benchmarks():
    code = "from django.conf import settings; print('APPS', ' '.join(settings.INSTALLED_APPS))"
    production = _manage_production("shell", "-c", code)
    assert production.returncode == 0, production.stderr
    apps = production.stdout.split("APPS", 1)[1].split()
    assert "apps.reports" in apps
    assert "apps.bench" not in apps and "apps.demo" not in apps
    bench = _manage_production("shell", "-c", code, DJANGO_SETTINGS_MODULE="tuyenquang_pcmt.settings.bench")
    assert bench.returncode == 0, bench.stderr
    assert bench.stdout.split("APPS", 1)[1].split() == [*apps, "apps.bench"]
    assert _manage_production("benchmark_report", "--help").returncode != 0
    assert (
        _manage_production(
            "benchmark_report", "--help", DJANGO_SETTINGS_MODULE="tuyenquang_pcmt.settings.bench"
        ).returncode
        == 0
    )


def test_seed_demo_refuses_when_demo_data_is_not_allowed(db, settings):
    settings.PCMT_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="minh họa"):
        call_command("seed_demo")
