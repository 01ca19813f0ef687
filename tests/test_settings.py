import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.pages import soup

PROJECT = Path(__file__).parents[1]

PRODUCTION = {
    "DJANGO_SECRET_KEY": "x7Qp2mV9kL4wN8rT1yU6iO3aS5dF0gH2jK7lZ9xC4vB6nM1qW8eR3tY5uI0oP2aD",
    "DJANGO_ALLOWED_HOSTS": "faqsite.example",
}


def run_manage(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
        check=False,
    )


def test_deploy_check_is_clean_with_the_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_about_a_development_setup():
    result = run_manage("check", "--deploy", env_extra={**PRODUCTION, "DJANGO_DEBUG": "true"})
    assert "security.W018" in result.stderr  # DEBUG on in deployment


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = run_manage("check", env_extra={"DJANGO_ALLOWED_HOSTS": "faqsite.example"})
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_is_refused_by_name():
    result = run_manage("check", env_extra={**PRODUCTION, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0 and "DJANGO_DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_local_editor_refuses_to_run_without_debug():
    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG on"):
        call_command("local_editor")
    assert not get_user_model().objects.filter(username="editor").exists()


@pytest.mark.django_db
def test_local_editor_makes_an_editor_with_a_new_random_password_each_time(settings, capsys):
    settings.DEBUG = True
    call_command("local_editor", "--port", "8123")
    first = capsys.readouterr().out
    call_command("local_editor")
    second = capsys.readouterr().out
    password_1 = first.split("with the password ")[1].split()[0]
    password_2 = second.split("with the password ")[1].split()[0]
    assert password_1 != password_2 and len(password_1) >= 16
    assert "http://127.0.0.1:8123/admin/" in first
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password(password_2) and not user.check_password(password_1)


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_publishes_articles_with_eight_questions_or_more():
    call_command("load_demo")
    first = list(Article.objects.values_list("slug", "updated_at"))
    call_command("load_demo")
    assert list(Article.objects.values_list("slug", "updated_at")) == first
    published = Article.objects.published().with_question_count()
    assert len(published) >= 2
    assert all(article.question_count >= 8 for article in published)
    assert all(article.topics.exists() for article in published)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# Tests that need something beyond Python: (what to run, the environment that lacks it, the
# variable that requires it, the one line said when it is missing).
NEEDS = {
    "chromium": (
        ["tests/browser"],
        {"CHROMIUM": "/nonexistent/chromium"},
        "FAQSITE_REQUIRE_BROWSER",
        "browser tests skipped: install Debian's Chromium",
    ),
    "redis": (
        ["tests/test_settings.py", "-m", "redis"],
        {"FAQSITE_TEST_REDIS_URL": "redis://127.0.0.1:9/0"},  # the discard port: nothing answers
        "FAQSITE_REQUIRE_REDIS",
        "Redis tests skipped: no Redis answers at redis://127.0.0.1:9/0",
    ),
}


@pytest.mark.parametrize("need", sorted(NEEDS))
@pytest.mark.parametrize(("required", "exit_ok"), [("", True), ("1", False)])
def test_tests_that_need_more_than_python_skip_with_one_line_unless_required(need, required, exit_ok):
    args, missing, variable, line = NEEDS[need]
    env = {**os.environ, **missing, variable: required}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
        check=False,
    )
    if exit_ok:
        assert result.returncode == 0, result.stdout
        assert line in result.stdout
    else:
        assert result.returncode != 0
        assert f"{variable} is set" in result.stdout + result.stderr


@pytest.mark.django_db
def test_production_static_files_are_hashed_compressed_and_served_by_whitenoise(settings, tmp_path):
    from django.test import Client

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()  # its middleware, whitenoise included, starts after collectstatic
    page = soup(client.get("/"))
    hrefs = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(h.startswith("/static/css/site.") and h.count(".") == 2 for h in hrefs), hrefs
    for href in hrefs:
        response = client.get(href, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]


@pytest.mark.redis
def test_redis_url_gives_a_shared_cache_that_keeps_the_limits(settings, redis_url):
    from django.core.cache import caches
    from django.test import RequestFactory
    from django_ratelimit.core import is_ratelimited

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default'])",
        env_extra={**PRODUCTION, "REDIS_URL": redis_url},
    )
    assert "RedisCache" in result.stdout and redis_url in result.stdout
    # And the limits work against the real Redis on this machine.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    caches["default"].clear()
    request = RequestFactory().post("/", REMOTE_ADDR="10.4.4.4")
    counted = [is_ratelimited(request, group="test", key="ip", rate="2/h", increment=True) for _ in range(3)]
    assert counted == [False, False, True]
    caches["default"].clear()


@pytest.mark.django_db
def test_sqlite_writes_through_wal_and_flushes_at_checkpoints_not_at_each_commit():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own settings")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        # The test database lives in memory, which has no WAL; a file does (as make serve's).
        assert connection.settings_dict["OPTIONS"]["init_command"].startswith("PRAGMA journal_mode=WAL")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/privacy/", "/healthz", "/quizzes/", "/admin/", "/no-such-page/"])
def test_an_unknown_host_is_a_400_with_words_without_faqsite_url(client, settings, path):
    """A plain `gunicorn faqsite.wsgi` leaves FAQSITE_URL unset: the 400 page (drawn with the site's
    context) must not ask the refused Host for the site's address again."""
    settings.SITE_URL = ""
    client.raise_request_exception = False
    response = client.get(path, HTTP_HOST="evil.com")
    assert response.status_code == 400
    assert "Sorry, the site can't read that request" in soup(response).get_text()


@pytest.mark.django_db
def test_a_form_over_the_size_or_field_caps_is_a_400_that_says_so(client, settings):
    client.raise_request_exception = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    body = "username=" + "x" * 200_000
    response = client.post("/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "The form sent was larger than the site takes at once (0.1 MB)" in soup(response).get_text()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=x" for n in range(20))
    response = client.post("/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    text = soup(response).get_text(" ", strip=True)
    assert "larger than the site takes at once (10 fields), so nothing in it was saved" in text
