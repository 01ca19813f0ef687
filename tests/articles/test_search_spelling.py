"""Misspelt words are searched as what the reader meant, the page says so, and the reader can
search their own words instead; known words, numbers, acronyms and the site's own words are
never changed, and hostile queries stay cheap."""

import pytest
from django.core.management import call_command
from symspellpy import SymSpell

from articles.models import SearchSynonym, Section
from articles.search import spelling
from articles.search.spelling import MAX_CANDIDATES, MAX_WORDS, corrected
from tests.pages import soup, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(make_article):
    article = make_article(sections=0, title="Titles", slug="titles")

    def add(question, answer="Ask them."):
        return Section.objects.create(article=article, question=question, answer=answer)

    return add


def hits(response):
    return [hit.h2.get_text() for hit in soup(response).select(".search-hit")]


# (what a reader types, the question of a demo section that answers it)
MISSPELT = [
    ("what does the word therapsit mean", 'What does "therapist" actually mean?'),
    ("what is a councellor", "What are counselors, clinical social workers and family therapists?"),
    ("when can a therapist break confidentality", "Can a therapist tell anyone what I say?"),
    ("councellor", "What are counselors, clinical social workers and family therapists?"),
    ("confidentality", "Can a therapist tell anyone what I say?"),
]


def test_the_issues_misspellings_find_their_answers_in_the_top_three(client):
    call_command("load_demo", verbosity=0)
    for query, expected in MISSPELT:
        response = client.get("/search/", {"q": query})
        assert expected in hits(response)[:3], query
        assert "Showing results for" in text(response)
    # As typed, the misspelt words find nothing.
    for word in ("therapsit", "councellor", "confidentality"):
        assert hits(client.get("/search/", {"q": word, "spelling": "off"})) == []


def test_the_page_says_what_it_searched_and_offers_the_readers_own_words(client, sections):
    sections("Can a therapist hug me?")
    response = client.get("/search/", {"q": "Therapsit hug"})
    page = soup(response)
    notice = page.select_one(".search-spelling")
    assert notice.get_text(" ", strip=True) == (
        "Showing results for “Therapist hug”. Search instead for “Therapsit hug”"
    )
    assert notice.a["href"] == "/search/?q=Therapsit%20hug&spelling=off"
    # The title, the box and the count line say what was searched.
    assert page.title.get_text().startswith("“Therapist hug”: search")
    assert page.select_one("#search-q")["value"] == "Therapist hug"
    assert "1 answer found for “Therapist hug”" in text(response)
    assert hits(response) == ["Can a therapist hug me?"]

    own = client.get(notice.a["href"])
    assert soup(own).select_one(".search-spelling") is None
    assert soup(own).title.get_text().startswith("“Therapsit hug”: search")
    # (Whether the words as typed find anything is search's business: the count names them.)
    assert "found for “Therapsit hug”" in soup(own).select_one(".search-count").get_text()


def test_a_query_with_no_misspelling_says_nothing_about_spelling(client, sections):
    sections("Can a therapist hug me?")
    assert corrected("Can my therapist hug me?") is None
    response = client.get("/search/", {"q": "can my therapist hug me"})
    assert soup(response).select_one(".search-spelling") is None
    assert hits(response) == ["Can a therapist hug me?"]
    assert soup(client.get("/search/", {"q": ""})).select_one(".search-spelling") is None


def test_the_result_pages_keep_the_readers_query_and_their_choice(client, sections):
    for n in range(12):
        sections(f"Can a therapist hug me ({n})?")
    corrected_page = soup(client.get("/search/", {"q": "therapsit hug"}))
    assert corrected_page.select_one(".pagination a")["href"] == "?q=therapsit%20hug&page=2"
    second = client.get("/search/?q=therapsit%20hug&page=2")
    assert "Showing results for “therapist hug”" in text(second)
    assert len(hits(second)) == 2

    own_page = soup(client.get("/search/", {"q": "hugg", "spelling": "off"}))
    assert own_page.select_one(".search-spelling") is None
    # Nothing to page through as typed; the words as typed are kept where there is.
    own_page = soup(client.get("/search/", {"q": "therapist hug", "spelling": "off"}))
    assert own_page.select_one(".pagination a")["href"] == "?q=therapist%20hug&spelling=off&page=2"


def test_what_the_reader_typed_is_escaped_everywhere(client, sections):
    sections("Can a therapist hug me?")
    response = client.get("/search/", {"q": '<script>alert(1)</script> "therapsit'})
    html = response.content.decode()
    assert "<script>alert" not in html
    notice = soup(response).select_one(".search-spelling")
    assert notice.get_text(" ", strip=True) == (
        'Showing results for “<script>alert(1)</script> "therapist”. '
        'Search instead for “<script>alert(1)</script> "therapsit”'
    )
    assert notice.a["href"] == "/search/?q=%3Cscript%3Ealert%281%29%3C/script%3E%20%22therapsit&spelling=off"


