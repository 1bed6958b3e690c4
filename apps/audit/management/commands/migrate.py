"""``migrate`` as the role owning the tables when DATABASE_OWNER_URL is set.

The web and worker processes connect as the runtime role (DATABASE_URL), which may not alter the
schema. Here the whole run — schema changes, data migrations and post-migrate handlers, which use
the default alias — goes through the owner's connection, and the runtime role's grants are then
re-applied, so tables a migration creates never end up with other rights than README documents.
Without DATABASE_OWNER_URL this is Django's ``migrate`` unchanged, plus ``createcachetable`` (a no-op
unless the cache is the database table of settings.production).
"""

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections

from .grant_runtime_role import OWNER_ALIAS, owner_alias


class Command(MigrateCommand):
    def handle(self, *args, **options):
        if owner_alias() != OWNER_ALIAS or options["database"] != DEFAULT_DB_ALIAS:
            self._cache_table(options)
            super().handle(*args, **options)
            return None
        runtime = connections[DEFAULT_DB_ALIAS]
        # This thread's "default" is the owner's connection for the run (data migrations and
        # post_migrate handlers write through "default" and must share the migration's transaction).
        connections[DEFAULT_DB_ALIAS] = connections[OWNER_ALIAS]
        try:
            self._cache_table(options)
            super().handle(*args, **options)
        finally:
            connections[DEFAULT_DB_ALIAS] = runtime
        dry = options.get("plan") or options.get("check_unapplied")
        if connections[OWNER_ALIAS].vendor == "postgresql" and not dry:
            call_command("grant_runtime_role", database=OWNER_ALIAS, verbosity=options["verbosity"])
        return None

    @staticmethod
    def _cache_table(options) -> None:
        # The production cache is a table (settings.production, dbcache) that no migration makes:
        # every deployment that migrates gets it too, owned like the others. A no-op for Redis.
        # First, because post_migrate (the role sync) already writes the scope version to it.
        if options.get("plan") or options.get("check_unapplied"):
            return
        call_command("createcachetable", database=options["database"], verbosity=0)
