# Vietnamese alphabetical order for lists of names (apps/core/collation.py): an ICU collation on
# PostgreSQL. SQLite gets a collation of the same name from apps.core.collation on each connection.
from django.db import migrations

from apps.core.collation import COLLATION


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS {COLLATION} (provider = icu, locale = 'vi-VN', deterministic = true)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP COLLATION IF EXISTS {COLLATION}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_worker_heartbeat")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
