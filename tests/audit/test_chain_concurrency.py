"""Concurrent appends queue on the chain's lock instead of forking it (real commits, PostgreSQL:
the SQLite test database is in memory, where connections of other threads share one cache)."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from apps.audit.models import AuditLogEntry
from apps.audit.services import audit_record, audit_record_many

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs connections of several threads")


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_make_one_unbroken_chain():
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                with transaction.atomic():
                    if i % 3 == 0:
                        audit_record_many([{"actor": None, "action": f"x.t{n}.bulk", "username": "t"}] * 5)
                    else:
                        audit_record(actor=None, action=f"x.t{n}.{i}", username="t")
                    time.sleep(0.005)  # other threads reach the lock meanwhile
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditLogEntry.objects.count() == 4 * (4 * 5 + 6)
    call_command("verify_audit_chain", verbosity=0)
