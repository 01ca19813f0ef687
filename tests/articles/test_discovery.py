"""Readers and search engines: search, feed, sitemap, robots.txt, error pages, reading aids."""

import xml.etree.ElementTree as ET  # noqa: S405 - parses our own responses
from datetime import timedelta

import feedparser
import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from articles.models import Article, HelpfulVote, Section
from tests.pages import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_article):
    """A small fixed corpus: the word "gift" in a question, in answers, and in a draft."""
    guide = make_article(sections=0, title="Boundaries guide", slug="boundaries-guide")
    Section.objects.create(
        article=guide,
        position=1,
        question="Can I give my therapist a gift?",
        answer="It depends on the value and the timing.",
    )
    Section.objects.create(
        article=guide,
        position=2,
        question="What about social media?",
        answer="A friend request is a red flag. A gift is a different matter.",
    )
    other = make_article(sections=0, title="Fees explained", slug="fees-explained")
    Section.objects.create(
        article=other,
        position=1,
        question="Are high fees unethical?",
        answer="Not in themselves; a small gift or barter is another question.",
    )
    draft = make_article(sections=0, status="draft", title="Secret gift draft")
    Section.objects.create(
        article=draft, position=1, question="Is a gift ever wrong?", answer="Draft text about a gift."
    )
    return guide


def test_search_ranks_a_question_match_first_and_links_to_the_section(client, corpus):
    page = soup(client.get("/search/", {"q": "gift"}))
    hits = page.select(".search-hit")
    assert hits[0].h2.get_text() == "Can I give my therapist a gift?"
    assert hits[0].a["href"] == "/articles/boundaries-guide/#can-i-give-my-therapist-a-gift"
    assert len(hits) == 3  # the draft's section is not searched
    assert "Secret gift draft" not in page.get_text()
    marked = [mark.get_text().casefold() for mark in page.select(".search-hit mark")]
    assert marked and all("gift" in word for word in marked)
    assert "3 answers found" in page.get_text()


def test_search_finds_titles_too(client, corpus):
    page = soup(client.get("/search/", {"q": "fees"}))
    assert page.select_one(".search-articles a")["href"] == "/articles/fees-explained/"


def test_search_lists_titles_only_of_articles_whose_answers_it_found(client, corpus, make_article):
    """The titles looked in are those of the found sections' articles, not every title the site
    has: a search reads a bounded number of them, and a title never stands in for an answer."""
    painters = make_article(sections=0, title="Painters' fees", slug="painters-fees")
    Section.objects.create(
        article=painters, position=1, question="Who painted the ceiling?", answer="Michelangelo."
    )
    page = soup(client.get("/search/", {"q": "fees"}))
    listed = [a.get_text() for a in page.select(".search-articles a")]
    found = {hit.select_one(".article-meta").get_text() for hit in page.select(".search-hit")}
    assert listed == ["Fees explained"]
    assert all(f"In “{title}”" in found for title in listed)