CORRECT = [
    "shrink",
    "crush",
    "bawling",  # English, though too rare to be offered as a correction
    "buddies",
    "texting",
    "counsellor",
    "counselor",
    "NHS",
    "HCPC",
    "APA",
    "EMDR",  # an acronym the site doesn't use is still the reader's,
    "CACREP",  # a longer one too
    "BABCP",  # even one edit from one it does (BACP)
    "adhd",  # and typed in lowercase, a short word becomes only one of the site's own
    "ptsd",
    "gp",
    "1990s",
    "2024",
    "covid19",
    "shouldn't",
    "psychothérapeute",
]


def test_known_words_numbers_acronyms_and_short_words_are_left_alone(sections):
    sections("Is my counsellor registered with the HCPC, the BACP or the NHS?")
    for word in CORRECT:
        assert corrected(word) is None, word
    assert corrected(" ".join(CORRECT)) is None


def test_the_sites_own_words_win_over_the_dictionarys(sections):
    # English has "councillor" (more common) and "counsellor", one edit each from "councellor".
    assert corrected("councellor") == "councillor"
    sections("What does a counsellor do?")
    assert corrected("councellor") == "counsellor"
    # A word only the editors' synonyms have is known, and offered.
    assert corrected("the tarasof case") != "the tarasoff case"
    SearchSynonym.objects.create(words="Tarasoff, duty to protect")
    assert corrected("tarasoff") is None
    assert corrected("the tarasof case") == "the tarasoff case"
    # And a word only an answer has is known.
    assert corrected("Gutheil") == "Guthrie"
    sections("Who wrote about boundaries?", "Gutheil and Gabbard.")
    assert corrected("Gutheil") is None


def test_a_drafts_words_are_not_the_sites_own(make_article):
    """What drafts say is not given away by which words are corrected."""
    draft = make_article(sections=0, status="draft")
    Section.objects.create(article=draft, question="Who wrote about boundaries?", answer="Gutheil.")
    assert corrected("Gutheil") == "Guthrie"


def test_the_readers_casing_and_punctuation_are_kept(sections):
    sections("What does a counsellor do?")
    assert (
        corrected("Can my Therapsit's councellor, maybe, tell?")
        == "Can my Therapist's counsellor, maybe, tell?"
    )
    assert corrected("THERAPSIT!") == "THERAPIST!"


def test_hostile_queries_make_bounded_work(monkeypatch, django_assert_num_queries):
    looked = []
    lookup = SymSpell.lookup

    def counted(self, phrase, *args, **kwargs):
        looked.append(phrase)
        return lookup(self, phrase, *args, **kwargs)

    monkeypatch.setattr(SymSpell, "lookup", counted)
    # A 200-letter word is no word anyone misspelt: not looked up at all.
    with django_assert_num_queries(0):
        assert corrected("qwertyuiopasdfghjklzxcvbnm" * 8) is None
    assert looked == []
    # Forty different words of nonsense: at most MAX_WORDS are looked up (in English and in the
    # editors' words), each of at most MAX_LENGTH letters, and the index is asked once about
    # them and at most MAX_CANDIDATES corrections of each.
    corrected("therapsit")  # the editors' words read
    looked.clear()
    asked = []
    monkeypatch.setattr(spelling, "_backend", lambda: Counted(asked))
    nonsense = [f"zxq{a}{b}" for a in "bcdfghjklm" for b in "npqr"]
    with django_assert_num_queries(0):
        corrected(" ".join(nonsense))
    assert len(looked) == 2 * MAX_WORDS and all(len(word) <= spelling.MAX_LENGTH for word in looked)
    assert len(asked) == 1 and len(asked[0]) <= MAX_WORDS * (1 + MAX_CANDIDATES)
    looked.clear()
    corrected(" ".join(["zxqvwzxqvwzxqvwzxqvwzxqv"] * 8))
    assert looked and all(len(word) <= spelling.MAX_LENGTH for word in looked)


class Counted:
    """A search backend that notes the words it is asked about and finds none."""

    def __init__(self, asked):
        self.asked = asked

    def words_present(self, articles, words):
        self.asked.append(list(words))
        return set()


def test_the_database_is_asked_once_and_only_about_unknown_words(sections, django_assert_num_queries):
    sections("What does a counsellor do?")
    with django_assert_num_queries(0):
        assert corrected("can my therapist hug me") is None
    assert corrected("councellor") == "counsellor"
    # The editors' synonyms are read once per content generation; the index is asked once about
    # "councellor", "confidentality" and their corrections.
    with django_assert_num_queries(1):
        assert corrected("councellor and confidentality") == "counsellor and confidentiality"
