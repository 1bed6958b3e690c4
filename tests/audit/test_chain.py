"""The audit log is a hash chain: any rewrite made behind the application's back (raw SQL, a
restored backup with an edited row, a deleted row) is found by ``verify_audit_chain``."""

import hashlib
import io
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.audit import chain
from apps.audit.models import AuditLogEntry
from apps.audit.services import audit_record, audit_record_many
from apps.core.context import RequestContext, reset_request_context, set_request_context
from tests.utils import assert_query_budget


@contextmanager
def behind_the_applications_back():
    """A cursor that may rewrite the log: on PostgreSQL the append-only trigger is disabled for the
    test's transaction (the test database's superuser owns the table; rolled back with the test)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # the rows written by the test still have deferred foreign-key checks pending
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE audit_auditlogentry DISABLE TRIGGER audit_log_append_only")
        yield cur
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditlogentry ENABLE TRIGGER audit_log_append_only")


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


@pytest.fixture
def entries(world, officer_a):
    """Entries with every kind of value the log holds (context, JSON, unicode, IPv6, reads)."""
    token = set_request_context(
        RequestContext(client_ip="2001:db8::7", user_agent="Chromium ✓", request_id=uuid.uuid4())
    )
    try:
        made = [
            audit_record(
                actor=officer_a,
                action="cases.casefile.update",
                obj=world.commune_a,
                area=world.commune_a,
                before={"full_name": "Nguyễn Văn A", "score": 1.0, "ratio": 0.1, "tags": ["x", 2]},
                after={"full_name": "Nguyễn Văn Á", "score": 2.5, "nested": {"b": None, "a": True}},
                message="sửa\nhai dòng",
            ),
            audit_record(actor=None, action="accounts.login_failed", username="kẻ lạ"),
        ]
    finally:
        reset_request_context(token)
    made += audit_record_many(
        [{"actor": officer_a, "action": "x.y.bulk", "area": world.commune_a, "after": {"i": i}} for i in range(5)]
    )
    made.append(audit_record(actor=officer_a, action="x.y.last", area=world.commune_b))
    return made


def test_each_entry_stores_its_hash_and_the_previous_entrys(entries):
    stored = list(AuditLogEntry.objects.order_by("pk"))
    assert [e.pk for e in stored][-len(entries) :] == [e.pk for e in entries]
    for previous, entry in zip(stored, stored[1:], strict=False):
        assert entry.prev_hash == previous.hash
    assert stored[0].prev_hash == "0" * 64
    assert all(len(e.hash) == 64 and int(e.hash, 16) >= 0 for e in stored)
    assert len({e.hash for e in stored}) == len(stored)
    # SHA-256 over the canonical serialisation of the stored content and the previous hash
    first = stored[-len(entries)]
    assert first.hash == hashlib.sha256(chain.canonical(chain.values_of(first), first.prev_hash)).hexdigest()
    assert chain.digest(chain.values_of(first), "1" * 64) != first.hash


def test_an_intact_chain_passes(entries):
    assert f"{AuditLogEntry.objects.count()}" in verify()


def test_an_empty_log_passes(db):
    verify()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("message", "đã sửa"),
        ("actor_username", "người khác"),
        ("after", '{"i": 99}'),
        ("time", "2020-01-01 00:00:00"),
    ],
)
def test_an_edited_row_is_reported_with_its_id(entries, column, value):
    victim = entries[3]
    with behind_the_applications_back() as cur:
        cur.execute(f"UPDATE audit_auditlogentry SET {column} = %s WHERE id = %s", [value, victim.pk])  # noqa: S608
    with pytest.raises(CommandError, match=rf"#{victim.pk}\b"):
        verify()


def test_a_row_rewritten_with_a_recomputed_hash_breaks_the_next_link(entries):
    victim, following = entries[3], entries[4]
    with behind_the_applications_back() as cur:
        cur.execute("UPDATE audit_auditlogentry SET message = 'giả', hash = %s WHERE id = %s", ["f" * 64, victim.pk])
    with pytest.raises(CommandError) as error:
        verify()
    # the forged row itself no longer matches its content; it is the first broken link
    assert f"#{victim.pk}" in str(error.value)
    assert f"#{following.pk}" not in str(error.value)


def test_a_deleted_row_is_detected(entries):
    victim, following = entries[2], entries[3]
    with behind_the_applications_back() as cur:
        cur.execute("DELETE FROM audit_auditlogentry WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError, match=rf"#{following.pk}\b"):
        verify()


def test_a_deleted_first_row_is_detected(entries):
    first = AuditLogEntry.objects.order_by("pk").first()
    with behind_the_applications_back() as cur:
        cur.execute("DELETE FROM audit_auditlogentry WHERE id = %s", [first.pk])
    with pytest.raises(CommandError):
        verify()


def test_the_bulk_path_stays_one_insert_per_batch_plus_constant_queries(world, officer_a):
    def count(n: int) -> tuple[int, int]:
        records = [{"actor": officer_a, "action": "x.y.bulk", "area": world.commune_a, "obj": world.commune_a}] * n
        with assert_query_budget() as queries:
            audit_record_many(records)
        inserts = [sql for sql in queries.sql if sql.startswith('INSERT INTO "audit_auditlogentry"')]
        return len(inserts), queries.count - len(inserts)

    count(1)  # warms the content type and default area caches
    few, many = count(10), count(900)
    assert few[1] == many[1] <= 3  # the chain costs a lock and one read of the last hash
    # one INSERT per batch (PostgreSQL: 1,000 rows; SQLite: as many as its 999 parameters allow)
    fields = [f for f in AuditLogEntry._meta.concrete_fields if not f.primary_key]
    rows_per_insert = min(1000, connection.ops.bulk_batch_size(fields, [None] * 900))
    assert many[0] == -(-900 // rows_per_insert)
    verify()


def test_two_appends_can_never_share_a_predecessor(entries):
    """The database itself refuses a fork of the chain (a second entry after the same one)."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO audit_auditlogentry (time, actor_username, action, object_id, object_repr, message,"
            " user_agent, prev_hash, hash) SELECT time, '', 'x', '', '', '', '', prev_hash, %s FROM "
            "audit_auditlogentry WHERE id = %s",
            ["e" * 64, entries[-1].pk],
        )


def test_entries_written_before_the_chain_get_their_hashes_from_the_data_migration(entries):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("apps.audit.migrations.0005_chain_existing_entries")
    expected = list(AuditLogEntry.objects.order_by("pk").values_list("pk", "prev_hash", "hash"))
    with behind_the_applications_back() as cur:
        # as the rows were before the chain: no hashes (unique placeholders, as prev_hash is unique)
        cur.execute("UPDATE audit_auditlogentry SET hash = '', prev_hash = CAST(id AS varchar(64))")
    with pytest.raises(CommandError):
        verify()
    # (SQLite's schema editor cannot open inside the test's transaction: the two members fill uses)
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    migration.fill(apps, editor)
    assert list(AuditLogEntry.objects.order_by("pk").values_list("pk", "prev_hash", "hash")) == expected
    verify()
