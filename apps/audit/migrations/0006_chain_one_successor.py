from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_chain_existing_entries")]

    operations = [
        migrations.AddConstraint(
            model_name="auditlogentry",
            constraint=models.UniqueConstraint(fields=("prev_hash",), name="audit_chain_one_successor"),
        ),
    ]
