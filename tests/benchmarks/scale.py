"""Pages at 100 and at 10,000 articles, in one process: how much slower and larger each gets as content
grows, and how many queries it makes. Generates the articles in a transaction and rolls it back, so
the database is left as it was.

    make bench-scale                 # the local SQLite database (migrated by make run)
    DATABASE_URL=postgres://... make bench-scale
"""

import argparse
import os
import statistics
import sys
import time

from tests.benchmarks import require_migrated, run_or_exit, setup_django

PAGES = [
    ("home", "/"),
    ("topic", "/topics/generated-topic-1/"),
    ("article", "/articles/generated-1/"),
    ("search", "/search/?q=therapist+boundaries"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap page", "/sitemap-articles.xml"),
    ("feed", "/feed/"),
    ("quizzes", "/quizzes/"),
]


def _measure(client, path, repeat):
    """(median seconds, bytes, queries) of a request for `path`, after one to warm up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up
    with CaptureQueriesContext(connection) as captured:
        size = len(client.get(path).content)
    queries = len(captured)  # now: the next request empties the log it reads
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), size, queries


def run(*, small=100, large=10_000, repeat=20, out=sys.stdout):
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    require_migrated(connection)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed files, as served
    client = Client()
    with open(os.devnull, "w") as quiet, transaction.atomic():
        call_command("generate_articles", str(small), "--force", stdout=quiet)
        before = {name: _measure(client, path, repeat) for name, path in PAGES}
        call_command("generate_articles", str(large - small), "--force", stdout=quiet)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        after = {name: _measure(client, path, repeat) for name, path in PAGES}
        transaction.set_rollback(True)
    out.write(f"{connection.vendor}, median of {repeat} requests per page, at {small} and {large} articles\n")
    out.write(f"{'':<15}{'time (ms)':^24}{'size (KB)':^16}{'queries':^14}\n")
    out.write(f"{'page':<15}{small:>8}{large:>8}{'ratio':>8}{small:>8}{large:>8}{small:>7}{large:>7}\n")
    for name, _ in PAGES:
        (time_a, size_a, queries_a), (time_b, size_b, queries_b) = before[name], after[name]
        out.write(
            f"{name:<15}{time_a * 1000:>8.1f}{time_b * 1000:>8.1f}{time_b / time_a:>8.2f}"
            f"{size_a / 1024:>8.1f}{size_b / 1024:>8.1f}{queries_a:>7}{queries_b:>7}\n"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ["FAQSITE_PAGE_CACHE_SECONDS"] = "0"  # what making each page costs
    setup_django()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed; nothing else changes here
    run_or_exit(run, small=args.small, large=args.large, repeat=args.repeat)


if __name__ == "__main__":
    main()
