"""Scale: generated content, and pages whose cost does not grow with the number of articles.

How long pages take at 100 and 10,000 articles is measured by tests/benchmarks/scale.py, not here."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from articles.views import HOME_TOPICS
from faqsite.management.commands.generate_articles import QUIZ_EVERY
from quizzes.models import Quiz
from quizzes.signals import HOME_QUIZZES
from quizzes.views import QUIZZES_PER_PAGE
from tests.pages import soup

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


def home_and_quiz_list(client):
    """What would grow with content if nothing bounded it (the home page's topics and quizzes, the quiz
    list's quizzes) and each page's queries; and, apart, each page's bytes."""
    home, home_bytes, home_queries = get(client, "/")
    listed, list_bytes, list_queries = get(client, "/quizzes/")
    counts = {
        "topics": len(home.find(id="home-topics").find_parent("section").select("li")),
        "home quizzes": len(home.find(id="home-quizzes").find_parent("section").select("li")),
        "listed quizzes": len(listed.select(".quiz-card")),
        "queries": (home_queries, list_queries),
    }
    return counts, (home_bytes, list_bytes)


def get(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return soup(response), len(response.content), len(context.captured_queries)


def test_the_home_page_and_the_quiz_list_stay_the_same_size_as_quizzes_and_topics_grow(client, make_topic):
    generate(QUIZZES_PER_PAGE * QUIZ_EVERY + 1, sections=1)  # a quiz more than a page of them; 20 topics
    small, small_bytes = home_and_quiz_list(client)
    assert small == {
        "topics": HOME_TOPICS,
        "home quizzes": HOME_QUIZZES,
        "listed quizzes": QUIZZES_PER_PAGE,
        "queries": small["queries"],
    }
    generate(10 * QUIZ_EVERY, sections=1)  # ten quizzes more
    for n in range(HOME_TOPICS):
        make_topic(f"Topic {n}")
    large, large_bytes = home_and_quiz_list(client)
    assert large == small
    for before, after in zip(small_bytes, large_bytes, strict=True):
        assert after < before * 1.02  # titles differ a little; a list that grew would be far larger


def test_the_home_page_shows_the_newest_quizzes_and_the_first_topics_and_links_to_the_rest(
    client, make_quiz, make_topic
):
    for n in range(HOME_TOPICS + 1):
        make_topic(f"Topic {n:02}")
    quizzes = [make_quiz(questions=1, title=f"Quiz {n:02}") for n in range(HOME_QUIZZES + 1)]
    page = soup(client.get("/"))
    topics = page.find(id="home-topics").find_parent("section")
    assert [a.get_text() for a in topics.select("li a")] == [f"Topic {n:02}" for n in range(HOME_TOPICS)]
    assert topics.find("a", string="All topics")["href"] == "/topics/"
    listed = page.find(id="home-quizzes").find_parent("section")
    assert [a.get_text() for a in listed.select("li a")] == [quiz.title for quiz in quizzes[:0:-1]]
    assert listed.find("a", string="All quizzes")["href"] == "/quizzes/"


def test_the_home_page_links_to_all_topics_and_quizzes_only_when_it_shows_fewer(
    client, make_quiz, make_topic
):
    make_topic("Boundaries")
    make_quiz(questions=1)
    page = soup(client.get("/"))
    assert not page.find("a", string="All topics") and not page.find("a", string="All quizzes")


def test_the_quiz_list_is_paginated_and_a_missing_page_is_404(client, make_quiz):
    for n in range(QUIZZES_PER_PAGE + 1):
        make_quiz(questions=1, title=f"Quiz {n:02}")
    first, second = soup(client.get("/quizzes/")), soup(client.get("/quizzes/?page=2"))
    titles = [[a.get_text() for a in page.select(".quiz-card h2 a")] for page in (first, second)]
    assert titles == [[f"Quiz {n:02}" for n in range(QUIZZES_PER_PAGE)], [f"Quiz {QUIZZES_PER_PAGE}"]]
    assert first.find("a", string="More quizzes")["href"] == "?page=2"
    assert second.find("a", string="Previous quizzes")["href"] == "?page=1"
    assert "Page 2 of 2" in second.get_text()
    for missing in ["?page=3", "?page=0", "?page=abc"]:
        assert client.get(f"/quizzes/{missing}").status_code == 404


def test_generated_answers_keep_their_notes_and_lists_of_sources(client):
    """The pool's answers cite the demo's sources: each copy's notes lead to its own list."""
    from articles.demo import load_sources

    load_sources()
    generate(3, sections=30)
    page = soup(client.get("/articles/generated-1/"))
    links = page.select(".answer sup a")
    assert links
    for link in links:
        note = page.find(id=link["href"][1:])
        assert note is not None and note.name == "li" and note.find_parent(class_="sources")
