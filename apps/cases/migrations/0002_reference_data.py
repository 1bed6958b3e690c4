# Ethnic groups, substances, versioned legal durations and holidays (apps/cases/reference.py).
from django.db import migrations


def forward(apps, schema_editor):
    from apps.cases.reference import sync_reference

    sync_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
