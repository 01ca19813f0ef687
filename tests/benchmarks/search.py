"""Search speed on PostgreSQL: the stored, GIN-indexed vector against computing the vector in each
search, on synthetic sections, in one process (so only the ratio counts). Writes nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/faqsite make bench-search
"""

import argparse
import random
import sys
import time

from tests.benchmarks import CantRun, require_migrated, run_or_exit, setup_django

WORDS = (
    "therapist client boundary gift crying session ethics code licence board confidentiality "
    "fee barter touch disclosure complaint psychologist counselor supervision consent"
).split()


def _computed_vector_search(query):
    """The baseline: the same search with the vector computed from the text in each query."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    from articles.models import Article, Section
    from articles.search import MAX_HITS
    from articles.search.postgres import CONFIG

    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    vector = SearchVector("question", weight="A", config=CONFIG) + SearchVector(
        "answer", weight="C", config=CONFIG
    )
    rows = (
        Section.objects.filter(article__in=Article.objects.published())
        .annotate(rank=SearchRank(vector, search), v=vector)
        .filter(v=search)
        .order_by("-rank")[:MAX_HITS]
    )
    return list(rows)


def run(*, articles=400, sections=50, repeat=5, out=sys.stdout):
    """Fill, time both searches, print one line per query, roll everything back."""
    from django.db import connection, transaction

    from articles.search import search_sections

    if connection.vendor != "postgresql":
        raise CantRun("the search benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    require_migrated(connection)
    with transaction.atomic():
        _fill(articles, sections)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
            cursor.execute("ANALYZE articles_section")
        for label, query in [("rare word", "hugging"), ("common word", "therapist")]:
            baseline = _time(_computed_vector_search, query, repeat)
            stored = _time(search_sections, query, repeat)
            out.write(
                f"{articles * sections} sections, {label}: computed vector "
                f"{baseline * 1000:.1f} ms, stored vector {stored * 1000:.1f} ms per search: "
                f"{baseline / stored:.1f}x faster\n"
            )
        transaction.set_rollback(True)


def _fill(articles, sections):
    from django.utils import timezone

    from articles.models import Article, Section

    rng = random.Random(1)  # noqa: S311 - repeatable test data, not secrets
    now = timezone.now()
    Article.objects.bulk_create(
        Article(title=f"Bench {n}", slug=f"bench-{n}", summary="Bench.", status="published", published_at=now)
        for n in range(articles)
    )
    Section.objects.bulk_create(
        (
            Section(
                article=article,
                position=p,
                anchor=f"q{p}",
                question=" ".join(rng.choices(WORDS, k=6)) + "?",
                answer=" ".join(rng.choices(WORDS, k=120)) + (" hugging" if rng.random() < 0.002 else ""),
            )
            for article in Article.objects.filter(slug__startswith="bench-")
            for p in range(1, sections + 1)
        ),
        batch_size=2000,
    )


def _time(search, query, repeat):
    search(query)  # warm up
    start = time.perf_counter()
    for _ in range(repeat):
        search(query)
    return (time.perf_counter() - start) / repeat


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--sections", type=int, default=50, help="Sections per article.")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()
    run_or_exit(run, articles=args.articles, sections=args.sections, repeat=args.repeat)


if __name__ == "__main__":
    main()
