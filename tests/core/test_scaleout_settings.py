"""Scale-out settings from the environment (issue 14 §4): shared cache, task queue, media storage,
replica — what production gets by default and what each variable switches on."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection

from tests.core.test_production_settings import _manage_production

SHOW = (
    "import json; from django.conf import settings as s; "
    "print('JSON', json.dumps({'caches': s.CACHES, 'tasks': s.TASKS, 'storage': s.STORAGES['default'], "
    "'databases': sorted(s.DATABASES), 'rq': getattr(s, 'RQ_QUEUES', None), "
    "'apps': [a for a in s.INSTALLED_APPS if 'rq' in a], 'hasher': s.PASSWORD_HASHERS[0], "
    "'routers': s.DATABASE_ROUTERS}))"
)


def _settings(**env: str) -> dict:
    result = _manage_production("shell", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("JSON ", 1)[1])


def test_production_defaults_need_no_extra_service():
    got = _settings()
    # Shared by every gunicorn worker: a table of the database, never a per-process memory cache.
    assert got["caches"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert got["tasks"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert got["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert got["databases"] == ["default"]
    assert got["routers"] == []
    assert got["rq"] is None and got["apps"] == []
    assert got["hasher"] == "apps.core.hashers.PcmtArgon2PasswordHasher"


def test_redis_replica_and_object_storage_when_configured():
    got = _settings(
        REDIS_URL="redis://127.0.0.1:6379/2",
        PCMT_TASKS_BACKEND="rq",
        DATABASE_REPLICA_URL="postgres://pcmt_ro@10.0.0.3:5432/pcmt",
        PCMT_MEDIA_STORAGE="s3",
        PCMT_S3_BUCKET="pcmt-media",
        PCMT_S3_ENDPOINT_URL="https://s3.example.vn",
    )
    assert got["caches"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
        "KEY_PREFIX": "pcmt",
    }
    assert got["tasks"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert got["rq"]["default"]["URL"] == "redis://127.0.0.1:6379/2"
    assert got["apps"] == ["django_rq", "django_tasks_rq"]
    assert got["databases"] == ["default", "replica"]
    assert got["routers"] == ["apps.core.db_routers.ReplicaRouter"]
    assert got["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert got["storage"]["OPTIONS"]["bucket_name"] == "pcmt-media"
    assert got["storage"]["OPTIONS"]["default_acl"] == "private"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PCMT_CACHE_URL": "locmemcache://"}, "per-process memory cache"),
        ({"PCMT_TASKS_BACKEND": "rq"}, "REDIS_URL"),
        ({"PCMT_MEDIA_STORAGE": "ftp"}, "PCMT_MEDIA_STORAGE"),
    ],
)
def test_a_setting_that_cannot_work_stops_the_server(env, message):
    result = _manage_production("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_migrate_creates_the_database_cache_table(db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pcmt_cache_test"}
    }
    assert "pcmt_cache_test" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "pcmt_cache_test" in connection.introspection.table_names()


def test_a_first_migrate_has_the_cache_table_before_the_roles_are_synced(transactional_db, settings, caplog):
    # A fresh install: migrate's post_migrate creates the role groups, which moves the shared scope
    # version in the cache. The database cache's table must exist by then, or every first migrate
    # logs "scope version not bumped" once per role.
    from django.contrib.auth.models import Group

    from apps.accounts import roles

    Group.objects.filter(name=roles.COMMUNE_OFFICER).delete()  # as on a fresh database
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pcmt_cache_first"}
    }
    with caplog.at_level("WARNING", logger="apps.core.scoping"):
        call_command("migrate", verbosity=0)  # autocommit: the version is published at once
    assert Group.objects.filter(name=roles.COMMUNE_OFFICER).exists()
    assert "pcmt_cache_first" in connection.introspection.table_names()
    assert not [r.getMessage() for r in caplog.records if "scope version not bumped" in r.getMessage()]
