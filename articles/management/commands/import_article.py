from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer import FORMATS, ImportProblem, decode, parse
from articles.services import PublishNeeded, SlugTaken, article_import


class Command(BaseCommand):
    help = "Import a Q&A document (plain text, Markdown or HTML) as an article with its sections."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to import.")
        parser.add_argument("--format", choices=FORMATS, help="Skip detection and read as this.")
        parser.add_argument("--publish", action="store_true", help="Publish at once (else draft).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the article with the same slug (a published one: with --publish too).",
        )

    def handle(self, *args, path, format, publish, replace, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {path}: {error.strerror}.") from None
        try:
            parsed = parse(decode(data), format=format, filename=path.name)
            article = article_import(parsed=parsed, publish=publish, replace=replace)
        except SlugTaken as problem:
            raise CommandError(
                f"{path}: {str(problem).rstrip('.')}; use --replace to overwrite it."
            ) from None
        except PublishNeeded as problem:
            raise CommandError(f"{path}: {problem} Use --publish to do that.") from None
        except ImportProblem as problem:
            raise CommandError(f"{path}: {problem}") from None
        state = article.get_status_display().lower()
        self.stdout.write(f"slug: {article.slug}")
        self.stdout.write(f"sections: {len(parsed.sections)}")
        self.stdout.write(f"url: {article.get_absolute_url()} ({state})")
        if parsed.dropped_questions:
            self.stdout.write(
                f"left out {len(parsed.dropped_questions)} question(s) without an answer: "
                + "; ".join(parsed.dropped_questions)
            )
