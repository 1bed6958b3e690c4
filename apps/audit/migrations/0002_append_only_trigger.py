# Defence in depth: on PostgreSQL the database itself refuses UPDATE and DELETE of audit rows, so
# not even raw SQL from the application can rewrite history. (TRUNCATE, used by test flushes and
# by a DBA on purpose, is a different privilege and is not blocked.)
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditlogentry is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_auditlogentry;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_auditlogentry;
DROP FUNCTION IF EXISTS audit_log_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
