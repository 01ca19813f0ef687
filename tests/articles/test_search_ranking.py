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


def candidate(pk, *, own=0, wide=0, in_question=0, own_score=0.0, title="A", position=1):
    return Candidate(pk, title, position, own, wide, in_question, own_score)


def ranked(candidates, meanings=None, *, mentioned=(1,), total=10):
    meanings = meanings if meanings is not None else {c.pk: 0.5 for c in candidates}
    return [c.pk for c in rank(Matches(list(candidates), list(mentioned), total, highlight=None), meanings)]


def test_the_score_adds_the_words_coverage_their_place_in_the_question_and_the_meaning():
    found = [
        candidate(1, own=0b01, wide=0b01),  # one thing of two, in the reader's words
        candidate(2, own=0b11, wide=0b11),  # both things
        candidate(3, own=0b01, wide=0b11),  # one in the reader's words, one only by the thesaurus
        candidate(4, own=0b01, wide=0b01, in_question=0b01),  # one thing, in its question
        candidate(5, own=0b01, wide=0b01),  # one thing, and it means the question much more
    ]
    meanings = {1: 0.5, 2: 0.5, 3: 0.5, 4: 0.5, 5: 0.9}
    # 5: 0.25 + 0.9; 2: 0.5 + 0.5; 3: 0.375 + 0.5; 4: 0.25 + 0.125 + 0.5; 1: 0.25 + 0.5
    assert ranked(found, meanings, mentioned=(1, 1)) == [5, 2, 3, 4, 1]
    weights = (search.COVERAGE_WEIGHT, search.QUESTION_SHARE_WEIGHT, search.MEANING_WEIGHT)
    assert weights == (0.5, 0.25, 1.0), "tuned on the tuning half: change them only with its figures"


def test_ties_go_by_the_words_score_then_title_and_position():
    found = [
        candidate(1, own=1, wide=1, own_score=1.0),
        candidate(2, own=1, wide=1, own_score=2.0),
        candidate(4, own=1, wide=1, own_score=1.0, title="B"),
        candidate(5, own=1, wide=1, own_score=1.0, title="A", position=0),
    ]
    assert ranked(found) == [2, 5, 1, 4]


def test_a_thing_most_sections_mention_tells_nothing_apart():
    """ "therapist" in 6 sections of 10: it covers nothing, in the answer or in the question."""
    found = [
        candidate(1, own=0b01, wide=0b01, in_question=0b01, own_score=5.0),  # therapist, in its question
        candidate(2, own=0b10, wide=0b10, own_score=1.0),  # hug
        candidate(3, own=0b11, wide=0b11, own_score=2.0),  # therapist and hug
    ]
    meanings = {1: 0.3, 2: 0.3, 3: 0.3}
    # 1 shares only the common word and means little: not an answer.
    assert ranked(found, meanings, mentioned=(6, 2), total=10) == [3, 2]
    # Half is not "most": it counts, and in the question too.
    assert ranked(found, meanings, mentioned=(5, 2), total=10) == [3, 1, 2]
    # Alone, the common word finds every section that has it.
    alone = [found[0], candidate(4, own=1, wide=1, own_score=7.0)]
    assert ranked(alone, {1: 0.1, 4: 0.1}, mentioned=(6,)) == [1, 4]


def test_what_is_shown_every_word_any_word_with_some_meaning_or_meaning_alone():
    found = [
        candidate(1, own=0b11, wide=0b11),  # every thing asked: shown, whatever it means
        candidate(2, own=0b01, wide=0b01),  # one of two
        candidate(3, wide=0b10),  # one of two, only by the thesaurus
        candidate(4),  # no word: only by what it means
    ]
    low = {1: 0.0, 2: search.SHOWN - 0.01, 3: search.SHOWN - 0.01, 4: search.SHOWN_BY_MEANING_ALONE - 0.01}
    assert ranked(found, low, mentioned=(1, 1)) == [1]
    enough = {1: 0.0, 2: search.SHOWN, 3: search.SHOWN, 4: search.SHOWN_BY_MEANING_ALONE}
    assert sorted(ranked(found, enough, mentioned=(1, 1))) == [1, 2, 3, 4]


