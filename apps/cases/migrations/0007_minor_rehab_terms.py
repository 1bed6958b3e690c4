# Compulsory-rehab terms for minors aged 12 to under 18 (Law 2021 Art. 33), shipped unverified.
from django.db import migrations


def forward(apps, schema_editor):
    from apps.cases.reference import sync_reference

    sync_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_backfill_stock_spans")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
