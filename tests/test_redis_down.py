"""REDIS_URL set and Redis gone (a closed port): the site keeps serving. Limits let requests
through, sessions are read from the database, pages are made afresh, /healthz says which cache is
down, and the error is logged once a minute, not on every request."""

import logging

import pytest
from django.core.cache import caches

from faqsite import cache as forgiving
from tests.accounts.test_accounts import SIGNUP
from tests.pages import text

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    gone = {
        "BACKEND": "faqsite.cache.ForgivingRedisCache",
        "LOCATION": CLOSED,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {
        "default": gone,
        "pages": {**gone, "KEY_PREFIX": "pages"},
        "sessions": {**gone, "BACKEND": "faqsite.cache.SessionsRedisCache", "KEY_PREFIX": "sessions"},
    }
    settings.FAQSITE_PAGE_CACHE_SECONDS = 600
    forgiving._last_logged.clear()
    forgiving._paused_until.clear()
    yield
    for alias in ("default", "pages", "sessions"):
        caches[alias].close()


def test_sign_up_password_reset_and_votes_work_and_log_in_holds(client, reader, make_article, redis_down):
    response = client.post("/accounts/signup/?next=/quizzes/", SIGNUP)
    assert response.status_code == 302
    assert "Signed in as dana" in text(client.get("/quizzes/"))  # the session, from the database
    client.logout()
    assert client.post("/accounts/password/reset/", {"email": reader.email}).status_code == 302
    article = make_article(sections=1)
    section = article.sections.get()
    vote = client.post(
        f"/sections/{section.pk}/feedback/", {"helpful": "yes"}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert vote.status_code == 302 and section.helpful_votes.count() == 1
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and section.question in page.content.decode()


def test_healthz_says_which_cache_is_down_and_stays_200(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "database: ok"
    assert "cache default: unavailable" in lines and "cache sessions: unavailable" in lines


def test_the_error_is_logged_once_a_minute_not_on_every_request(client, make_article, redis_down, caplog):
    article = make_article(sections=1)
    with caplog.at_level(logging.ERROR, logger="faqsite.cache"):
        for _ in range(5):
            assert client.get(article.get_absolute_url()).status_code == 200
    logged = [r for r in caplog.records if r.name == "faqsite.cache"]
    assert len(logged) == 1 and "Redis cache unavailable" in logged[0].getMessage()


def test_after_a_failure_redis_is_left_alone_for_a_moment(redis_down, monkeypatch):
    from django.core.cache.backends.redis import RedisCacheClient

    tries = []
    real_get = RedisCacheClient.get
    monkeypatch.setattr(RedisCacheClient, "get", lambda self, *a: tries.append(1) or real_get(self, *a))
    cache = caches["default"]
    assert [cache.get("a", "none") for _ in range(5)] == ["none"] * 5
    assert len(tries) == 1  # one wait for the socket, not five
    forgiving._paused_until.clear()
    cache.get("a")
    assert len(tries) == 2


def test_a_session_is_kept_in_redis_for_minutes_at_most(redis_down):
    sessions = caches["sessions"]
    assert sessions.get_backend_timeout(14 * 24 * 3600) == 300
    assert sessions.get_backend_timeout(None) == 300
    assert sessions.get_backend_timeout(60) == 60