def test_a_search_is_confident_when_a_section_means_enough_or_has_every_word():
    def confident(candidates, meanings, mentioned=(1, 1)):
        return search.confident(Matches(candidates, list(mentioned), 10, None), meanings)

    assert confident([candidate(1)], {1: search.CONFIDENT})
    assert not confident([candidate(1)], {1: search.CONFIDENT - 0.01})
    assert confident([candidate(1, own=0b11, wide=0b11)], {1: 0.0})
    assert not confident([candidate(1, own=0b01, wide=0b11)], {1: 0.2})  # the thesaurus is not enough
    # "therapist" (in 8 of 10) is not needed for every word; a section must be measured to count
    assert confident([candidate(1, own=0b10)], {1: 0.0}, mentioned=(8, 1))
    assert not confident([candidate(1)], {1: 0.0, 2: 0.99})


def test_at_most_max_hits_the_best_ones(monkeypatch):
    monkeypatch.setattr(search, "MAX_HITS", 3)
    found = [candidate(pk, own=1, wide=1, own_score=float(pk)) for pk in range(1, 8)]
    assert ranked(found) == [7, 6, 5]


class FakeBackend:
    """Measurements made up by the test, in no particular order, as a backend gives them."""

    def __init__(self, candidates, mentioned, total):
        self.candidates, self.counts, self.total = candidates, mentioned, total

    def own_syntax_matches(self, sections, query, limit):
        return None

    def mentioned(self, groups):
        assert [group.own for group in groups][:2] == [["hug"], ["cry"]]
        return self.total, self.counts

    def found(self, sections, groups, limit, read):
        return [c.pk for c in self.candidates]

    def measure(self, sections, pks, groups, telling):
        return [c for c in self.candidates if c.pk in pks]

    def highlight(self, groups):
        return "marked"

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
            candidate(third.pk),  # covers nothing and means little: left out
        ],
        mentioned=[1, 1],
        total=3,
    )
    monkeypatch.setattr(search, "_backend", lambda: fake)
    monkeypatch.setattr(search.nearest, "sections", lambda vector, limit: [third.pk])
    monkeypatch.setattr(search.nearest, "scores", lambda vector, pks: dict.fromkeys(pks, 0.3))
    hits = search.search_sections("hug cry")
    assert [hit.section for hit in hits] == [second, first]
    assert hits[0].snippet == "<mark>marked</mark> &lt;2&gt;"  # escaped, with our marks only


@pytest.mark.parametrize("backend", ["sqlite.py", "postgres.py"])
def test_the_backends_hold_no_rule_of_the_order(backend):
    """A backend that sorts, cuts or weighs what it measures would be a second ranking, drifting
    from rank()'s: only found(), the words' candidates, and own_syntax_matches(), a query in the
    database's own syntax, take the database's best by its own score; elsewhere no ORDER BY or
    LIMIT in its SQL, no order_by() with fields, no sort, and none of the ranking's settings."""
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
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in ("found", "own_syntax_matches"):
            allowed |= {id(inner) for inner in ast.walk(node)}
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["_FOUND"]:
            allowed |= {id(inner) for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
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
    """Sections that measure the same on both databases (the same words, so the same meaning), two
    in each of three articles made in the reverse of their titles' order."""
    for title in ["Ccc", "Bbb", "Aaa"]:
        article = make_article(sections=0, title=title)
        for position, question in ((2, "And a present?"), (1, "What about a present?")):
            Section.objects.create(
                article=article, position=position, question=question, answer="A gift is a different matter."
            )


@pytest.mark.django_db
def test_ties_go_by_article_title_on_both_databases(client, same_answer_in_three_articles):
    page = soup(client.get("/search/", {"q": "gift"}))
    hits = [
        (hit.h2.get_text(), hit.select_one(".article-meta").get_text()) for hit in page.select(".search-hit")
    ]
    # The two questions mean the gift a little differently; each is in the three articles by title.
    first, second = hits[0][0], hits[3][0]
    assert {first, second} == {"What about a present?", "And a present?"}
    assert hits == [
        (question, f"In “{title}”") for question in (first, second) for title in ("Aaa", "Bbb", "Ccc")
    ]


@pytest.mark.django_db
def test_a_backend_gives_every_section_it_finds_and_the_ranking_cuts(
    monkeypatch, same_answer_in_three_articles
):
    monkeypatch.setattr(search, "MAX_HITS", 2)
    sections = Section.objects.all()
    groups = search.query_groups("gift")
    assert (
        len(search._backend().measure(Section.objects.published(), [s.pk for s in sections], groups, [0]))
        == 6
    )
    assert len(search.search_sections("gift")) == 2
