# Existing files get their counting spans from their events (issue 10 §1), with the same pure
# function the services use, so the figures read the spans from the first request on.
from types import SimpleNamespace

from django.db import migrations


def forward(apps, schema_editor):
    from apps.cases import stocks

    models = SimpleNamespace(
        **{name: apps.get_model("cases", name) for name in ("CaseFile", "CaseEvent", "StockSpan", "LegalDuration", "Holiday")}
    )
    ids = list(models.CaseFile.objects.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), 2000):
        stocks.rebuild(ids[i : i + 2000], models=models)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_stock_spans")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
