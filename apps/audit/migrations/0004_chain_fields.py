from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_area_change")]

    operations = [
        migrations.AddField(
            model_name="auditlogentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="mã băm của mục trước"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditlogentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="mã băm"),
            preserve_default=False,
        ),
    ]
