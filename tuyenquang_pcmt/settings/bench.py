"""Measuring: the production settings plus the dev-only benchmark app, so ``manage.py benchmark*``
measures what production runs (DEBUG off, the production cache and middleware) without shipping
benchmark code in production's INSTALLED_APPS. Use on a database of its own, never a real one."""

from .production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "apps.bench"]  # noqa: F405
