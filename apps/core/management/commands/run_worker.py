"""``manage.py run_worker``: django-tasks-db's ``db_worker`` (same options) that also records a
heartbeat (``core.WorkerHeartbeat``) from its loop, read by /healthz/."""

from __future__ import annotations

import os
import socket
import time

from django.conf import settings
from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker

from apps.core.models import WorkerHeartbeat


class HeartbeatWorker(db_worker.Worker):
    """The upstream loop tests ``self.running`` at the top of every pass and before it sleeps, so
    reading it is the one point every pass goes through: the beat is written there (throttled).
    A thread would keep beating while the loop itself is stuck; this cannot."""

    def __init__(self, **kwargs) -> None:
        self._last_beat = float("-inf")
        self._running = True
        super().__init__(**kwargs)

    @property
    def running(self) -> bool:
        if self._running:
            now = time.monotonic()
            if now - self._last_beat >= settings.PCMT_WORKER_HEARTBEAT_SECONDS:
                self._last_beat = now
                self._beat()
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value

    def _beat(self) -> None:
        try:
            WorkerHeartbeat.beat(self.worker_id)
        except DatabaseError:
            # The database is away for a moment: the loop's own queries will say so; a missing beat
            # is what the health check is for.
            db_worker.logger.warning("worker heartbeat not recorded", exc_info=True)


class Command(db_worker.Command):
    help = "Run the background worker (django-tasks database queue) and record its heartbeat."

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, max_tasks, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        exclude = options.get("exclude_queues") or ""
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            # Unique per process (db_worker's default: random) and stable for its life.
            worker_id=options.get("worker_id") or f"{socket.gethostname()}:{os.getpid()}"[:64],
            excluded_queue_names=exclude.split(",") if exclude else [],
        )
        worker.configure_signals()
        worker.run()
