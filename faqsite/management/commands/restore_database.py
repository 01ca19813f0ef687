from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from faqsite.backup import BackupProblem, forget_what_was_kept, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by backup_database: tables made since go "
        "too, every session ends and the kept pages are cleared. Asks for --yes."
    )

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
        unreachable = forget_what_was_kept(using=database)
        self.stdout.write(
            f"Restored the database from {file}. Every session has ended (everyone logs in again) "
            "and the kept pages are cleared."
        )
        if unreachable:
            self.stderr.write(
                f"The cache{'s' if len(unreachable) > 1 else ''} {', '.join(unreachable)} could not be "
                "reached to be cleared: sessions kept there end within 5 minutes, pages within 10."
            )
