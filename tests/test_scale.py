"""Scale: generated content, and pages whose cost does not grow with the number of articles.

How long pages take at 100 and 10,000 articles is measured by tests/benchmarks/scale.py, not here."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from quizzes.models import Quiz

pytestmark = pytest.mark.django_db
PAGES = [
    "/",
    "/?page=2",
    "/topics/",
    "/topics/generated-topic-1/",  # one of generated-1's two topics
    "/articles/generated-1/",
    "/search/?q=therapist",
    "/feed/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/quizzes/",
]


def generate(count, sections=10):
    call_command("generate_articles", str(count), "--sections", str(sections), "--force", stdout=StringIO())


def queries_per_page(client):
    counts = {}
    for path in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(context.captured_queries)
    return counts


def test_generate_articles_refuses_to_run_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="runs with DJANGO_DEBUG on, or with --force"):
        call_command("generate_articles", "3")
    assert not Article.objects.exists()


def test_generated_articles_are_published_with_sections_topics_and_quizzes(client):
    generate(20, sections=12)
    generate(5)  # a second run goes on numbering
    articles = Article.objects.published().filter(slug__startswith="generated-")
    assert articles.count() == 25 and Article.objects.filter(slug="generated-25").exists()
    article = Article.objects.get(slug="generated-1")
    assert article.sections.count() == 12
    assert set(article.topics.values_list("slug", flat=True)) == {"generated-topic-1", "generated-topic-11"}
    assert Section.objects.exclude(answer_html__startswith="<").count() == 0  # rendered on write
    assert Quiz.objects.published().count() == 3  # one for each ten articles begun: 2 + 1
    assert client.get("/articles/generated-25/").status_code == 200


def test_pages_cost_the_same_number_of_queries_with_25_or_75_articles(client):
    generate(25)  # two pages of articles
    small = queries_per_page(client)
    generate(50)
    assert queries_per_page(client) == small


def test_the_scale_benchmark_runs_and_leaves_the_database_as_it_was(settings):
    from tests.benchmarks.scale import run

    settings.FAQSITE_PAGE_CACHE_SECONDS = 0  # as `make bench-scale` runs it
    out = StringIO()
    run(small=2, large=4, repeat=1, out=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["time", "(ms)", "size", "(KB)", "queries"]
    assert lines[2].split() == ["page", "2", "4", "ratio", "2", "4", "2", "4"]
    assert [line.split()[0] for line in lines[3:]] == [
        "home",
        "topic",
        "article",
        "search",
        "sitemap",
        "sitemap",
        "feed",
        "quizzes",
    ]
    home = lines[3].split()
    assert float(home[4]) > 1 and int(home[6]) > 0  # its size in KB, and its queries
    assert not Article.objects.exists()  # rolled back


def test_generated_articles_have_their_bodies_rendered():
    from articles.models import ArticleBody
    from articles.services import article_body

    generate(3, sections=2)
    for article in Article.objects.all():
        assert ArticleBody.objects.get(article=article).html == article_body(article)
