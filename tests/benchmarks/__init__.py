"""Scripts that measure, run by hand (`make bench-search`, `make bench-scale`), not by pytest; and
what they share: starting Django as production runs it, and refusing in one line what can't run."""

import os
import secrets
import sys


class CantRun(Exception):
    """The database can't run the benchmark; the message says why in one line."""


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faqsite.settings")
    # Debug stays off, as in production; nothing is signed that outlives the run, so any key does.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(32))
    import django

    django.setup()


def require_migrated(connection):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CantRun(
            f"the database {connection.settings_dict['NAME']} is not migrated: run `manage.py migrate`"
        )


def run_or_exit(run, **options):
    """Run a benchmark from the command line: what can't run ends it with one line, exit status 1."""
    try:
        run(**options)
    except CantRun as problem:
        sys.exit(str(problem))
