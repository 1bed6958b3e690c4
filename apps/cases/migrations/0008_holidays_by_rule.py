# Public holidays for every year the app sees (2000 to 2045), from the Labour Code's rules with
# the lunar holidays on Vietnam's calendar (apps/cases/public_holidays.py). Years that already
# have rows (2025-2027, shipped by hand) are left as they are.
from django.db import migrations


def forward(apps, schema_editor):
    from apps.cases.public_holidays import FIRST_YEAR, holidays_sync

    holidays_sync(range(FIRST_YEAR, 2046), holiday_model=apps.get_model("cases", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_minor_rehab_terms")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
