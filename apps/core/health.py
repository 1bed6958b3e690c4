"""The checks behind /healthz/: what a province's monitoring needs to page someone, and nothing a
stranger could use (no names, no hosts, no versions)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .models import WorkerHeartbeat

DB_QUEUE_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"


def _ping(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _pending_migrations(connection) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _existing(path: Path) -> Path:
    # The media folder may not exist yet on a fresh server: measure the disk it will be on.
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_database() -> dict[str, Any]:
    try:
        _ping(connections["default"])
    except DatabaseError:
        return {"ok": False}
    return {"ok": True}


def check_migrations() -> dict[str, Any]:
    try:
        pending = _pending_migrations(connections["default"])
    except DatabaseError:
        return {"ok": False, "pending": None}
    return {"ok": pending == 0, "pending": pending}


def check_worker() -> dict[str, Any]:
    """The newest heartbeat of any worker, when jobs go through the database queue (with another
    backend, e.g. the tests' immediate one, there is no worker of ours to watch)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND")
    if backend == RQ_BACKEND:
        return check_rq_workers()
    if backend != DB_QUEUE_BACKEND:
        return {"ok": True, "age_seconds": None}
    try:
        last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    except DatabaseError:
        return {"ok": False, "age_seconds": None}
    if last is None:
        return {"ok": False, "age_seconds": None}
    age = max(0, int((timezone.now() - last).total_seconds()))
    return {"ok": age <= settings.PCMT_HEALTH_WORKER_MAX_AGE_SECONDS, "age_seconds": age}


def rq_worker_beats() -> list[dt.datetime]:
    """Last heartbeats of the RQ workers registered in Redis (RQ drops a worker's key when it stops
    beating for its TTL, so a dead worker is not listed)."""
    import django_rq
    from rq import Worker

    workers = Worker.all(connection=django_rq.get_connection("default"))
    return [w.last_heartbeat for w in workers if w.last_heartbeat is not None]


def check_rq_workers() -> dict[str, Any]:
    """PCMT_TASKS_BACKEND=rq: at least one RQ worker alive; age of the newest heartbeat for the
    record (an idle RQ worker beats every --worker-ttl seconds, README)."""
    from redis.exceptions import RedisError

    try:
        beats = rq_worker_beats()
    except RedisError:
        return {"ok": False, "age_seconds": None}
    if not beats:
        return {"ok": False, "age_seconds": None}
    newest = max(b if b.tzinfo else b.replace(tzinfo=dt.UTC) for b in beats)
    return {"ok": True, "age_seconds": max(0, int((timezone.now() - newest).total_seconds()))}


def check_replica() -> dict[str, Any]:
    """DATABASE_REPLICA_URL set: the dashboards read there, so a replica that does not answer is
    an outage of the dashboards (README: unset the variable to read the primary again)."""
    try:
        _ping(connections["replica"])
    except DatabaseError:
        return {"ok": False}
    return {"ok": True}


def check_disk() -> dict[str, Any]:
    free_mb = shutil.disk_usage(_existing(Path(settings.MEDIA_ROOT))).free // 2**20
    minimum = settings.PCMT_HEALTH_MIN_FREE_DISK_MB
    return {"ok": free_mb >= minimum, "free_mb": free_mb, "min_free_mb": minimum}


def run_checks() -> dict[str, Any]:
    checks = {"database": check_database()}
    if checks["database"]["ok"]:
        checks["migrations"] = check_migrations()
        checks["worker"] = check_worker()
    else:
        checks["migrations"] = {"ok": False, "pending": None}
        checks["worker"] = {"ok": False, "age_seconds": None}
    checks["disk"] = check_disk()
    if "replica" in settings.DATABASES:
        checks["replica"] = check_replica()
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "fail", "checks": checks}
