# The entries written before the chain existed get their hashes, in id order, so the whole log is
# one chain from its first entry. On PostgreSQL this is the one rewrite the append-only trigger
# lets through: migrations run as the role owning the table, which may disable it for the
# duration of this migration's transaction (the runtime role cannot; README "Production").
from django.db import migrations

from apps.audit import chain

TABLE = "audit_auditlogentry"


def fill(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditLogEntry")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    entries = entry_model._base_manager.using(db).order_by("pk")
    if not entries.exists():
        return
    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in content_type_model._base_manager.using(db).all()}
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        # ALTER TABLE refuses to run while deferred checks of rows written earlier are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_log_append_only")
    prev_hash, batch = chain.GENESIS, []
    for entry in entries.iterator(chunk_size=2000):
        values = {name: getattr(entry, name) for name in chain.HASHED_FIELDS if name != "content_type"}
        values["content_type"] = labels.get(entry.content_type_id)
        entry.prev_hash = prev_hash
        entry.hash = prev_hash = chain.digest(values, prev_hash)
        batch.append(entry)
        if len(batch) == 1000:
            entry_model._base_manager.using(db).bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    entry_model._base_manager.using(db).bulk_update(batch, ["prev_hash", "hash"])
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_log_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_fields"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
