"""The chain's lock is held for as few round trips as the append needs (issue 14 §3: every audited
read — a case page, a list — queues on it). On PostgreSQL the lock and the read of the last hash
go in one round trip; the second statement still sees every append committed while waiting
(test_chain_concurrency.py holds the chain under parallel appends)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.services import audit_record
from tests.audit.test_chain import verify


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock is PostgreSQL's")
def test_the_lock_and_the_last_hash_are_one_round_trip(world, officer_a):
    audit_record(actor=officer_a, action="x.y.view", area=world.commune_a)  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        audit_record(actor=officer_a, action="x.y.view", area=world.commune_a)
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 2, sql  # lock + last hash, insert
    assert "pg_advisory_xact_lock" in sql[0] and 'FROM "audit_auditlogentry"' in sql[0], sql
    assert sql[1].startswith('INSERT INTO "audit_auditlogentry"'), sql
    verify()
