import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

# Tests marked `redis` talk to a real Redis. Without one they are skipped with one line saying so;
# FAQSITE_REQUIRE_REDIS=1 (set by .ci/run, which starts Redis) turns that skip into a failure.
REDIS_URL = os.environ.get("FAQSITE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_MISSING = f"Redis tests skipped: no Redis answers at {REDIS_URL} (start redis-server to run them)"


def _redis_answers():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def pytest_collection_modifyitems(config, items):
    redis_items = [item for item in items if item.get_closest_marker("redis")]
    if not redis_items or _redis_answers():
        return
    if os.environ.get("FAQSITE_REQUIRE_REDIS"):
        raise pytest.UsageError(f"No Redis answers at {REDIS_URL}, and FAQSITE_REQUIRE_REDIS is set")
    config.stash[_REDIS_SKIPPED] = True
    for item in redis_items:
        item.add_marker(pytest.mark.skip(reason=REDIS_MISSING))


_REDIS_SKIPPED = pytest.StashKey[bool]()


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(_REDIS_SKIPPED, False):
        terminalreporter.write_line(REDIS_MISSING)


class KeepOrder:
    def shuffle(self, items):
        pass

    def sample(self, items, k):
        return list(items)[:k]


@pytest.fixture
def keep_order(monkeypatch):
    """Attempts ask questions and choices in the editor's order, for the few tests that must say
    "the first question" or see a page in one known order. Others run with the shuffling that
    ships: they find choices by text (tests/quizzes/helpers.py right, wrong, values)."""
    from quizzes import services

    monkeypatch.setattr(services, "shuffler", KeepOrder())


@pytest.fixture(autouse=True)
def _staff_force_login_is_a_whole_log_in(monkeypatch):
    """client.force_login(user) stands for a whole log-in. Staff log in in two steps (the password,
    then their authenticator app's code: accounts/two_step.py), so for staff it also does the second
    step: their app is set up and the session verified by it. tests/accounts/test_two_step.py goes
    through both steps for real."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    force_login = Client.force_login

    def whole_log_in(self, user, backend=None):
        force_login(self, user, backend)
        if user.is_staff:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "tests"}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", whole_log_in)


@pytest.fixture
def redis_url():
    return REDIS_URL


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # live_server and the test client can't serve manifest-hashed names, and need no collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Serve static files from the apps' folders, as in development (no staticfiles/ needed).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://faqsite.example"
    # Kept pages in this process's memory, as with one process (the two-instance test uses Redis).
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"},
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-sessions"},
    }
    # Counters kept in the cache (votes per address) and kept pages start empty in every test.
    from django.core.cache import caches

    caches["default"].clear()
    caches["pages"].clear()
    caches["sessions"].clear()


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.org", "alice-password")


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "charlie", "charlie@example.org", "charlie-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def make_article(db):
    from articles.models import Article, Section

    counter = iter(range(1, 10_000))

    def make(sections=3, status="published", **fields):
        n = next(counter)
        fields.setdefault("title", f"Article {n}")
        fields.setdefault("slug", f"article-{n}")
        fields.setdefault("summary", f"Summary of article {n}.")
        if status == "published":
            fields.setdefault("published_at", timezone.now() - timedelta(days=n))
        topics = fields.pop("topics", [])
        article = Article.objects.create(status=status, **fields)
        article.topics.set(topics)
        for i in range(1, sections + 1):
            Section.objects.create(
                article=article,
                question=f"Question {i} of article {n}?",
                answer=f"Answer {i}, with a list:\n\n- one\n- two",
                position=i,
            )
        return article

    return make


@pytest.fixture
def make_topic(db):
    from articles.models import Topic

    def make(name, **fields):
        from django.utils.text import slugify

        return Topic.objects.create(name=name, slug=fields.pop("slug", slugify(name)), **fields)

    return make


@pytest.fixture
def other_reader(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.org", "bob-password")


CHOICES = {
    "single": [("Right", True), ("Wrong one", False), ("Wrong two", False)],
    "multiple": [("Right A", True), ("Right B", True), ("Wrong C", False)],
    "true_false": [("True", True), ("False", False)],
}


@pytest.fixture
def make_quiz(db, make_article):
    """A quiz whose questions each link to a section of a new published article."""
    from quizzes.models import Choice, Question, Quiz

    counter = iter(range(1, 10_000))

    def make(questions=3, kinds=None, status="published", **fields):
        n = next(counter)
        article = make_article(sections=questions)
        fields.setdefault("title", f"Quiz {n}")
        fields.setdefault("slug", f"quiz-{n}")
        topics = fields.pop("topics", [])
        quiz = Quiz.objects.create(**fields)
        quiz.topics.set(topics)
        for position, section in enumerate(article.sections.all(), start=1):
            kind = kinds[position - 1] if kinds else "single"
            question = Question.objects.create(
                quiz=quiz,
                prompt=f"Quiz {n} question {position}?",
                kind=kind,
                explanation=f"Explained in section {position}.",
                section=section,
                position=position,
            )
            for order, (text, correct) in enumerate(CHOICES[kind], start=1):
                Choice.objects.create(
                    question=question,
                    text=text,
                    is_correct=correct,
                    position=order,
                    note=f"Note on {text.lower()}.",
                )
        if status == "published":
            quiz.status = Quiz.Status.PUBLISHED
            quiz.save()
        return quiz

    return make


@pytest.fixture
def pages_without_template_records(monkeypatch):
    """The test client records every template a page renders, with a copy of its context (a field
    of an admin form is several templates): for tests that draw thousands of forms and read only
    the HTML, that copying is most of their time."""
    import django.test.client

    monkeypatch.setattr(django.test.client, "store_rendered_templates", lambda *args, **kwargs: None)
