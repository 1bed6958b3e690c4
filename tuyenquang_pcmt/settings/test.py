"""Test settings: fast hashing, in-memory e-mail and cache, same apps and middleware as production."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# One folder per pytest-xdist worker: a test that purges or counts previews must not see another
# worker's files.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
IMPORT_TMP_DIR = env.path("IMPORT_TMP_DIR", default=str(BASE_DIR / "var" / f"test-imports-{_WORKER}"))
# A subprocess given DJANGO_MEDIA_ROOT (the backup round trip restores into a new folder) keeps it.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / f"test-media-{_WORKER}"))
PCMT_BACKUP_DIR = env.path("PCMT_BACKUP_DIR", default=str(BASE_DIR / "var" / f"test-backups-{_WORKER}"))
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Serve static files straight from static/ (no collectstatic) so browser tests get CSS and JS.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Jobs run at once in tests (the database queue itself is tested in tests/reports/test_tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The locmem cache outlives a test's database.
PCMT_DASHBOARD_CACHE_SECONDS = 0
# The dev-only apps are tested too (benchmark seeders at tiny scale, the demo seed).
INSTALLED_APPS = [*INSTALLED_APPS, "apps.bench", "apps.demo"]  # noqa: F405
