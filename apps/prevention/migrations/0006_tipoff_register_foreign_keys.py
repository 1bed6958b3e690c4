"""The tip-off's register links become foreign keys, keeping their values (0005 cleared the dangling ones).

A rename then an alter, so the column keeps its name (``crime_case_id``, ``hotspot_id``) and its
data; a remove-and-add would drop every link."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("prevention", "0005_tipoff_null_dangling_register_links"),
        ("registers", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="tipoff", old_name="crime_case_id", new_name="crime_case"),
        migrations.AlterField(
            model_name="tipoff",
            name="crime_case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tip_offs",
                to="registers.crimecase",
                verbose_name="mã vụ án liên quan",
            ),
        ),
        migrations.RenameField(model_name="tipoff", old_name="hotspot_id", new_name="hotspot"),
        migrations.AlterField(
            model_name="tipoff",
            name="hotspot",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tip_offs",
                to="registers.hotspot",
                verbose_name="mã điểm, tụ điểm liên quan",
            ),
        ),
    ]
