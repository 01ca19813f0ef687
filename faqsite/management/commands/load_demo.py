from django.core.management.base import BaseCommand

from articles.demo import load_articles
from quizzes.demo import load_quizzes


class Command(BaseCommand):
    help = (
        "Load the demo topics, articles and quizzes. Safe to run again: what exists is left as it "
        "is, and what can't be added (an editor changed a demo article, say) is skipped with a reason."
    )

    def handle(self, *args, **options):
        # Quizzes link to the articles' sections, so articles come first.
        for loader in (load_articles, load_quizzes):
            for line in loader():
                self.stdout.write(line)
