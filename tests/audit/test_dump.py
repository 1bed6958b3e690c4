"""A dump and reload (``dumpdata``/``loaddata``, the portable backup) keeps every audit entry
exactly: to the microsecond, with its hashes, so the reloaded chain still verifies."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from apps.audit.models import AuditLogEntry
from apps.audit.services import audit_record, audit_record_many


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_dump_and_load_keep_audit_timestamps_exactly(world, officer_a, tmp_path, fmt):
    audit_record(actor=officer_a, action="x.y.one", area=world.commune_a, after={"a": 1})
    audit_record_many([{"actor": officer_a, "action": "x.y.many", "area": world.commune_a}] * 3)
    # Sub-millisecond parts are what a JSON dump used to cut off.
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows, still pending
            cur.execute("ALTER TABLE audit_auditlogentry DISABLE TRIGGER audit_log_append_only")
    original = {e.pk: (e.time, e.hash, e.prev_hash) for e in AuditLogEntry.objects.all()}
    assert any(time.microsecond % 1000 for time, _h, _p in original.values()) or len(original) < 3
    dump = tmp_path / f"audit.{fmt}"
    call_command("dumpdata", "audit.auditlogentry", format=fmt, output=str(dump), verbosity=0)

    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditlogentry")
    call_command("loaddata", str(dump), verbosity=0)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE audit_auditlogentry ENABLE TRIGGER audit_log_append_only")

    reloaded = {e.pk: (e.time, e.hash, e.prev_hash) for e in AuditLogEntry.objects.all()}
    assert reloaded == original
    call_command("verify_audit_chain", verbosity=0)


def test_a_json_dump_keeps_microseconds_of_any_datetime(world, officer_a):
    from django.core import serializers

    entry = audit_record(actor=officer_a, action="x.y.z", area=world.commune_a)
    stored = AuditLogEntry.objects.get(pk=entry.pk).time
    text = serializers.serialize("json", [AuditLogEntry.objects.get(pk=entry.pk)])
    loaded = next(serializers.deserialize("json", text)).object.time
    assert loaded == stored
    assert isinstance(loaded, dt.datetime)
