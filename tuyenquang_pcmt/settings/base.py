"""Settings shared by every environment.

Everything is declared here and read from the environment (django-environ, optional ``.env``);
dev/test/production only override values, so no setting exists only in production.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = BASE_DIR / "apps"

env = environ.Env()
env.read_env(str(BASE_DIR / ".env"), overwrite=False)

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy everywhere, whatever the browser locale says.
FORMAT_MODULE_PATH = ["tuyenquang_pcmt.formats"]

# DATABASES
# ------------------------------------------------------------------------------
# SQLite is the embedded default so the run command works anywhere; PostgreSQL is production.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several officers and the worker write at once. WAL lets readers run beside the writer; the busy
    # timeout makes a writer wait its turn instead of failing; IMMEDIATE takes the write lock at BEGIN,
    # because a deferred transaction that reads and then writes deadlocks with another such writer and
    # SQLite then answers "database is locked" at once, without waiting (tests/core/test_sqlite_concurrency.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Two PostgreSQL roles (README "Production", "The audit log"): DATABASE_URL is the runtime role of the
# web and worker processes, which may append to the audit log but not rewrite it; DATABASE_OWNER_URL
# (optional) is the role owning the tables, used by `migrate` and `grant_runtime_role` only.
DATABASE_OWNER_URL = env("DATABASE_OWNER_URL", default="")
if DATABASE_OWNER_URL:
    DATABASES["owner"] = {**env.db_url_config(DATABASE_OWNER_URL), "ATOMIC_REQUESTS": False, "CONN_MAX_AGE": 0}
    # Tests run on one throw-away database; the owner alias is the same connection there.
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
# A PostgreSQL streaming replica (optional, off by default): dashboard and report pages read from it
# (apps.core.db_routers), everything else — and every write — uses the primary. Its role needs only
# SELECT; a replica is read-only anyway.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**env.db_url_config(DATABASE_REPLICA_URL), "ATOMIC_REQUESTS": False}
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    # Tests run on one database: the replica alias reads it too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # Only then: without a replica every query is the primary's, with no router asked.
    DATABASE_ROUTERS = ["apps.core.db_routers.ReplicaRouter"]
# URL names (namespace:name, or namespace:* for a whole app) whose GET requests read from the replica.
PCMT_REPLICA_VIEWS = env.list(
    "PCMT_REPLICA_VIEWS",
    default=["reporting:dashboard", "reporting:commune_dashboard", "reports:index", "reports:archive"],
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# dumpdata/loaddata keep timestamps to the microsecond (Django's JSON cuts them to milliseconds).
SERIALIZATION_MODULES = {"json": "apps.core.serialization.json", "jsonl": "apps.core.serialization.jsonl"}

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "tuyenquang_pcmt.urls"
WSGI_APPLICATION = "tuyenquang_pcmt.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "axes",
    "csp",
    "import_export",
    "django_tasks",  # the tasks framework (backport of Django 6's django.tasks)
    "django_tasks_db",  # its database queue: nothing to run but `manage.py db_worker`
]
LOCAL_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.areas",
    "apps.audit",
    "apps.cases",
    "apps.registers",
    "apps.classification",
    "apps.prevention",
    "apps.reporting",  # after the apps it reads
    "apps.reports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out account is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "apps.core.backends.AreaPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id first (OWASP's first choice): new passwords and every login with an older hash (PBKDF2,
# or Argon2 with other parameters) are rehashed with it; the others stay to check hashes not yet
# upgraded (Django's own Argon2 hasher is not listed: ours reads every "argon2$" hash). Parameters
# measured on the 2-core server (README "Mật khẩu"): the OWASP minimum m=19 MiB, t=2, p=1 takes
# about 65 ms a login under load, PBKDF2's 1,000,000 rounds about 1 s — which is what made 100
# officers logging in at 08:00 wait for each other.
PASSWORD_HASHERS = [
    "apps.core.hashers.PcmtArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Memory in KiB, passes, lanes. Raise them when the server allows (each login holds the memory for
# its duration); never below OWASP's m=19456, t=2, p=1.
PCMT_ARGON2_MEMORY_KIB = env.int("PCMT_ARGON2_MEMORY_KIB", default=19_456)
PCMT_ARGON2_TIME_COST = env.int("PCMT_ARGON2_TIME_COST", default=2)
PCMT_ARGON2_PARALLELISM = env.int("PCMT_ARGON2_PARALLELISM", default=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "apps.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.validators.CharacterClassValidator"},
]

# Lockout after repeated failures (django-axes): per username + IP so one user cannot lock out a whole LAN.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.lockout_response"
AXES_VERBOSE = False
# Behind a TLS proxy every request comes from the proxy's address, so one person's failures would
# lock the account for everyone: count the address the proxy saw instead. Number of trusted proxies in
# front of the app that append to X-Forwarded-For (nginx: 1); 0 (default) ignores the header, which
# anybody can forge when no proxy overwrites it. Also used for the audit log's client address.
PCMT_TRUSTED_PROXIES = env.int("PCMT_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "apps.core.middleware.client_ip"

# Idle timeout: the session is renewed while the user is active (apps.accounts.middleware, at most
# once per SESSION_RENEW_SECONDS: not a database write per page), so it expires after N minutes
# without activity (N minus at most that interval).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, their per-page read compiled once (apps.accounts.sessions)
SESSION_ENGINE = "apps.accounts.sessions"
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after the sessions: renews the idle timeout once the view is done (a login filled the
    # session, a logout emptied it), before SessionMiddleware saves it.
    "apps.accounts.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    # After auth and messages: a replayed form (double tap, resubmit) records nothing.
    "apps.core.formtokens.FormTokenMiddleware",
    # Last: the session and user are read from the primary before a dashboard's reads may go to the
    # replica (a no-op without DATABASE_REPLICA_URL).
    "apps.core.db_routers.ReplicaReadsMiddleware",
]

# STATIC / MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where `collectstatic` puts the files WhiteNoise serves (hashed names, compressed copies).
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded attachments and issued reports: the local MEDIA_ROOT folder (default, one server), or an
# S3-compatible object store (django-storages) that several app servers share. "filesystem" | "s3".
PCMT_MEDIA_STORAGE = env.str("PCMT_MEDIA_STORAGE", default="filesystem")
if PCMT_MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("PCMT_S3_BUCKET"),
            "endpoint_url": env.str("PCMT_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PCMT_S3_REGION", default="") or None,
            "access_key": env.str("PCMT_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("PCMT_S3_SECRET_KEY", default="") or None,
            # Personal data: private objects, reached only through the app's own (checked) views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif PCMT_MEDIA_STORAGE != "filesystem":
    raise ValueError(f"PCMT_MEDIA_STORAGE must be 'filesystem' or 's3', not {PCMT_MEDIA_STORAGE!r}")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Where uploaded spreadsheets wait between the dry-run preview and the confirmation.
IMPORT_TMP_DIR = env.path("IMPORT_TMP_DIR", default=str(BASE_DIR / "var" / "imports"))
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=10)
# Caps checked while a sheet is streamed, so a small hostile file cannot exhaust the server:
# data rows per file (about 30 s per step on PostgreSQL, within gunicorn's 60 s timeout),
# columns, characters in one cell, and the unpacked size of an .xlsx (a zip).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=40)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=2_000)
IMPORT_MAX_XLSX_UNPACKED_MB = env.int("IMPORT_MAX_XLSX_UNPACKED_MB", default=30)
# Files with more data rows are previewed and imported by the worker (db_worker), with progress.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=3_000)
# A previewed file (personal data) waiting for confirmation is deleted after this many minutes.
IMPORT_PENDING_MAX_AGE_MINUTES = env.int("IMPORT_PENDING_MAX_AGE_MINUTES", default=60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.core.context_processors.navigation",
            ],
            # {% form_token %} in every state-changing form without a {% load %} (apps.core.formtokens).
            "builtins": ["apps.core.templatetags.formtokens"],
        },
    }
]

# SECURITY
# ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy from django-csp (Django 5.2 has none of its own). No CDN and no inline
# script: everything comes from this server (tests/core/test_security_headers.py greps the
# templates); styles keep 'unsafe-inline' for the style= attributes of the SVG charts and tables.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Sent by apps.core.middleware.SecurityHeadersMiddleware with Cache-Control: no-store.
PCMT_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# CACHE
# ------------------------------------------------------------------------------
# One cache for every process serving the site (the dashboards' aggregates): gunicorn workers and app
# servers must share it, or a change seen through one would leave another serving its own old copy
# until it expires. PCMT_CACHE_URL (django-environ cache URL: redis://127.0.0.1:6379/1,
# dbcache://pcmt_cache) wins; else REDIS_URL; else a per-process memory cache, which only development
# (one runserver process) may use — settings.production defaults to the database table instead.
REDIS_URL = env.str("REDIS_URL", default="")
PCMT_CACHE_URL = env.str("PCMT_CACHE_URL", default="") or REDIS_URL
if PCMT_CACHE_URL:
    CACHES = {"default": env.cache_url_config(PCMT_CACHE_URL)}
    if CACHES["default"]["LOCATION"] and PCMT_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        # Django's own Redis backend, also when django-redis happens to be installed.
        CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PCMT_CACHE_KEY_PREFIX = env.str("PCMT_CACHE_KEY_PREFIX", default="pcmt")
CACHES["default"]["KEY_PREFIX"] = PCMT_CACHE_KEY_PREFIX

# IMPORT / EXPORT
# ------------------------------------------------------------------------------
# One transaction per file: a file is imported whole or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# LOGGING
# ------------------------------------------------------------------------------
# One line per request (logger ``pcmt.request``) and every record carry the request id that the
# audit entries of that request carry. "plain" text, or "json": one object per line for a collector.
PCMT_LOG_FORMAT = env.str("PCMT_LOG_FORMAT", default="plain")
if PCMT_LOG_FORMAT not in ("plain", "json"):
    raise ValueError(f"PCMT_LOG_FORMAT must be 'plain' or 'json', not {PCMT_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "apps.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": PCMT_LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Django's own per-request lines for 4xx/5xx would duplicate ours (errors stay: ERROR level).
        "django.request": {"level": "ERROR"},
    },
}

# PROJECT
# ------------------------------------------------------------------------------
# `manage.py seed_demo` (accounts with a published password, invented people) runs only where this is
# true; settings.production forces it off.
PCMT_ALLOW_DEMO_DATA = env.bool("PCMT_ALLOW_DEMO_DATA", default=True)
# The province whose data this instance holds (statistics-office code, current generation).
PCMT_PROVINCE_CODE = env("PCMT_PROVINCE_CODE", default="8")
# Days a used one-time form token is kept (apps/core/formtokens.py): a form re-sent within this
# time answers with its first result instead of being recorded twice.
FORM_TOKEN_KEEP_DAYS = env.int("FORM_TOKEN_KEEP_DAYS", default=30)

# ACCESS TO PERSONAL DATA
# ------------------------------------------------------------------------------
# A reason given to open a record outside one's own commune ("break-glass") is remembered for that
# record for this many minutes of the session.
PCMT_BREAK_GLASS_MINUTES = env.int("PCMT_BREAK_GLASS_MINUTES", default=30)
# Duplicate checks that tell an officer whether a person has a file elsewhere, per user per day.
PCMT_LOOKUP_DAILY_LIMIT = env.int("PCMT_LOOKUP_DAILY_LIMIT", default=100)
# An import preview matching more people with files in other communes stops and asks the province.
PCMT_IMPORT_CROSS_COMMUNE_MAX = env.int("PCMT_IMPORT_CROSS_COMMUNE_MAX", default=5)
# The monthly access digest flags an account that checked more distinct identifiers than this.
PCMT_DIGEST_PROBE_THRESHOLD = env.int("PCMT_DIGEST_PROBE_THRESHOLD", default=30)

# REPORTING
# ------------------------------------------------------------------------------
# Data window of a period: from this day of the month before the period to the day before it in the
# period's last month (15 → "15th to 14th", domain.md §5; 1 → calendar months). A row of
# reporting.ReportingSettings (admin) overrides both values.
PCMT_PERIOD_START_DAY = env.int("PCMT_PERIOD_START_DAY", default=15)
PCMT_PERIOD_DEADLINE_DAYS = env.int("PCMT_PERIOD_DEADLINE_DAYS", default=2)  # 14th + 2 = the 16th (TT 13/2022)
# Dashboards' aggregates cached under a data stamp (0 disables; see apps/reporting/selectors.py).
PCMT_DASHBOARD_CACHE_SECONDS = env.int("PCMT_DASHBOARD_CACHE_SECONDS", default=300)
# Each commune's indicators stored per data window and recomputed only when its data changed
# (apps/reporting/figures.py); False computes every figure live.
PCMT_FIGURES_PRECOMPUTED = env.bool("PCMT_FIGURES_PRECOMPUTED", default=True)
# After a change, a background job recomputes that commune's stored figures of the windows read in
# the last PCMT_FIGURES_HOT_DAYS days (older windows are recomputed when next read); False leaves
# every recomputation to the next read.
PCMT_FIGURES_REFRESH = env.bool("PCMT_FIGURES_REFRESH", default=True)
PCMT_FIGURES_HOT_DAYS = env.int("PCMT_FIGURES_HOT_DAYS", default=14)

# BACKGROUND JOBS
# ------------------------------------------------------------------------------
# The queue is a table of the database (django-tasks-db), so the default setup needs nothing but
# the worker (`manage.py db_worker`). README "Production" explains the switch to Redis.
# "db" (default): django-tasks-db, worker `manage.py run_worker`. "rq": django-tasks-rq on Redis
# (REDIS_URL), worker `manage.py rqworker --job-class django_tasks_rq.Job default`, for several app
# servers or many jobs.
PCMT_TASKS_BACKEND = env.str("PCMT_TASKS_BACKEND", default="db")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if PCMT_TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ValueError("PCMT_TASKS_BACKEND=rq needs REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A report may take minutes on a busy server: RQ's default job timeout (180 s) would kill it.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}
elif PCMT_TASKS_BACKEND != "db":
    raise ValueError(f"PCMT_TASKS_BACKEND must be 'db' or 'rq', not {PCMT_TASKS_BACKEND!r}")
# The worker (`manage.py run_worker`) records a heartbeat every N seconds from its loop.
PCMT_WORKER_HEARTBEAT_SECONDS = env.int("PCMT_WORKER_HEARTBEAT_SECONDS", default=15)

# BACKUP (manage.py backup / restore; README "Sao lưu và phục hồi")
# ------------------------------------------------------------------------------
# Where `manage.py backup` writes pcmt-<UTC time>.tar when no --output is given.
PCMT_BACKUP_DIR = env.path("PCMT_BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))
# Folder of pg_dump/pg_restore; empty: the server's major version under /usr/lib/postgresql, else PATH.
PCMT_PG_BIN_DIR = env.str("PCMT_PG_BIN_DIR", default="")
# The application's commit recorded in a backup's manifest when the code is not a git checkout
# (e.g. an installed release); git's HEAD wins when there is one.
PCMT_APP_COMMIT = env.str("PCMT_APP_COMMIT", default="")

# HEALTH (/healthz/, for the monitoring; no login, no personal data)
# ------------------------------------------------------------------------------
# 503 when the newest worker heartbeat is older than this (a long import or PDF delays beats).
PCMT_HEALTH_WORKER_MAX_AGE_SECONDS = env.int("PCMT_HEALTH_WORKER_MAX_AGE_SECONDS", default=300)
# 503 when the disk holding the media folder has less free space than this.
PCMT_HEALTH_MIN_FREE_DISK_MB = env.int("PCMT_HEALTH_MIN_FREE_DISK_MB", default=1024)
