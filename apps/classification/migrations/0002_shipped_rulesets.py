# The shipped rule sets (fixtures/rulesets/*.json: QĐ 3122/2010/QĐ-BCA, QĐ 28/2025/QĐ-TTg).
# Idempotent: a rule set whose code already exists is left as it is (legal staff may have replaced it).
from django.db import migrations


def forward(apps, schema_editor):
    from apps.classification.services import load_shipped

    load_shipped(
        models=(
            apps.get_model("classification", "RuleSet"),
            apps.get_model("classification", "RuleLevel"),
            apps.get_model("classification", "Criterion"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("classification", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
