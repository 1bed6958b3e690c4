# Audience groups and the plan targets (apps/prevention/reference.py).
from django.db import migrations


def forward(apps, schema_editor):
    from apps.prevention.reference import sync_reference

    sync_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("prevention", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
