"""Production: only environment-driven overrides of base. Passes ``manage.py check --deploy``."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import PCMT_CACHE_KEY_PREFIX, PCMT_CACHE_URL, env

DEBUG = False
# No default: a missing key must stop the server, not fall back to something guessable.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The monitoring may ask the app directly on loopback, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Persistent connections: a plain CONN_MAX_AGE setting is ignored by Django, it is read per database.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
if "replica" in DATABASES:  # noqa: F405
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]  # noqa: F405
# Demo accounts share one published password: never in a real database.
PCMT_ALLOW_DEMO_DATA = False
# Several gunicorn workers (and perhaps several servers) serve one site: the cache must be shared.
# Without PCMT_CACHE_URL / REDIS_URL it is a table of the database (`manage.py createcachetable`,
# which scripts and README run after migrate) — no extra service; never a per-process memory cache.
if not PCMT_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pcmt_cache",
            "KEY_PREFIX": PCMT_CACHE_KEY_PREFIX,
        }
    }
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":  # noqa: F405
    raise ImproperlyConfigured("A per-process memory cache cannot serve several workers: use Redis or dbcache://.")
