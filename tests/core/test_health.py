"""/healthz/ for the province's monitoring: database, migrations, worker heartbeat, free disk;
no login, no personal data, 200 when all hold and 503 otherwise."""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.core import health
from apps.core.models import WorkerHeartbeat
from tests.factories.cases import make_case

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
URL = "/healthz/"


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_QUEUE
    return settings


def test_url_is_stable():
    assert reverse("core:health") == URL


def test_all_good_answers_200_without_login(db, client, db_queue):
    WorkerHeartbeat.beat("host:1")
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "migrations", "worker", "disk"}
    assert all(check["ok"] for check in data["checks"].values())
    assert "no-store" in response["Cache-Control"]


def test_no_worker_heartbeat_answers_503(db, client, db_queue):
    data = client.get(URL).json()
    assert data["status"] == "fail"
    assert data["checks"]["worker"]["ok"] is False
    assert client.get(URL).status_code == 503


def test_a_stale_heartbeat_answers_503(db, client, db_queue):
    db_queue.PCMT_HEALTH_WORKER_MAX_AGE_SECONDS = 60
    WorkerHeartbeat.objects.create(worker_id="w", last_seen=timezone.now() - dt.timedelta(seconds=120))
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["age_seconds"] >= 120


def test_without_the_database_queue_there_is_no_worker_to_watch(db, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["ok"] is True


def test_low_disk_answers_503(db, client, db_queue, monkeypatch):
    WorkerHeartbeat.beat("host:1")
    db_queue.PCMT_HEALTH_MIN_FREE_DISK_MB = 500
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(health.shutil, "disk_usage", lambda path: usage(10**12, 10**12 - 100 * 2**20, 100 * 2**20))
    response = client.get(URL)
    assert response.status_code == 503
    disk = response.json()["checks"]["disk"]
    assert disk == {"ok": False, "free_mb": 100, "min_free_mb": 500}


def test_unapplied_migrations_answer_503(db, client, db_queue, monkeypatch):
    WorkerHeartbeat.beat("host:1")
    monkeypatch.setattr(health, "_pending_migrations", lambda connection: 2)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "pending": 2}


def test_database_down_answers_503(db, client, db_queue, monkeypatch):
    from django.db import OperationalError

    def down(connection):
        raise OperationalError("connection refused to 10.1.2.3 user pcmt")

    monkeypatch.setattr(health, "_ping", down)
    response = client.get(URL)
    assert response.status_code == 503
    data = response.json()
    assert data["checks"]["database"]["ok"] is False
    # No connection details (host, role) in an answer anyone may read.
    assert "10.1.2.3" not in response.content.decode()


def test_no_personal_data_in_the_answer(world, officer_a, client, db_queue):
    make_case(officer_a, world.commune_a, full_name="Nguyễn Văn Bí Mật")
    WorkerHeartbeat.beat("pcmt-server-01:4242")
    body = client.get(URL).content.decode()
    for secret in ("Bí Mật", "officer_a", "Trung Sơn", "pcmt-server-01"):
        assert secret not in body


def test_the_worker_loop_records_its_heartbeat(db, db_queue, settings):
    # One pass of the worker's loop (batch mode: it exits when the queue is empty) leaves a beat.
    settings.PCMT_WORKER_HEARTBEAT_SECONDS = 0
    before = timezone.now()
    # The worker closes "old" connections each pass; in a test that is the test's own (PostgreSQL).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("run_worker", "--batch", "--worker-id", "test-worker", "--no-startup-delay", verbosity=0)
    beat = WorkerHeartbeat.objects.get(worker_id="test-worker")
    assert beat.last_seen >= before


def test_head_is_answered_too(db, client, db_queue):
    # Some probes only send HEAD.
    WorkerHeartbeat.beat("host:1")
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.mark.parametrize(
    ("beats", "ok", "status"),
    [([], False, 503), ([dt.timedelta(seconds=20), dt.timedelta(seconds=5)], True, 200)],
)
def test_with_the_rq_queue_a_registered_rq_worker_is_the_heartbeat(db, client, settings, beats, ok, status):
    # scripts/scaleout.sh checks this against a real Redis and `manage.py rqworker`.
    settings.TASKS = RQ_QUEUE
    now = timezone.now()
    with mock.patch.object(health, "rq_worker_beats", return_value=[now - ago for ago in beats]):
        response = client.get(URL)
    assert response.status_code == status
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is ok
    if ok:
        assert worker["age_seconds"] in (5, 6)  # the newest beat
    else:
        assert worker["age_seconds"] is None


def test_with_the_rq_queue_redis_away_is_a_failed_worker_check(db, client, settings):
    from redis.exceptions import ConnectionError as RedisConnectionError

    settings.TASKS = RQ_QUEUE
    with mock.patch.object(health, "rq_worker_beats", side_effect=RedisConnectionError("down")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "age_seconds": None}


def test_a_configured_replica_is_checked_and_its_failure_reported(db, client, db_queue, monkeypatch):
    # Without DATABASE_REPLICA_URL there is no such check (test_all_good_answers_200_without_login).
    from django.conf import settings as django_settings
    from django.db import OperationalError

    WorkerHeartbeat.beat("host:1")
    monkeypatch.setitem(django_settings.DATABASES, "replica", django_settings.DATABASES["default"])
    pinged = []
    with mock.patch.object(health, "_ping", side_effect=lambda connection: pinged.append(connection.alias)):
        assert client.get(URL).json()["checks"]["replica"] == {"ok": True}
    assert pinged == ["default", "replica"]

    def replica_down(connection):
        if connection.alias == "replica":
            raise OperationalError("could not connect")

    with mock.patch.object(health, "_ping", side_effect=replica_down):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["replica"] == {"ok": False}
