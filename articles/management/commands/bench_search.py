import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, Section
from articles.search import search_sections

WORDS = (
    "therapist client boundary gift crying session ethics code licence board confidentiality "
    "fee barter touch disclosure complaint psychologist counselor supervision consent"
).split()


class Command(BaseCommand):
    help = (
        "PostgreSQL only: time search on synthetic sections with the GIN index, against the same "
        "search with index scans turned off, in one process. Writes nothing (rolled back)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=400)
        parser.add_argument("--sections", type=int, default=50, help="Sections per article.")
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, articles, sections, repeat, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_search needs PostgreSQL: set DATABASE_URL=postgres://...")
        with transaction.atomic():
            self._fill(articles, sections)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_article")
                cursor.execute("ANALYZE articles_section")
                cursor.execute("SET LOCAL enable_indexscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
            baseline = self._time(repeat)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_indexscan = on")
                cursor.execute("SET LOCAL enable_bitmapscan = on")
            indexed = self._time(repeat)
            transaction.set_rollback(True)
        self.stdout.write(
            f"{articles * sections} sections, rare word: without the index {baseline * 1000:.1f} ms, "
            f"with it {indexed * 1000:.1f} ms per search: {baseline / indexed:.1f}x faster"
        )

    def _fill(self, articles, sections):
        rng = random.Random(1)  # noqa: S311 - repeatable test data, not secrets
        now = timezone.now()
        Article.objects.bulk_create(
            Article(title=f"Bench {n}", slug=f"bench-{n}", summary="Bench.", status="published",
                    published_at=now)
            for n in range(articles)
        )
        Section.objects.bulk_create(
            (
                Section(article=article, position=p, anchor=f"q{p}",
                        question=" ".join(rng.choices(WORDS, k=6)) + "?",
                        answer=" ".join(rng.choices(WORDS, k=120))
                        + (" hugging" if rng.random() < 0.002 else ""))
                for article in Article.objects.filter(slug__startswith="bench-")
                for p in range(1, sections + 1)
            ),
            batch_size=2000,
        )

    def _time(self, repeat):
        search_sections("hugging")  # warm up
        start = time.perf_counter()
        for _ in range(repeat):
            search_sections("hugging")
        return (time.perf_counter() - start) / repeat
