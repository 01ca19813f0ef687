import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone

from tests.pages import soup

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_newest_first_with_topics_and_counts(client, make_article, make_topic):
    ethics = make_topic("Ethics")
    newer = make_article(sections=3, topics=[ethics], published_at=timezone.now() - timedelta(1))
    older = make_article(sections=8, published_at=timezone.now() - timedelta(9))
    make_article(status="draft", title="A secret draft")
    make_article(title="A future article", published_at=timezone.now() + timedelta(days=1))
    page = soup(client.get("/"))
    cards = page.select(".article-card")
    assert [c.h2.get_text(strip=True) for c in cards] == [newer.title, older.title]
    assert "3 questions" in cards[0].get_text() and "8 questions" in cards[1].get_text()
    assert cards[0].find("a", href="/topics/ethics/")
    assert "A secret draft" not in str(page) and "A future article" not in str(page)


def test_topic_page_lists_only_that_topics_published_articles(client, make_article, make_topic):
    ethics, other = make_topic("Ethics", description="About ethics."), make_topic("Other")
    inside = make_article(topics=[ethics])
    make_article(topics=[other])
    make_article(topics=[ethics], status="draft")
    page = soup(client.get("/topics/ethics/"))
    assert page.h1.get_text() == "Ethics"
    assert [c.h2.get_text(strip=True) for c in page.select(".article-card")] == [inside.title]
    topics = soup(client.get("/topics/"))
    assert "1 article" in topics.get_text()
    assert client.get("/topics/nope/").status_code == 404


def test_article_page_has_title_summary_contents_and_answers(client, make_article, make_topic):
    ethics = make_topic("Ethics")
    article = make_article(sections=3, topics=[ethics], summary="A short summary.")
    related = make_article(topics=[ethics], title="A related article")
    page = soup(client.get(f"/articles/{article.slug}/"))
    assert len(page.find_all("h1")) == 1 and page.h1.get_text() == article.title
    assert page.find("p", class_="lead").get_text() == "A short summary."
    sections = list(article.sections.all())
    toc_links = [a["href"] for a in page.select("nav.toc a")]
    assert toc_links == [f"#{s.anchor}" for s in sections]
    for section in sections:
        heading = page.find(id=section.anchor)
        assert heading.name == "h2" and heading.get_text() == section.question
        assert heading.find_next("div", class_="answer").find("li")
    assert page.find("time")["datetime"] == article.updated_at.strftime("%Y-%m-%d")
    assert page.select_one("#related-articles a")["href"] == related.get_absolute_url()
    crumbs = page.find("nav", attrs={"aria-label": "Breadcrumb"})
    assert [a["href"] for a in crumbs.find_all("a")] == ["/", "/topics/ethics/"]


def test_article_page_head_has_description_canonical_and_open_graph(client, make_article):
    article = make_article(summary="Whether tears in therapy are ethical. " * 10)
    page = soup(client.get(f"/articles/{article.slug}/"))
    url = f"https://faqsite.example/articles/{article.slug}/"
    assert page.title.get_text().startswith(article.title)
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Whether tears") and len(description) <= 160
    assert page.find("link", rel="canonical")["href"] == url
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:title"] == article.title and og["og:url"] == url
    assert og["og:type"] == "article"


def test_article_json_ld_is_a_faq_page_with_one_question_per_section(client, make_article):
    article = make_article(sections=4)
    section = article.sections.first()
    section.answer = "Tags <b>and</b> a </script> attempt & **bold** text"
    section.save()
    script = soup(client.get(f"/articles/{article.slug}/")).find("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "FAQPage"
    questions = data["mainEntity"]
    assert len(questions) == 4
    assert all(q["@type"] == "Question" and q["acceptedAnswer"]["@type"] == "Answer" for q in questions)
    assert questions[0]["name"] == section.question
    assert questions[0]["acceptedAnswer"]["text"] == "Tags and a attempt & bold text"
    assert "</script" not in script.string


@pytest.mark.parametrize(
    "fields",
    [{"status": "draft"}, {"published_at": timezone.now() + timedelta(days=2)}],
    ids=["draft", "future"],
)
def test_unpublished_articles_are_404_for_readers_and_previews_for_staff(
    client, make_article, reader, editor, fields
):
    article = make_article(**fields)
    url = f"/articles/{article.slug}/"
    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    page = soup(client.get(url))
    assert "Preview." in page.select_one(".preview-banner").get_text()
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


def test_published_article_has_no_preview_banner_for_staff(client, make_article, editor):
    client.force_login(editor)
    page = soup(client.get(f"/articles/{make_article().slug}/"))
    assert page.select_one(".preview-banner") is None


@pytest.mark.parametrize("sections", [5, 50])
def test_article_page_runs_a_fixed_number_of_queries(
    client, make_article, make_topic, django_assert_num_queries, sections, settings
):
    topic = make_topic("Ethics")
    article = make_article(sections=sections, topics=[topic])
    make_article(topics=[topic])
    # The page cache is off here. The article with its body rendered on write, when the next
    # scheduled article is due (the first page after a change asks), related articles and the
    # quizzes that test it: four, whatever the number of sections...
    settings.FAQSITE_PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(4):
        client.get(f"/articles/{article.slug}/")
    # ...and one while the related articles and quiz links, the same for everyone, are current.
    with django_assert_num_queries(1):
        response = client.get(f"/articles/{article.slug}/")
    assert response.content.decode().count('<section class="qa">') == sections


def test_pages_have_landmarks_and_labelled_navigation(client, make_article):
    article = make_article()
    for url in ["/", "/topics/", f"/articles/{article.slug}/"]:
        page = soup(client.get(url))
        assert page.find("html")["lang"]
        assert page.find("header") and page.find("main", id="main") and page.find("footer")
        assert page.find("a", class_="skip-link")["href"] == "#main"
        assert all(nav.get("aria-label") or nav.get("aria-labelledby") for nav in page.find_all("nav"))
        assert len(page.find_all("h1")) == 1
        assert page.find("meta", attrs={"name": "viewport"})
        # Nothing needs JavaScript to be read: the one script is the home page's suggestions under
        # its search box, which the form works without (tests/browser/test_suggest.py).
        scripts = [script["src"] for script in page.find_all("script", src=True)]
        assert scripts == (["/static/articles/suggest.js"] if url == "/" else [])


def test_pages_send_a_content_security_policy_with_nothing_per_request(client, make_article):
    # The article page is kept and served to many visitors, so it can't carry a per-request nonce:
    # its only script is JSON-LD data, which a browser never runs and CSP doesn't govern.
    url = f"/articles/{make_article().slug}/"
    response = client.get(url)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "object-src 'none'" in policy and "nonce" not in policy
    assert soup(response).find("script", type="application/ld+json").get("nonce") is None
    assert client.get(url, HTTP_X_NO_CACHE="1").headers["Content-Security-Policy"] == policy


def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "database: ok",
        "cache default: ok",
        "cache pages: ok",
        "cache sessions: ok",
    ]


def test_healthz_answers_503_when_the_database_is_not(client):
    with mock.patch("faqsite.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and "database: unreachable" in response.content.decode()
