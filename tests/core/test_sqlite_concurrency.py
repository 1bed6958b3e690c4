"""SQLite in a commune office: several officers saving at the same moment against one database file.

The test database is in memory; each test copies it (schema and the rows it created) into a file and
gives every thread its own connection to that file, configured exactly like the application's
(``settings.DATABASES``), then sends real requests through the views and services. With deferred
transactions two writers deadlock on the upgrade from read to write lock and one gets "database is
locked" (500) at once, whatever the busy timeout.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client
from django.urls import reverse

from apps.cases.models import CaseFile
from tests.cases.test_views import edit_data
from tests.factories.cases import make_case

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only"
)


def _copy_to_file(path: Path) -> dict:
    """The test database as a file, and the settings of a connection to it (the app's OPTIONS)."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return {**connection.settings_dict, "NAME": str(path)}


def _run_in_threads(settings_dict: dict, jobs) -> list:
    """Run each job in its own thread, all released together, each on its own connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(index, job):
        wrapper = DatabaseWrapper(settings_dict, "default")
        connections["default"] = wrapper  # thread-local: this thread's requests use the file
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - a failure is a result to count, not a crash
            results[index] = exc
        finally:
            wrapper.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _officer_saves(user, cases, n_rounds):
    def job():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        statuses = []
        for round_ in range(n_rounds):
            for case in cases:
                current = CaseFile.objects.get(pk=case.pk)
                data = edit_data(current, **{"c-notes": f"Lần {round_} của {user.username}"})
                statuses.append(client.post(reverse("cases:casefile_edit", args=[case.pk]), data).status_code)
        return statuses

    return job


@pytest.mark.django_db(transaction=True)
def test_sqlite_is_configured_for_concurrent_writers():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 10  # seconds a writer waits for the lock (SQLite's busy timeout)


@pytest.mark.django_db(transaction=True)
def test_three_officers_saving_in_parallel_never_fail(world, tmp_path):
    officers = [world.user("commune_officer", world.commune_a, f"officer_{i}") for i in range(3)]
    cases = {u.pk: [make_case(u, world.commune_a) for _ in range(4)] for u in officers}
    settings_dict = _copy_to_file(tmp_path / "office.sqlite3")

    # 3 officers × 4 files × 5 rounds = 60 saves, all at the same time.
    results = _run_in_threads(settings_dict, [_officer_saves(u, cases[u.pk], 5) for u in officers])

    statuses = Counter()
    for result in results:
        assert not isinstance(result, Exception), result
        statuses.update(result)
    assert statuses == {302: 60}


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_edit_of_the_same_file_gets_409_not_500(world, tmp_path):
    officers = [world.user("commune_officer", world.commune_a, f"officer_{i}") for i in range(4)]
    case = make_case(officers[0], world.commune_a)
    data = edit_data(case)  # everybody opened the form at version 1
    settings_dict = _copy_to_file(tmp_path / "office.sqlite3")

    def save_as(user, note):
        def job():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            return client.post(reverse("cases:casefile_edit", args=[case.pk]), {**data, "c-notes": note}).status_code

        return job

    results = _run_in_threads(settings_dict, [save_as(u, f"Ghi chú {i}") for i, u in enumerate(officers)])

    assert sorted(results) == [302, 409, 409, 409]
