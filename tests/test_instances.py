"""Two instances of the site (gunicorn, debug off) on one PostgreSQL database and one Redis, as
several machines behind a load balancer would run it: what one does, the other sees at once."""

import os
import random
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar, DefaultCookiePolicy

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from articles.models import Article
from quizzes.models import Attempt, AttemptItem
from tests.test_serve import PROJECT, free_port

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
TAKERS = 50


class PlainHttpCookies(DefaultCookiePolicy):
    """The site marks its cookies Secure (it expects HTTPS in front); here both instances are
    reached over plain HTTP on 127.0.0.1, as a proxy would reach them, so send them anyway."""

    def return_ok_secure(self, cookie, request):
        return True


class KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back redirects and errors as they are, instead of following or raising them."""

    def http_response(self, request, response):
        return response


class Browser:
    """One visitor's browser: its own cookies, shared by both instances (one host, two ports)."""

    def __init__(self):
        self.cookies = CookieJar(policy=PlainHttpCookies())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), KeepEveryResponse
        )

    def request(self, url, data=None):
        if data is not None:
            data = urllib.parse.urlencode(
                {**data, "csrfmiddlewaretoken": self.cookie("csrftoken")}, doseq=True
            )
            data = data.encode()
        with self.opener.open(url, data=data, timeout=60) as response:
            return response.status, response.read().decode(), response.headers

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), "")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_STATIC_ROOT": str(root)},
        check=True,
    )
    return root


@pytest.fixture
def instances(transactional_db, static_root, redis_url, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two instances share a database server: PostgreSQL only (DATABASE_URL)")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FAQSITE_"))},
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "DJANGO_SECRET_KEY": "instances-test-key-" + "x" * 40,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    servers, urls = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
                cwd=PROJECT,
                env={**env, "PORT": str(port)},
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / f"{port}.log", "w"),  # noqa: SIM115
                start_new_session=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for server, url in zip(servers, urls, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=5)  # noqa: S310
                    break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline, "an instance did not start"
                    time.sleep(0.3)
        yield urls
    finally:
        for server in servers:
            os.killpg(server.pid, 15)
        for server in servers:
            server.wait(timeout=30)


def test_a_change_published_through_one_instance_is_seen_through_the_other(instances, make_article, editor):
    one, other = instances
    make_article(title="Already there")
    draft = make_article(title="Can my therapist hug me?", status="draft", slug="hug")
    for _ in range(2):  # the other instance keeps the home page
        status, home, headers = Browser().request(f"{other}/")
    assert status == 200 and headers["X-Page-Cache"] == "hit" and "Can my therapist hug me?" not in home
    assert Browser().request(f"{other}/articles/hug/")[0] == 404

    # The instances check passwords with production's hasher, not the tests' quick one.
    editor.password = PBKDF2PasswordHasher().encode("charlie-password", "instances-salt")
    editor.save()
    editor_browser = Browser()
    editor_browser.request(f"{one}/accounts/login/")
    login = {"username": "charlie", "password": "charlie-password"}
    assert editor_browser.request(f"{one}/accounts/login/", login)[0] == 302
    action = {"action": "publish", "_selected_action": [draft.pk]}
    assert editor_browser.request(f"{one}/admin/articles/article/", action)[0] == 302
    assert Article.objects.get(pk=draft.pk).status == "published"

    status, home, headers = Browser().request(f"{other}/")
    assert headers["X-Page-Cache"] == "miss" and "Can my therapist hug me?" in home
    assert Browser().request(f"{other}/articles/hug/")[0] == 200
    # The editor's session, made on one instance, works on the other.
    status, page, _ = editor_browser.request(f"{other}/admin/")
    assert status == 200 and "charlie" in page.lower()


def _take(quiz_slug, first, second, seed):
    """A guest takes the quiz, each step on the instance the other one did not serve; returns
    their attempt's id and the choice ids they sent, question by question."""
    pick = random.Random(seed)
    browser = Browser()
    browser.request(f"{first}/quizzes/{quiz_slug}/")
    status, _, headers = browser.request(f"{second}/quizzes/{quiz_slug}/start/", {})
    assert status == 302, status
    question_url = headers["Location"]
    attempt_id = int(question_url.split("/attempts/")[1].split("/")[0])
    sent = {}
    position, servers = 1, [first, second]
    while question_url and "/questions/" in question_url:
        status, page, _ = browser.request(f"{servers[position % 2]}{question_url}")
        assert status == 200, (status, question_url)
        choices = [int(i["value"]) for i in BeautifulSoup(page, "html.parser").select("input[name=answer]")]
        chosen = pick.choice(choices)
        status, _, headers = browser.request(
            f"{servers[(position + 1) % 2]}{question_url}", {"answer": chosen}
        )
        assert status == 302, status
        sent[question_url] = chosen
        question_url, position = headers["Location"], position + 1
    return attempt_id, sent


def test_quiz_takers_split_across_two_instances_lose_no_answer(instances, make_quiz):
    one, other = instances
    quiz = make_quiz(questions=3)
    orders = [(one, other), (other, one)]
    with ThreadPoolExecutor(max_workers=TAKERS) as pool:
        taken = list(pool.map(lambda n: _take(quiz.slug, *orders[n % 2], seed=n), range(TAKERS)))
    assert Attempt.objects.count() == TAKERS and len({attempt_id for attempt_id, _ in taken}) == TAKERS
    assert AttemptItem.objects.count() == TAKERS * 3
    assert not AttemptItem.objects.filter(answered_at__isnull=True).exists()
    for attempt_id, sent in taken:
        items = AttemptItem.objects.filter(attempt_id=attempt_id)
        assert {f"/attempts/{attempt_id}/questions/{i.position}/": i.chosen[0] for i in items} == sent
