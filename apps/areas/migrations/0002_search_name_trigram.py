# A trigram index makes "contains" search on the diacritic-free name an index scan on PostgreSQL.
from django.db import migrations

FORWARD = "CREATE INDEX IF NOT EXISTS areas_unit_search_trgm ON areas_administrativeunit USING gin (search_name gin_trgm_ops)"
BACKWARD = "DROP INDEX IF EXISTS areas_unit_search_trgm"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial"), ("core", "0001_postgres_extensions")]
    operations = [migrations.RunPython(forward, backward)]
