"""The order of search results is decided once, in articles.search.rank, for both databases: the
backends (articles/search/sqlite.py, postgres.py) only find sections and measure them. The
ranking is tested here with made-up measurements (a fake backend), and the backends are checked
to hold no rule of it."""

import ast
from pathlib import Path

import pytest

from articles import search
from articles.models import Section
from articles.search import Candidate, Matches, rank
from tests.pages import soup

BACKENDS = Path(search.__file__).parent


def candidate(pk, *, own=0, wide=0, in_question=0, own_score=0.0, wide_score=0.0, title="A", position=1):
    return Candidate(pk, title, position, own, wide, in_question, own_score, wide_score)


def ranked(candidates, *, mentioned=(0,), total=10):
    return [c.pk for c in rank(Matches(list(candidates), list(mentioned), total, highlight=None))]


def test_coverage_decides_first_then_the_question_then_the_scores_then_title_and_position():
    found = [
        candidate(1, own=0b01, wide=0b01, own_score=9.0),  # one thing of two, in the reader's words
        candidate(2, own=0b11, wide=0b11),  # both things
        candidate(3, own=0b01, wide=0b11),  # one in the reader's words, one only by the thesaurus
        candidate(4, own=0b01, wide=0b01, in_question=0b01),  # one thing, in its question
        candidate(5, own=0b01, wide=0b01, own_score=9.0, wide_score=1.0),
        candidate(6, own=0b01, wide=0b01, own_score=9.0, title="B"),
        candidate(7, own=0b01, wide=0b01, own_score=9.0, title="A", position=0),
    ]
    assert ranked(found, mentioned=(1, 1)) == [2, 3, 4, 5, 7, 1, 6]


def test_a_thing_most_sections_mention_counts_only_in_the_scores():
    """ "therapist" in 6 sections of 10: it covers nothing, in the answer or in the question."""
    found = [
        candidate(1, own=0b01, wide=0b01, in_question=0b01, own_score=5.0),  # therapist, in its question
        candidate(2, own=0b10, wide=0b10, own_score=1.0),  # hug
        candidate(3, own=0b11, wide=0b11, own_score=2.0),  # therapist and hug
    ]
    # Sections sharing only the common word are not answers when others cover what was asked.
    assert ranked(found, mentioned=(6, 2), total=10) == [3, 2]
    assert ranked(found, mentioned=(5, 2), total=10) == [3, 1, 2]  # half is not "most"
    # Alone, the common word still finds every section that has it, by score.
    assert ranked(found[:1] + [candidate(4, own=1, wide=1, own_score=7.0)], mentioned=(6,)) == [4, 1]


def test_at_most_max_hits_the_best_ones(monkeypatch):
    monkeypatch.setattr(search, "MAX_HITS", 3)
    found = [candidate(pk, own=1, wide=1, own_score=float(pk)) for pk in range(1, 8)]
    assert ranked(found) == [7, 6, 5]


class FakeBackend:
    """Measurements made up by the test, in no particular order, as a backend gives them."""

    def __init__(self, candidates, mentioned, total):
        self.matches = Matches(candidates, mentioned, total, highlight="marked")

    def own_syntax_matches(self, sections, query):
        return None

    def word_matches(self, sections, groups):
        assert [group.own for group in groups][:2] == [["hug"], ["cry"]]
        return self.matches

    def snippets(self, sections, pks, highlight):
        return {
            section.pk: (section, f"\x02{highlight}\x03 <{section.position}>")
            for section in sections.filter(pk__in=pks)
        }


def test_search_takes_its_order_from_the_ranking_and_the_words_from_the_backend(monkeypatch, make_article):
    first, second, third = make_article(sections=3).sections.all()
    fake = FakeBackend(
        [
            candidate(first.pk, own=0b01, wide=0b01),
            candidate(second.pk, own=0b11, wide=0b11),
            candidate(third.pk),  # covers nothing: left out
        ],
        mentioned=[1, 1],
        total=3,
    )
    monkeypatch.setattr(search, "_backend", lambda: fake)
    hits = search.search_sections("hug cry")
    assert [hit.section for hit in hits] == [second, first]
    assert hits[0].snippet == "<mark>marked</mark> &lt;2&gt;"  # escaped, with our marks only


@pytest.mark.parametrize("backend", ["sqlite.py", "postgres.py"])
def test_the_backends_hold_no_rule_of_the_order(backend):
    """A backend that sorts, cuts or weighs what it finds would be a second ranking, drifting
    from rank()'s: no ORDER BY or LIMIT in its SQL, no order_by() with fields, no sort, and none
    of the ranking's settings."""
    tree = ast.parse((BACKENDS / backend).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "articles.search"
        for alias in node.names
    }
    assert imported <= {
        "ANSWER_WEIGHT",
        "QUESTION_WEIGHT",
        "SNIPPET_WORDS",
        "START",
        "STOP",
        "Candidate",
        "Matches",
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.upper().split())
            assert "ORDER BY" not in sql and " LIMIT " not in f" {sql} ", node.value
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            assert name not in {"sort", "sorted", "nsmallest", "nlargest", "rank"}, ast.unparse(node)
            assert name != "order_by" or not (node.args or node.keywords), ast.unparse(node)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            # Only a row's own fields are sliced, never the list of what was found.
            assert ast.unparse(node.value) in {"row", "rows[0]"}, ast.unparse(node)


@pytest.fixture
def same_answer_in_three_articles(make_article):
    """Three sections that measure the same on both databases (the same words), in articles made
    in the reverse of their titles' order."""
    for title in ["Ccc", "Bbb", "Aaa"]:
        article = make_article(sections=0, title=title)
        for position in (2, 1):
            Section.objects.create(
                article=article,
                position=position,
                question=f"What about {title} {position}?",
                answer="A gift is a different matter.",
            )


@pytest.mark.django_db
def test_ties_go_by_article_title_then_position_on_both_databases(client, same_answer_in_three_articles):
    page = soup(client.get("/search/", {"q": "gift"}))
    assert [hit.h2.get_text() for hit in page.select(".search-hit")] == [
        "What about Aaa 1?",
        "What about Aaa 2?",
        "What about Bbb 1?",
        "What about Bbb 2?",
        "What about Ccc 1?",
        "What about Ccc 2?",
    ]


@pytest.mark.django_db
def test_a_backend_gives_every_section_it_finds_and_the_ranking_cuts(
    monkeypatch, same_answer_in_three_articles
):
    monkeypatch.setattr(search, "MAX_HITS", 2)
    sections = Section.objects.all()
    assert len(search._backend().word_matches(sections, search.query_groups("gift")).candidates) == 6
    assert len(search.search_sections("gift")) == 2
