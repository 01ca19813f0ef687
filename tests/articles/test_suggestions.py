"""Questions suggested as the reader types (`/search/suggest/?q=`, articles/suggestions.py): the
search's first hits as JSON, nothing searched for fewer than two letters, only published articles,
bounded answers to any input, public headers, and kept in memory only for short queries, within a
bound and a content generation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import freshness
from articles import suggestions as suggest_module
from articles.freshness import Remembered
from articles.models import Section
from articles.search import MAX_QUERY_LENGTH, search_sections
from tests.pages import soup

pytestmark = pytest.mark.django_db
URL = "/search/suggest/"


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    """Each test starts with no suggestion kept in this process."""
    kept = Remembered(suggest_module.KEPT)
    monkeypatch.setattr(suggest_module, "_kept", kept)
    return kept


@pytest.fixture
def sections(make_article):
    article = make_article(sections=0, title="Gifts and boundaries", slug="gifts")

    def add(question, answer="An answer.", to=article):
        return Section.objects.create(
            article=to, position=to.sections.count() + 1, question=question, answer=answer
        )

    add.article = article
    return add


def suggest(client, query, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": query}, **extra)
    response.queries = len(queries)
    return response


def questions(response):
    return [item["question"] for item in response.json()["suggestions"]]


def test_the_answer_is_the_searchs_first_hits_as_json(client, sections):
    section = sections("Can I give my therapist a gift?", "Small gifts are usually fine.")
    response = suggest(client, "  a   gift ")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "query": "a gift",
        "suggestions": [
            {
                "question": "Can I give my therapist a gift?",
                "article": "Gifts and boundaries",
                "url": "/articles/gifts/#" + section.anchor,
            }
        ],
    }
    assert response["X-Robots-Tag"] == "noindex"


def test_at_most_six_in_the_searchs_order(client, sections):
    for n in range(10):
        sections(f"Is gift number {n} all right?", "A gift. " * (n + 1))
    found = questions(suggest(client, "gift"))
    assert len(found) == 6
    assert found == [hit.section.question for hit in search_sections("gift")[:6]]


@pytest.mark.parametrize("query", ["", " ", "a", " a ", "!!", "a!?", "-", "__", "\x01a\x1f", "é"])
def test_fewer_than_two_letters_search_nothing(client, sections, monkeypatch, query):
    sections("Is a gift all right?")

    def no_search(query):
        raise AssertionError("searched")

    monkeypatch.setattr(suggest_module, "search_sections", no_search)
    response = suggest(client, query)
    assert response.status_code == 200 and response.json()["suggestions"] == []
    assert response.queries == 0


def test_two_letters_are_searched(client, sections):
    sections("Can my GP refer me?", "Yes.")
    assert questions(suggest(client, "GP")) == ["Can my GP refer me?"]


def test_only_published_articles_sections(client, sections, make_article):
    sections("Is a gift all right?")
    draft = make_article(sections=0, status="draft")
    sections("Is a gift from a draft all right?", to=draft)
    scheduled = make_article(sections=0, published_at=timezone.now() + timedelta(days=1))
    sections("Is a gift from tomorrow all right?", to=scheduled)
    assert questions(suggest(client, "gift")) == ["Is a gift all right?"]


@pytest.mark.parametrize(
    "query",
    [
        "gift " * 2_000,  # 10,000 characters
        "\x01gift\x1b[31m\x7f",
        "\u202egift\u202c",  # right-to-left override
        "g\u0301i\u0301f\u0301t\u0301" * 40,  # combining accents
        "gift\u200b\u200d\ufeff",  # zero-width characters
        "\U0001f381 gift \U0001f381",
        "ｇｉｆｔ",  # full-width letters
        '"gift" OR -boundary',
        "<script>alert('gift')</script>",
        "gift%' OR 1=1 --",
        "\ud800gift",  # a lone surrogate
    ],
)
def test_hostile_input_gets_a_bounded_answer(client, sections, query):
    sections("Is a gift all right?", "Small gifts are usually fine.")
    response = suggest(client, query.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    assert response.status_code == 200
    data = response.json()
    assert len(data["query"]) <= MAX_QUERY_LENGTH and "\x00" not in data["query"]
    assert len(data["suggestions"]) <= 6


@pytest.mark.parametrize("raw", ["q=%ff%fe", "q=%ED%A0%80gift", "q=gift&q=x", "q[]=gift", "", "q"])
def test_odd_query_strings_get_an_answer(client, sections, raw):
    sections("Is a gift all right?")
    response = client.get(f"{URL}?{raw}")
    assert response.status_code == 200 and len(response.json()["suggestions"]) <= 6


def test_a_nul_character_is_refused_in_words_as_everywhere(client):
    response = client.get(f"{URL}?q=gift%00")
    assert response.status_code == 400 and b"NUL character" in response.content


def test_only_get_and_head(client):
    assert client.post(URL, {"q": "gift"}).status_code == 405
    assert client.head(URL, {"q": "gift"}).status_code == 200


def test_public_for_browsers_and_cdns_but_not_in_the_page_cache(client, sections, reader):
    sections("Is a gift all right?")
    for _ in range(2):
        response = client.get(URL, {"q": "gift"})
        assert response["Cache-Control"] == "public, max-age=60" and "X-Page-Cache" not in response
    assert "X-Page-Cache" not in client.get(URL)  # not even the address without a query
    client.force_login(reader)
    assert set(client.get(URL, {"q": "gift"})["Cache-Control"].split(", ")) == {"private", "no-store"}


def test_a_repeated_suggestion_costs_no_query_until_content_changes(client, sections):
    sections("Is a gift all right?")
    first = suggest(client, "gift")
    assert first.queries > 0
    again = suggest(client, "gift")
    assert again.queries == 0 and again.content == first.content
    # Any change readers would see drops what was kept: the next answer is searched again.
    second = sections("May I give a small gift?")
    changed = suggest(client, "gift")
    assert changed.queries > 0
    assert sorted(questions(changed)) == ["Is a gift all right?", "May I give a small gift?"]
    second.question = "May I bring a cake?"
    second.save()
    assert questions(suggest(client, "gift")) == ["Is a gift all right?"]


def test_long_queries_are_searched_every_time(client, sections):
    sections("Is a gift all right?")
    query = "gift " + "x" * suggest_module.KEPT_LENGTH
    suggest(client, query)
    assert suggest(client, query).queries > 0
    assert suggest(client, query[: suggest_module.KEPT_LENGTH]).queries > 0
    assert suggest(client, query[: suggest_module.KEPT_LENGTH]).queries == 0


def test_made_up_queries_keep_at_most_a_bounded_number(client, sections, monkeypatch):
    kept = Remembered(3)
    monkeypatch.setattr(suggest_module, "_kept", kept)
    sections("Is a gift all right?")
    for n in range(10):
        suggest(client, f"gift {n}x")
    assert len(kept._values) == 3
    assert suggest(client, "gift 9x").queries == 0
    assert suggest(client, "gift 0x").queries > 0  # pushed out by the later ones


def test_suggestions_work_without_the_content_cache(client, sections, monkeypatch):
    sections("Is a gift all right?")

    def down():
        raise ConnectionError("cache down")

    monkeypatch.setattr(freshness, "current_generation", down)  # what remembered() asks
    assert questions(suggest(client, "gift")) == ["Is a gift all right?"]
    assert questions(suggest(client, "gift")) == ["Is a gift all right?"]


@pytest.mark.parametrize(("url", "box"), [("/", "#home-q"), ("/search/?q=gift", "#search-q")])
def test_the_boxes_name_the_source_and_stay_plain_forms(client, make_article, url, box):
    make_article()
    page = soup(client.get(url))
    field = page.select_one(box)
    assert field["data-suggest"] == URL
    # The combobox is made by the script: without it the box is a search form as before.
    assert not field.has_attr("role") and field["name"] == "q"
    form = field.find_parent("form")
    assert form["action"] == "/search/" and form["method"] == "get"
    assert "/static/articles/suggest.js" in [s["src"] for s in page.select("script[src]")]
    assert not page.select("script:not([src])")
