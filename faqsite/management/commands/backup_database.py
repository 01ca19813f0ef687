from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from faqsite.backup import BackupProblem, backup


class Command(BaseCommand):
    help = (
        "Copy the whole database to FILE, every timestamp exact: SQLite's online backup (the site "
        "may keep serving), or pg_dump's custom format. Restore with restore_database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, database, **options):
        try:
            backup(connections[database], file)
        except BackupProblem as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"Backed up the database to {file}.")
