"""Local development: DEBUG on, a fixed non-secret key, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-0123456789")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Dev-only apps (benchmarks, demo data): never in production (see settings/bench.py for measuring
# with production settings).
INSTALLED_APPS = [*INSTALLED_APPS, "apps.bench", "apps.demo"]  # noqa: F405
