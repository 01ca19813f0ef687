from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer import NotText, decode
from quizzes import gift
from quizzes.interchange import quizzes_import_questions
from quizzes.services import QuizError


class Command(BaseCommand):
    help = (
        "Add the questions of a Moodle GIFT file to a quiz (made as a draft if there is none). "
        "Questions this site can't ask are skipped and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The GIFT file to import.")
        parser.add_argument("--quiz", required=True, metavar="SLUG", help="The quiz's address (slug).")
        parser.add_argument(
            "--strict", action="store_true", help="Refuse the whole file if any question would be skipped."
        )

    def handle(self, *args, path, quiz, strict, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {path}: {error.strerror}.") from None
        try:
            bank = gift.parse(decode(data, expected=gift.FILE_KIND))
            report = quizzes_import_questions(bank=bank, quiz_slug=quiz, strict=strict)
        except (NotText, gift.GiftError, QuizError) as problem:
            raise CommandError(f"{path}: {problem}") from None
        self.stdout.write(str(report))
