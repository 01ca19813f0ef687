"""The anonymous page cache and HTTP caching (faqsite/caching.py): what is kept, for whom, and when
it stops being served."""

import gzip
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import freshness
from articles.models import Article, Section, Topic
from quizzes.models import Quiz
from tests.articles.helpers import change_form
from tests.pages import soup, text

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response


def served_from_cache(client, url):
    return get(client, url).get("X-Page-Cache") == "hit"


@pytest.fixture
def article(make_article, make_topic):
    return make_article(topics=[make_topic("Boundaries")])


@pytest.mark.parametrize(
    "url", ["/", "/topics/", "/topics/boundaries/", "/feed/", "/sitemap.xml", "/quizzes/"]
)
def test_public_pages_are_kept_for_visitors(client, article, url):
    first = get(client, url)
    second = get(client, url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.queries == 0 and second.content == first.content


def test_a_kept_article_is_the_same_page_with_the_same_headers_and_no_query(client, article):
    url = article.get_absolute_url()
    client.get("/")  # the first page after a change also asks when the next article is due
    first = get(client, url)
    assert first.queries == 3 and first["X-Page-Cache"] == "miss"
    second = get(client, url)
    assert second.queries == 0 and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    for header in [
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "ETag",
        "Cache-Control",
        "Vary",
    ]:
        assert second[header] == first[header], header
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in first["Vary"] and "Accept-Encoding" in first["Vary"]
    assert not first.cookies and not second.cookies  # a shared cache or CDN can keep it


def test_the_article_page_sets_no_cookie_and_holds_no_token(client, article):
    response = client.get(article.get_absolute_url())
    assert not response.cookies
    assert soup(response).find("input", attrs={"name": "csrfmiddlewaretoken"}) is None
    assert soup(response).select("form.feedback")  # the vote form is there, without a token


def test_a_repeat_visit_gets_304_from_the_cache_and_from_the_site(client, article, settings):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    hit = client.get(url, headers={"If-None-Match": etag})
    assert hit.status_code == 304 and hit["X-Page-Cache"] == "hit" and hit.content == b""
    assert hit["ETag"] == etag and hit["Cache-Control"] == "public, max-age=60"
    settings.FAQSITE_PAGE_CACHE_SECONDS = 0
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_pages_are_compressed_for_browsers_that_accept_it_and_kept_apart(client, article):
    url = article.get_absolute_url()
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip" and zipped["X-Page-Cache"] == "miss"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and "Content-Encoding" not in again
    assert again.content == plain.content


def test_an_editors_change_is_on_the_next_request(client, article, editor):
    url = article.get_absolute_url()
    client.get(url)
    assert served_from_cache(client, url)
    editor_client = type(client)()
    editor_client.force_login(editor)
    section = article.sections.first()
    sections = [(s.pk, s.question, s.answer) for s in article.sections.all()]
    sections[0] = (section.pk, "What are red flags in a therapist?", section.answer)
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, sections, title="A new title", status="published"),
    )
    assert response.status_code == 302
    page = get(client, url)
    assert page["X-Page-Cache"] == "miss"
    assert (
        "A new title" in page.content.decode()
        and "What are red flags in a therapist?" in page.content.decode()
    )
    assert "A new title" in client.get("/").content.decode()


def topics_unlinked(article, editor):
    """Where editors unlink topics: the article's form in the admin."""
    editor_client = Client()
    editor_client.force_login(editor)
    sections = [(s.pk, s.question, s.answer) for s in article.sections.all()]
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, sections)
    )
    assert response.status_code == 302 and not article.topics.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda article, editor: Article.objects.filter(pk=article.pk).first().delete(),
        lambda article, editor: Section.objects.filter(article=article).first().delete(),
        lambda article, editor: Topic.objects.get(slug="boundaries").save(),
        topics_unlinked,
        lambda article, editor: Article.objects.get(pk=article.pk).save(),
    ],
    ids=["article deleted", "section deleted", "topic saved", "topics unlinked", "article saved"],
)
def test_every_change_readers_see_drops_the_kept_pages(client, article, editor, change):
    client.get("/")
    assert served_from_cache(client, "/")
    change(article, editor)
    assert not served_from_cache(client, "/")


def test_publishing_a_quiz_puts_test_yourself_on_the_kept_article(client, make_quiz, editor):
    quiz = make_quiz(status="draft")
    url = quiz.questions.first().section.article.get_absolute_url()
    assert "Test yourself" not in client.get(url).content.decode()
    editor_client = type(client)()
    editor_client.force_login(editor)
    editor_client.post("/admin/quizzes/quiz/", {"action": "publish", "_selected_action": [quiz.pk]})
    assert Quiz.objects.get(pk=quiz.pk).status == "published"
    page = get(client, url)
    assert page["X-Page-Cache"] == "miss" and "Test yourself" in page.content.decode()


