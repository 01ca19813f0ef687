from django.core.management.base import BaseCommand, CommandError

from quizzes.gift import export
from quizzes.models import Quiz


class Command(BaseCommand):
    help = (
        "Write a quiz's questions (not the archived ones) to standard output in Moodle's GIFT "
        "format, each with a “// section:” line for the article section that explains it."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The quiz's address (slug).")

    def handle(self, *args, slug, **options):
        quiz = Quiz.objects.filter(slug=slug).first()
        if quiz is None:
            raise CommandError(f"No quiz has the address “{slug}”.")
        self.stdout.write(export(quiz), ending="")
