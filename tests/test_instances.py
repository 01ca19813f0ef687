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
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article, HelpfulVote
from articles.visitors import FIRST_REQUESTS_SECONDS
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
    # The second step of an editor's log-in, on the other instance: the app's code.
    app = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    code = {"code": f"{totp(app.bin_key):06d}"}
    assert editor_browser.request(f"{other}/accounts/two-step/", code)[0] == 302
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
        # The page sends a choice's place in the attempt's order (1, 2…); the item keeps its id.
        saved = {
            f"/attempts/{attempt_id}/questions/{i.position}/": [c["id"] for c in i.asked["choices"]].index(
                i.chosen[0]
            )
            + 1
            for i in items
        }
        assert saved == sent


def test_a_guests_first_requests_sent_together_are_one_visitor_on_both_instances(
    instances, make_quiz, make_article
):
    """Twenty "Start" clicks at once, before any session cookie came back, half to each instance:
    one attempt, and every one of the twenty redirects opens for the browser. Then twenty first
    votes at once from a browser with no cookie at all: one vote."""
    one, other = instances
    quiz = make_quiz(questions=2)
    browser = Browser()
    browser.request(f"{one}/quizzes/{quiz.slug}/")
    assert browser.cookie("csrftoken") and not browser.cookie("sessionid")
    servers = [one, other]
    with ThreadPoolExecutor(max_workers=20) as pool:
        starts = list(
            pool.map(lambda n: browser.request(f"{servers[n % 2]}/quizzes/{quiz.slug}/start/", {}), range(20))
        )
    assert {status for status, _, _ in starts} == {302}
    attempt = Attempt.objects.get()
    locations = {headers["Location"] for _, _, headers in starts}
    assert locations == {f"/attempts/{attempt.pk}/questions/1/"}
    for server in servers:
        assert browser.request(f"{server}/attempts/{attempt.pk}/questions/1/")[0] == 200

    section = make_article(sections=1).sections.get()
    voter = Browser()
    voter.request(f"{one}{section.article.get_absolute_url()}")
    assert not list(voter.cookies)  # the article page sets no cookie: it is kept for everyone
    url = f"/sections/{section.pk}/feedback/"
    # Cookieless first requests are one visitor's within the same ten seconds of the clock
    # (articles/visitors.py): send them at the start of ten seconds, so none falls in the next.
    time.sleep(FIRST_REQUESTS_SECONDS - time.time() % FIRST_REQUESTS_SECONDS + 0.05)
    with ThreadPoolExecutor(max_workers=20) as pool:
        votes = list(
            pool.map(lambda n: voter.request(f"{servers[n % 2]}{url}", {"helpful": "yes"}), range(20))
        )
    assert {status for status, _, _ in votes} == {302}
    assert HelpfulVote.objects.count() == 1
