from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from faqsite.backup import BackupProblem, restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by backup_database. Asks for --yes."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--yes", action="store_true", help="yes, replace everything in the database")

    def handle(self, *args, file, database, yes, **options):
        if not yes:
            raise CommandError(
                "This replaces everything in the database with the backup: add --yes to do it."
            )
        try:
            restore(connections[database], file)
        except BackupProblem as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"Restored the database from {file}.")