def test_search_is_paginated(client, make_article):
    article = make_article(sections=0)
    for n in range(1, 24):
        Section.objects.create(
            article=article, position=n, question=f"Question {n} on tears?", answer="About tears."
        )
    first = soup(client.get("/search/", {"q": "tears"}))
    assert len(first.select(".search-hit")) == 10
    assert first.find("a", string="More results")["href"] == "?q=tears&page=2"
    third = soup(client.get("/search/", {"q": "tears", "page": 3}))
    assert len(third.select(".search-hit")) == 3
    assert third.select_one("ol.search-hits")["start"] == "21"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "%",
        "_",
        "%_%",
        "'",
        '"',
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "😢 crying",
        "gift & | ! :*",
        "x" * 10_000,
        "a " * 5_000,
        "\x01\x1f",
    ],
)
def test_odd_queries_get_a_sensible_page(client, corpus, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_very_long_query_is_shortened_with_a_notice(client, corpus):
    page = soup(client.get("/search/", {"q": "gift " + "x" * 10_000}))
    assert "only its first 200 characters were used" in page.get_text()
    assert len(page.select_one("#search-q")["value"]) == 200


def test_search_runs_a_bounded_number_of_queries(client, make_article, django_assert_max_num_queries):
    for n in range(3):
        article = make_article(sections=0)
        for m in range(20):
            Section.objects.create(
                article=article, position=m + 1, question=f"Crying question {n}-{m}?", answer="crying"
            )
    # Each search is counted too (articles/search_log.py): its week's row made if new, its
    # counts, in a transaction (here a savepoint and its release), and on PostgreSQL one SET.
    counting = 5 if connection.vendor == "postgresql" else 4
    # Once per process in each content generation: the generation, the editors' synonyms, the
    # published sections' signs (articles/search/nearest.py).
    with django_assert_max_num_queries(10 + counting):
        client.get("/search/", {"q": "tears"})
    # Then: how many sections mention each thing asked, the words' best, the candidates' vectors,
    # their measures, the page's sections with their articles and snippets, the articles whose
    # titles match, and where the sample that tells which words most sections have begins (the
    # table's size on PostgreSQL).
    with django_assert_max_num_queries(7 + counting):
        response = client.get("/search/", {"q": "crying"})
    assert "60 answers found" in soup(response).get_text()


def test_every_page_has_a_search_box_in_the_header(client, make_article):
    page = soup(client.get(make_article().get_absolute_url()))
    form = page.select_one("header form[role=search]")
    assert form["action"] == "/search/" and form.find("input", attrs={"name": "q"})
    assert form.find("label")["for"] == form.find("input")["id"]


def test_the_atom_feed_parses_and_lists_the_newest_articles(client, make_article, make_topic):
    topic = make_topic("Ethics")
    newest = make_article(title="Newest", topics=[topic], published_at=timezone.now() - timedelta(1))
    make_article(title="Older", published_at=timezone.now() - timedelta(5))
    make_article(title="Draft", status="draft")
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Newest", "Older"]
    assert feed.entries[0].link == f"http://testserver{newest.get_absolute_url()}"
    assert feed.entries[0].summary == newest.summary
    assert [tag.term for tag in feed.entries[0].tags] == ["Ethics"]


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(client):
    """Every address in the sitemap, as a search engine reads it: the index, then each page."""
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    entries = {}
    for page in index.iter(f"{SITEMAP}loc"):
        root = ET.fromstring(client.get(page.text.removeprefix("http://testserver")).content)  # noqa: S314
        entries |= {
            url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod")
            for url in root.iter(f"{SITEMAP}url")
        }
    return entries


def test_the_sitemap_lists_published_articles_topics_and_quizzes_with_last_modified(
    client, make_article, make_topic, make_quiz
):
    topic = make_topic("Ethics")
    article = make_article(topics=[topic])
    draft = make_article(status="draft")
    make_topic("Empty topic")
    quiz = make_quiz()
    entries = sitemap_entries(client)
    base = "http://testserver"
    assert entries[base + article.get_absolute_url()].text == article.updated_at.strftime("%Y-%m-%d")
    assert entries[base + topic.get_absolute_url()] is not None
    assert base + quiz.get_absolute_url() in entries and base + "/" in entries
    assert base + draft.get_absolute_url() not in entries
    assert base + "/topics/empty-topic/" not in entries


def test_the_sitemap_comes_in_pages_of_a_bounded_size(client, make_article, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [make_article(sections=0) for _ in range(5)]
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-articles.xml?p=3" in index and "/sitemap-articles.xml?p=4" not in index
    page = client.get("/sitemap-articles.xml?p=3").content.decode()
    assert page.count("<url>") == 1
    assert {a.get_absolute_url() for a in articles} <= {
        loc.removeprefix("http://testserver") for loc in sitemap_entries(client)
    }


def test_the_sitemap_index_gives_each_kinds_latest_change(client, make_article, make_topic, make_quiz):
    topic = make_topic("Ethics")
    make_article(topics=[topic])
    newest = make_article(topics=[topic])
    make_article(status="draft")  # a draft changed later does not count
    quiz = make_quiz()
    newest.refresh_from_db()
    quiz.refresh_from_db()
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    latest = {
        entry.find(f"{SITEMAP}loc").text.split("/")[-1]: entry.find(f"{SITEMAP}lastmod")
        for entry in index.iter(f"{SITEMAP}sitemap")
    }
    published = Article.objects.published()
    assert latest["sitemap-articles.xml"].text == max(a.updated_at for a in published).isoformat()
    assert latest["sitemap-topics.xml"].text == newest.updated_at.isoformat()
    assert latest["sitemap-quizzes.xml"].text == quiz.updated_at.isoformat()
    assert latest["sitemap-pages.xml"] is None


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: https://faqsite.example/sitemap.xml" in body
    assert "Disallow: /admin/" in body and "Disallow: /attempts/" in body


def test_the_404_page_is_styled_and_helpful(client):
    response = client.get("/no/such/page/")
    page = soup(response)
    assert response.status_code == 404
    assert page.h1.get_text() == "Page not found"
    assert page.find("link", href=lambda h: h and "site.css" in h)
    assert page.select_one("main form[role=search]")


def test_the_500_page_is_styled_and_needs_no_database(client, settings):
    settings.ROOT_URLCONF = "tests.articles.broken_urls"
    broken = Client(raise_request_exception=False)
    response = broken.get("/boom/")
    assert response.status_code == 500
    page = soup(response)
    assert page.h1.get_text() == "Sorry, something went wrong"
    assert page.find("link", href=lambda h: h and "site.css" in h)


def crisis_lines(response):
    footer = soup(response).select_one("footer .crisis-lines")
    return {link.get_text(): link["href"] for link in footer.select("a")}, footer.get_text(" ", strip=True)


def test_every_page_and_the_error_pages_name_crisis_lines_by_country(client, make_article, settings):
    """The lines are those of ../shared/CONTENT-FACTS.md (section 11), each a link a phone can call."""
    expected = {"988": "tel:988", "9-8-8": "tel:988", "116 123": "tel:116123", "13 11 14": "tel:131114"}
    expected["1737"] = "tel:1737"
    article = make_article()
    pages = [client.get("/"), client.get(article.get_absolute_url()), client.get("/no/such/page/")]
    settings.ROOT_URLCONF = "tests.articles.broken_urls"
    pages.append(Client(raise_request_exception=False).get("/boom/"))
    assert [response.status_code for response in pages] == [200, 200, 404, 500]
    for response in pages:
        links, text = crisis_lines(response)
        assert links == expected
        for words in (
            "US:",
            "Canada:",
            "UK and Ireland: Samaritans",
            "NHS 111",
            "Australia:",
            "New Zealand:",
        ):
            assert words in text
        assert "emergency 999" in text and "emergency 000" in text and "emergency 911" in text


def test_without_faqsite_url_links_use_the_address_and_port_the_page_was_served_on(
    client, make_article, settings
):
    """`make run PORT=8001` (debug, no FAQSITE_URL) links to port 8001, not 8000."""
    settings.SITE_URL, settings.ALLOWED_HOSTS = "", ["127.0.0.1"]
    article = make_article()
    page = soup(client.get(article.get_absolute_url(), HTTP_HOST="127.0.0.1:8001"))
    url = f"http://127.0.0.1:8001{article.get_absolute_url()}"
    assert page.find("link", rel="canonical")["href"] == url
    assert page.find("meta", property="og:url")["content"] == url
    from tests.test_settings import run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(repr(settings.SITE_URL))",
        env_extra={"DJANGO_DEBUG": "true"},
    )
    assert result.stdout.split()[-1] == "''", result.stderr


@pytest.mark.parametrize("url", ["/", "/topics/", "/quizzes/", "/search/?q=gift"])
def test_public_pages_have_a_canonical_url(client, url):
    canonical = soup(client.get(url)).find("link", rel="canonical")["href"]
    assert canonical == "https://faqsite.example" + url.split("?")[0]


def test_article_has_reading_time_back_to_top_and_a_print_stylesheet(client, make_article, settings):
    article = make_article(sections=0)
    Section.objects.create(article=article, question="Long?", answer="word " * 450)
    page = soup(client.get(article.get_absolute_url()))
    assert "About 3 minutes to read" in page.get_text()
    assert page.select_one(".back-to-top a")["href"] == "#top"
    assert page.body["id"] == "top"
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    assert "@media print" in css


def test_was_this_helpful_one_vote_per_reader_and_section(client, make_article):
    section = make_article(sections=1).sections.get()
    url = f"/sections/{section.pk}/feedback/"
    response = client.post(url, {"helpful": "yes"})
    assert response["Location"] == f"{section.article.get_absolute_url()}#extra-thanks-{section.pk}"
    client.post(url, {"helpful": "no"})  # changing one's mind replaces the vote
    client.post(url, {"helpful": "no"})
    assert list(HelpfulVote.objects.values_list("helpful", flat=True)) == [False]
    Client(REMOTE_ADDR="10.0.0.2").post(url, {"helpful": "yes"})  # another reader, no sign-in needed
    assert HelpfulVote.objects.count() == 2
    # The redirect lands on the section's thanks, which CSS shows in place of its buttons (:target).
    page = soup(client.get(response["Location"].split("#")[0]))
    thanks = page.find(id=f"extra-thanks-{section.pk}")
    assert thanks.get_text() == "Thank you for your feedback." and thanks.has_attr("hidden")
    assert thanks.find_next_sibling("form")["action"] == url


def test_the_database_allows_one_vote_per_reader_and_section(make_article):
    section = make_article(sections=1).sections.get()
    HelpfulVote.objects.create(section=section, visitor_key="x", helpful=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpfulVote.objects.create(section=section, visitor_key="x", helpful=False)


def test_feedback_refuses_bad_input_and_unpublished_sections(client, make_article):
    section = make_article(sections=1).sections.get()
    response = client.post(f"/sections/{section.pk}/feedback/", {"helpful": "maybe"})
    assert response.status_code == 400
    page = soup(response)
    # The error pattern: the summary links to the Yes button, which is there to press.
    assert page.select_one(".error-summary a").get_text() == "Choose Yes or No."
    assert page.find(id=page.select_one(".error-summary a")["href"][1:])["value"] == "yes"
    Article.objects.update(status="draft")
    assert client.post(f"/sections/{section.pk}/feedback/", {"helpful": "yes"}).status_code == 404
    assert client.get(f"/sections/{section.pk}/feedback/").status_code == 405
    assert not HelpfulVote.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://attacker.example"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"},
        {"Sec-Fetch-Site": "same-site"},  # another site under the same domain
        {"Origin": "null"},  # a sandboxed frame
    ],
)
def test_a_vote_sent_from_another_site_is_refused(make_article, headers):
    section = make_article(sections=1).sections.get()
    # The page is kept for every visitor, so its form has no CSRF token; the browser's own
    # headers say where the form was.
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/sections/{section.pk}/feedback/", {"helpful": "no"}, headers=headers)
    assert response.status_code == 403 and "sent from another website" in soup(response).get_text()
    assert not HelpfulVote.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Origin": "http://testserver"},  # a browser without Fetch Metadata
        {},  # not a browser: no visitor was made to send it
    ],
)
def test_a_visitors_vote_from_this_site_needs_no_token(make_article, headers):
    section = make_article(sections=1).sections.get()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/sections/{section.pk}/feedback/", {"helpful": "yes"}, headers=headers)
    assert response.status_code == 302 and HelpfulVote.objects.get().helpful is True


