"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Without Chromium they are skipped with one line saying how to install it; with
FAQSITE_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails the run instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
MISSING = "browser tests skipped: install Debian's Chromium (apt-get install chromium) to run them"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Flags a root, offline machine needs; never `playwright install` (it downloads a browser).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    browser_items = [item for item in items if "tests/browser/" in str(item.path)]
    if browser_items and os.environ.get("FAQSITE_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}, and FAQSITE_REQUIRE_BROWSER is set")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_terminal_summary(terminalreporter):
    if not HAVE_CHROMIUM:
        terminalreporter.write_line(MISSING)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def site(live_server, transactional_db):
    """The live site with the demo articles and quizzes."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server.url


@pytest.fixture
def editors_group(transactional_db):
    """The Editors group: live_server tests flush the database after each test, and the flush's
    post_migrate makes the group again (faqsite/editors.py)."""
    from django.contrib.auth.models import Group

    return Group.objects.get(name="Editors")


@pytest.fixture
def shoot():
    """shoot(page, name): screenshots at 375 and 1280 px wide, in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        size = page.viewport_size
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        page.set_viewport_size(size)

    return take


@pytest.fixture
def logged_in_editor(page, site, editors_group, django_user_model):
    """An editor whose browser (`page`) is logged in, both steps done."""
    editor = django_user_model.objects.create_user("dana", password="editor-pass-123", is_staff=True)
    editor.groups.add(editors_group)
    client = Client()
    client.force_login(editor)  # with the second step done (tests/conftest.py)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    return editor
