from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.services import visitor_votes_delete, weekly_searches_delete
from quizzes.services import visitor_attempts_delete


class Command(BaseCommand):
    help = (
        "Delete what visitors without an account left: quiz attempts not used, and votes not cast, "
        "for --days days (FAQSITE_GUEST_DATA_DAYS, 90 by default), and the weekly counts of searches "
        "of weeks that began before then. Safe to run again and from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.FAQSITE_GUEST_DATA_DAYS)

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError(f"--days must be 1 or more (got {days}).")
        before = timezone.now() - timedelta(days=days)
        attempts = visitor_attempts_delete(before=before)
        votes = visitor_votes_delete(before=before)
        searches = weekly_searches_delete(before=before)
        self.stdout.write(
            f"Deleted {attempts} guest quiz attempt{'s' * (attempts != 1)}, {votes} guest "
            f"vote{'s' * (votes != 1)} and {searches} weekly search count{'s' * (searches != 1)} "
            f"older than {days} days."
        )
