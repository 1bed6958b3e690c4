# unaccent and pg_trgm back diacritic-insensitive and fuzzy name search on PostgreSQL.
# CreateExtension is a no-op on other backends, so SQLite still migrates.
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [UnaccentExtension(), TrigramExtension()]
