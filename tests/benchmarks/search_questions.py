"""How long a reader waits for a search on the demo content: each of the 240 reader questions
(tests/articles/search_questions/) searched as the search page does it (spelling first), each once
and new to the process (the encoder's memory of texts emptied), on the database in use. The
baseline, in the same process, is the same number of searches for one word that every question
shares the cost of ("therapist", remembered): what a search costs before it reads the question.
Loads the demo content in a transaction and rolls it back.

    make bench-questions                          # SQLite
    DATABASE_URL=postgres://... make bench-questions
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from tests.benchmarks import require_migrated, run_or_exit, setup_django

QUESTIONS = Path(__file__).parent.parent / "articles" / "search_questions"


def run(*, out=sys.stdout):
    from django.core.management import call_command
    from django.db import connection, transaction

    from articles import meaning
    from articles.search import search_sections
    from articles.search.spelling import corrected

    require_migrated(connection)
    questions = [
        q["q"] for half in ("tuning", "test") for q in json.loads((QUESTIONS / f"{half}.json").read_text())
    ]

    def search(query):
        return list(search_sections(corrected(query) or query)[:10])

    with open(os.devnull, "w") as quiet, transaction.atomic():
        call_command("load_demo", stdout=quiet)
        search("warm up: the model, the dictionaries, the signs")
        baseline, times = [], []
        for query in questions:
            start = time.perf_counter()
            search("therapist")
            baseline.append(time.perf_counter() - start)
            meaning._remembered.cache_clear()  # each question is new to this process, as a reader's is
            start = time.perf_counter()
            search(query)
            times.append(time.perf_counter() - start)
        transaction.set_rollback(True)
    median, base = statistics.median(times), statistics.median(baseline)
    out.write(
        f"{connection.vendor}: {len(questions)} reader questions, median {median * 1000:.1f} ms, "
        f"90th percentile {statistics.quantiles(times, n=10)[-1] * 1000:.1f} ms; a remembered one-word "
        f"search {base * 1000:.1f} ms (ratio {median / base:.1f})\n"
    )


def main(argv=None):
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    setup_django()
    run_or_exit(run)


if __name__ == "__main__":
    main()
