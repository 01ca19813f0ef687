"""My account: a reader downloads what the site keeps about them, changes their email, deletes it all."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.models import HelpfulVote
from quizzes.models import Attempt
from tests.pages import soup, text
from tests.quizzes.helpers import answer, answer_all, finish, right, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_reader(client, reader, other_reader, make_quiz):
    """A reader with a finished attempt, an open one and a vote; another reader with their own."""
    first, second = make_quiz(questions=2), make_quiz(questions=2)
    client.force_login(reader)
    done = start(client, first)
    answer_all(client, done)
    finish(client, done)
    open_attempt = start(client, second)
    answer(client, open_attempt, 1, right(open_attempt, 1))
    section = first.questions.first().section
    client.post(f"/sections/{section.pk}/feedback/", {"helpful": "yes"}, HTTP_SEC_FETCH_SITE="same-origin")
    other = Client()
    other.force_login(other_reader)
    start(other, first)
    other.post(f"/sections/{section.pk}/feedback/", {"helpful": "no"}, HTTP_SEC_FETCH_SITE="same-origin")
    return reader


def test_the_download_has_everything_kept_about_the_reader_and_nothing_of_anyone_else(client, busy_reader):
    page = client.get("/accounts/")
    assert page.status_code == 200 and "My account" in text(page)
    assert soup(client.get("/quizzes/")).find("a", href="/accounts/")  # "Signed in as alice" links here
    response = client.get("/accounts/my-data.json")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice" and data["account"]["email"] == "alice@example.org"
    attempts = data["quiz_attempts"]
    assert sorted(a["status"] for a in attempts) == ["finished", "open"]
    finished = next(a for a in attempts if a["status"] == "finished")
    assert finished["score"] == 2 and all(answer["correct"] for answer in finished["answers"])
    assert all(answer["chosen"] for answer in finished["answers"])
    assert [vote["helpful"] for vote in data["votes"]] == [True]


def test_the_download_and_the_page_need_a_log_in(client):
    for url in ("/accounts/", "/accounts/my-data.json"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_changing_the_email_needs_the_password(client, reader):
    client.force_login(reader)
    wrong = client.post("/accounts/email/", {"email-email": "new@example.org", "email-password": "nope"})
    assert wrong.status_code == 400 and "That is not your password" in text(wrong)
    reader.refresh_from_db()
    assert reader.email == "alice@example.org"
    right_ = client.post(
        "/accounts/email/", {"email-email": "new@example.org", "email-password": "alice-password"}
    )
    assert right_.status_code == 302
    reader.refresh_from_db()
    assert reader.email == "new@example.org"


def test_deleting_needs_the_password_then_removes_the_account_and_unlinks_its_data(client, busy_reader):
    attempts = set(Attempt.objects.filter(user=busy_reader).values_list("pk", flat=True))
    wrong = client.post("/accounts/delete/", {"delete-password": "nope"})
    assert wrong.status_code == 400 and "That is not your password" in text(wrong)
    assert soup(wrong).select_one(".error-summary a")["href"] == "#id_delete-password"
    assert get_user_model().objects.filter(pk=busy_reader.pk).exists()
    assert client.get("/accounts/delete/").status_code == 405
    response = client.post("/accounts/delete/", {"delete-password": "alice-password"})
    assert response.status_code == 302
    assert "Your account is deleted" in text(client.get(response["Location"]))
    assert not get_user_model().objects.filter(username="alice").exists()
    # The attempts and the vote still count, as no one's; the other reader's are untouched.
    anonymous = Attempt.objects.filter(pk__in=attempts)
    assert anonymous.count() == 2 and not anonymous.filter(user__isnull=False).exists()
    assert all(a.visitor_key.startswith("deleted-") for a in anonymous)
    assert not HelpfulVote.objects.filter(user__isnull=False).exclude(user__username="bob").exists()
    assert HelpfulVote.objects.filter(user=None, visitor_key__startswith="deleted-").count() == 1
    assert Attempt.objects.filter(user__username="bob").count() == 1
    assert "Log in" in text(client.get("/quizzes/"))  # logged out


def test_deleting_is_one_transaction(client, busy_reader, monkeypatch):
    from faqsite import readers_data

    def fails(*, user):
        raise RuntimeError("the votes could not be unlinked")

    monkeypatch.setattr(readers_data, "reader_votes_anonymise", fails)
    client.raise_request_exception = False
    response = client.post("/accounts/delete/", {"delete-password": "alice-password"})
    assert response.status_code == 500
    assert get_user_model().objects.filter(pk=busy_reader.pk).exists()
    assert Attempt.objects.filter(user=busy_reader).count() == 2


def test_the_password_never_reaches_an_error_report(client, reader):
    from django.views.debug import SafeExceptionReporterFilter

    client.force_login(reader)
    for url, field in (("/accounts/delete/", "delete-password"), ("/accounts/email/", "email-password")):
        response = client.post(url, {field: "hunter2", "email-email": "x@example.org"})
        shown = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
        assert shown[field] != "hunter2" and "hunter2" not in str(dict(shown))


def test_password_checks_on_my_account_are_limited_per_account(client, reader):
    client.force_login(reader)
    statuses = [
        client.post("/accounts/delete/", {"delete-password": f"guess{n}"}).status_code for n in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    assert (
        client.post("/accounts/email/", {"email-email": "x@example.org", "email-password": "x"}).status_code
        == 429
    )
    assert client.get("/accounts/").status_code == 200