def test_a_page_made_before_a_change_commits_is_not_served_after(
    client, article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).update(title="Changed in a transaction")
        Article.objects.get(pk=article.pk).save()
        # Another process reading now would still see the old row: the page it keeps...
        client.get(url)
        assert served_from_cache(client, url)
    # ...is dropped when the transaction commits.
    assert not served_from_cache(client, url)


def test_a_logged_in_reader_is_never_served_a_kept_page_and_never_fills_it(client, article, reader):
    url = article.get_absolute_url()
    client.get(url)
    client.force_login(reader)
    response = client.get(url)
    assert "X-Page-Cache" not in response and "Signed in as alice" in text(response)
    assert response["Cache-Control"] == "private, no-store"
    caches["pages"].clear()
    client.get(url)
    client.logout()
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_staff_previews_and_share_links_are_never_kept(client, make_article, editor):
    draft = make_article(status="draft")
    staff = type(client)()
    staff.force_login(editor)
    assert "Preview." in staff.get(draft.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    link = draft.share_links.create(created_by=editor)
    url = f"/preview/{link.token}/"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in second and second["Cache-Control"] == "private, no-store"


def test_a_visitor_with_a_session_or_a_message_goes_past_the_cache(client, article):
    url = article.get_absolute_url()
    client.get(url)
    client.cookies["sessionid"] = "whatever"
    assert "X-Page-Cache" not in client.get(url)
    del client.cookies["sessionid"]
    client.cookies["messages"] = "something to say"
    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.parametrize("query", ["?utm_source=x", "?page=2&page=3", "?page=1", "?page=2", "?feedback=1"])
def test_addresses_with_other_queries_are_not_kept(client, article, query):
    url = article.get_absolute_url() + query
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_search_is_kept_by_no_shared_cache_so_every_search_is_counted(client, article):
    """Searches are counted (articles/search_log.py): a CDN answering one would hide it. A browser
    may keep the page for Back, and asks again for a new search."""
    for url in ["/search/?q=answer", "/search/?q=answer&page=1", "/search/", "/search/?q=nothing+like+it"]:
        response = client.get(url)
        assert "X-Page-Cache" not in response and response["Cache-Control"] == "private, no-cache", url
        # The same whatever the search's own cookie says: Back shows the browser's copy even after
        # the search added to that cookie (a Vary: Cookie would make it ask, and count, again).
        assert "Cookie" not in response["Vary"] and "Accept-Encoding" in response["Vary"], url
    assert "X-Page-Cache" not in client.get("/search/?q=answer")


def test_a_logged_in_readers_search_is_private_and_not_stored(client, reader, article):
    client.force_login(reader)
    response = client.get("/search/?q=answer")
    assert response["Cache-Control"] == "private, no-store" and "Cookie" in response["Vary"]


def test_zero_seconds_turns_the_cache_off(client, article, settings):
    settings.FAQSITE_PAGE_CACHE_SECONDS = 0
    url = article.get_absolute_url()
    client.get(url)
    again = get(client, url)
    assert "X-Page-Cache" not in again and again.queries > 0
    assert again["Cache-Control"] == "public, max-age=60"  # browsers may still keep it


def test_personal_pages_are_private_and_not_stored(client, reader, make_quiz):
    quiz = make_quiz()
    for url in ["/accounts/login/", "/accounts/signup/", f"/quizzes/{quiz.slug}/", "/admin/login/"]:
        assert {"private", "no-store"} <= set(client.get(url)["Cache-Control"].split(", ")), url
    client.force_login(reader)
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = reader.quiz_attempts.get()
    for url in [
        "/progress/",
        f"/attempts/{attempt.pk}/",
        f"/attempts/{attempt.pk}/questions/1/",
        "/",
        "/admin/",
    ]:
        assert {"private", "no-store"} <= set(client.get(url)["Cache-Control"].split(", ")), url


def test_the_generation_is_shared_by_processes_through_the_file_cache(tmp_path, settings, client, article):
    # Two processes on one machine: two cache objects over the same folder.
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": backend, "LOCATION": str(tmp_path)}}
    url = article.get_absolute_url()
    client.get(url)
    assert served_from_cache(client, url)
    other_process = FileBasedCache(str(tmp_path), {})
    assert other_process.get(freshness.GENERATION_KEY) is not None
    other_process.delete(freshness.GENERATION_KEY)  # what pages_changed does there
    assert not served_from_cache(client, url)


@pytest.fixture(params=["memory", "files", pytest.param("redis", marks=pytest.mark.redis)])
def pages_backend(request, settings, tmp_path):
    backends = {
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "backend-test"},
        "files": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    if request.param == "redis":
        backends["redis"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": request.getfixturevalue("redis_url"),
            "KEY_PREFIX": "pages-test",
        }
    settings.CACHES = {**settings.CACHES, "pages": backends[request.param]}
    caches["pages"].clear()
    yield request.param
    caches["pages"].clear()


def test_each_backend_keeps_pages_and_drops_them_on_a_change(client, article, pages_backend):
    url = article.get_absolute_url()
    assert get(client, url)["X-Page-Cache"] == "miss"
    hit = get(client, url)
    assert hit["X-Page-Cache"] == "hit" and hit.queries == 0
    Article.objects.filter(pk=article.pk).update(title="Renamed")
    Article.objects.get(pk=article.pk).save()
    page = get(client, url)
    assert page["X-Page-Cache"] == "miss" and "Renamed" in page.content.decode()


def test_rendering_answers_again_drops_the_kept_pages(client, article):
    url = article.get_absolute_url()
    client.get(url)
    assert served_from_cache(client, url)
    Section.objects.filter(article=article).update(answer="Changed **by hand**.", rendered_with="0ld")
    call_command("render_answers", stdout=StringIO())
    page = get(client, url)
    assert page["X-Page-Cache"] == "miss" and "<strong>by hand</strong>" in page.content.decode()


def test_with_the_cache_down_pages_are_served_and_editors_save(client, article, settings, editor):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    url = article.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200 and "X-Page-Cache" not in second
    Article.objects.filter(pk=article.pk).update(title="Saved while the cache is down")
    Article.objects.get(pk=article.pk).save()
    assert "Saved while the cache is down" in client.get(url).content.decode()


def test_lists_have_one_address_per_page_and_others_are_404(client, make_article):
    for _ in range(3):
        make_article()
    assert client.get("/?page=1").status_code == 200
    assert client.get("/?page=2").status_code == 404  # 3 articles: one page
    assert client.get("/?page=abc").status_code == 404
    client.get("/?page=1")
    assert served_from_cache(client, "/?page=1")
    assert client.get("/?page=01").status_code == 200 and "X-Page-Cache" not in client.get("/?page=01")


def test_each_page_of_the_quiz_list_is_kept(client, make_quiz, monkeypatch):
    monkeypatch.setattr("quizzes.views.QUIZZES_PER_PAGE", 1)
    for _ in range(2):
        make_quiz(questions=1)
    client.get("/quizzes/?page=2")
    assert served_from_cache(client, "/quizzes/?page=2")


def test_related_articles_and_quiz_links_are_current_after_each_change(
    client, make_article, make_topic, make_quiz, settings, reader
):
    """They are worked out once per generation (articles/freshness.py), for every reader: a
    logged-in one too, whose pages are never kept."""
    settings.FAQSITE_PAGE_CACHE_SECONDS = 0
    client.force_login(reader)
    topic = make_topic("Boundaries")
    article = make_article(topics=[topic])
    url = article.get_absolute_url()
    assert "related-articles" not in client.get(url).content.decode()
    newer = make_article(title="A newer article on boundaries", topics=[topic])
    assert newer.title in client.get(url).content.decode()
    Article.objects.filter(pk=newer.pk).update(status="draft")
    Article.objects.get(pk=newer.pk).save()
    assert newer.title not in client.get(url).content.decode()
    quiz = make_quiz(status="draft")
    quizzed = quiz.questions.first().section.article.get_absolute_url()
    assert "Test yourself" not in client.get(quizzed).content.decode()
    quiz.status = "published"
    quiz.save()
    assert "Test yourself" in client.get(quizzed).content.decode()


def test_a_scheduled_related_article_appears_at_its_time(client, make_article, make_topic, settings):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    settings.FAQSITE_PAGE_CACHE_SECONDS = 0
    topic = make_topic("Boundaries")
    article = make_article(topics=[topic])
    soon = timezone.now() + timedelta(hours=1)
    scheduled = make_article(title="Coming soon on boundaries", topics=[topic], published_at=soon)
    assert scheduled.title not in client.get(article.get_absolute_url()).content.decode()
    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(minutes=1)):
        assert scheduled.title in client.get(article.get_absolute_url()).content.decode()