def test_a_logged_in_readers_vote_from_another_site_is_refused(make_article, reader):
    section = make_article(sections=1).sections.get()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    url = f"/sections/{section.pk}/feedback/"
    forged = {"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"}
    assert browser.post(url, {"helpful": "no"}, headers=forged).status_code == 403
    assert not HelpfulVote.objects.exists()
    own = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
    assert browser.post(url, {"helpful": "yes"}, headers=own).status_code == 302
    assert HelpfulVote.objects.get().user == reader


def test_the_search_benchmark_runs_on_postgresql_and_says_why_not_elsewhere():
    from io import StringIO

    from django.db import connection

    from tests.benchmarks import CantRun
    from tests.benchmarks.search import run

    if connection.vendor != "postgresql":
        with pytest.raises(CantRun, match="needs PostgreSQL"):
            run()
        return
    out = StringIO()
    run(articles=5, sections=4, repeat=1, out=out)
    assert "20 sections" in out.getvalue()
    assert not Article.objects.exists()  # rolled back


def test_the_search_benchmark_script_refuses_sqlite_in_one_line():
    """Run as the README says (`make bench-search` runs this module), without the test settings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.search"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "the search benchmark needs PostgreSQL: set DATABASE_URL=postgres://..."


def test_simple_search_ranks_a_question_match_above_an_answer_that_repeats_the_word(client, make_article):
    article = make_article(sections=0)
    Section.objects.create(article=article, position=1, question="What about gifts?", answer="cry " * 6)
    Section.objects.create(article=article, position=2, question="Is it OK to cry in therapy?", answer="Yes.")
    hits = soup(client.get("/search/", {"q": "can I cry"})).select(".search-hit h2")
    assert [h.get_text() for h in hits][0] == "Is it OK to cry in therapy?"


def test_a_query_with_a_nul_byte_is_refused_with_words_and_other_control_characters_are_dropped(
    client, corpus
):
    # NUL is refused everywhere, before any view (faqsite/middleware.py); the rest are spaces.
    response = client.get("/search/", {"q": "gift\x00"})
    assert response.status_code == 400 and "NUL character" in response.content.decode()
    response = client.get("/search/", {"q": "gift\x07"})
    assert response.status_code == 200 and "3 answers found" in soup(response).get_text()


def test_the_feed_names_an_author_as_atom_requires(client, make_article):
    make_article()
    root = ET.fromstring(client.get("/feed/").content)  # noqa: S314
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{atom}author/{atom}name").text


@pytest.mark.parametrize(
    ("query", "top"),
    [
        ("gift", "is-it-all-right-to-give-my-therapist-a-gift"),
        ("hug", "can-a-therapist-hug-a-client-who-is-crying"),
        ("Tarasoff", "what-is-the-duty-to-protect"),
        ("prescribe", "can-psychologists-prescribe-medication"),
        ("social media", "can-my-therapist-follow-me-or-friend-me-on-social-media"),
        ("cry first session", "is-it-normal-to-cry-in-a-first-therapy-session"),
        ("complaint licence", "where-do-i-complain-in-the-us"),
    ],
)
def test_both_databases_give_the_same_top_hit_on_the_demo_content(query, top):
    from django.core.management import call_command

    from articles.search import search_sections

    call_command("load_demo", verbosity=0)
    assert search_sections(query)[0].section.anchor == top


def test_a_visitors_votes_move_into_the_account_they_log_in_to(client, reader, make_article):
    first, second = make_article(sections=2).sections.all()
    client.post(f"/sections/{first.pk}/feedback/", {"helpful": "no"})
    client.post(f"/sections/{second.pk}/feedback/", {"helpful": "no"})
    HelpfulVote.objects.create(section=second, user=reader, helpful=True)
    client.post("/accounts/login/", {"username": "alice", "password": "alice-password"})
    votes = dict(HelpfulVote.objects.values_list("section_id", "helpful"))
    assert votes == {first.pk: False, second.pk: True}  # the account's own vote stays
    assert set(HelpfulVote.objects.values_list("user", "visitor_key")) == {(reader.pk, "")}
    client.post(f"/sections/{first.pk}/feedback/", {"helpful": "yes"})
    assert HelpfulVote.objects.count() == 2


def test_one_address_voting_very_often_is_slowed(client, make_article):
    section = make_article(sections=1).sections.get()
    for n in range(60):  # sixty browsers behind one address
        assert (
            Client(HTTP_USER_AGENT=f"browser {n}")
            .post(f"/sections/{section.pk}/feedback/", {"helpful": "yes"}, REMOTE_ADDR="10.1.1.1")
            .status_code
            == 302
        )
    response = Client().post(f"/sections/{section.pk}/feedback/", {"helpful": "yes"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429 and "Too many answers" in soup(response).get_text()
    assert HelpfulVote.objects.count() == 60
    other = Client().post(f"/sections/{section.pk}/feedback/", {"helpful": "yes"}, REMOTE_ADDR="10.1.1.2")
    assert other.status_code == 302


@pytest.mark.parametrize("behind_proxy", [True, False])
def test_votes_are_counted_per_client_address_behind_a_proxy(settings, make_article, behind_proxy):
    """Behind the proxy every request comes from its address: the client's, from the proxy's
    X-Forwarded-For, is what is counted; without the setting, the header is not trusted."""
    settings.BEHIND_PROXY = behind_proxy
    section = make_article(sections=1).sections.get()

    def vote(client_address):
        return (
            Client()
            .post(
                f"/sections/{section.pk}/feedback/",
                {"helpful": "yes"},
                REMOTE_ADDR="10.9.9.9",
                HTTP_X_FORWARDED_FOR=f"forged, {client_address}",
            )
            .status_code
        )

    assert [vote("203.0.113.5") for _ in range(60)] == [302] * 60
    assert vote("203.0.113.5") == 429
    assert vote("198.51.100.7") == (302 if behind_proxy else 429)


@pytest.mark.parametrize(("first", "second"), [("2001:db8::1", "2001:db8::2"), ("", "10.3.3.3")])
def test_votes_count_each_exact_address_and_no_address_is_no_error(make_article, first, second):
    section = make_article(sections=1).sections.get()

    def vote(address):
        return Client().post(f"/sections/{section.pk}/feedback/", {"helpful": "yes"}, REMOTE_ADDR=address)

    assert [vote(first).status_code for _ in range(61)][-2:] == [302, 429]
    assert vote(second).status_code == 302  # another address, even in the same IPv6 /64
