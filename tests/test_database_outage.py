"""A database that can't be reached for a moment (a restart, a failover): every page is a calm 503
with Retry-After and the crisis lines, never the bare 500; a quiz answer that could not be saved
says so on the question's page, with the reader's choice still ticked."""

from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connection

from quizzes.models import AttemptItem
from tests.pages import soup, text
from tests.quizzes.helpers import right, start, values

pytestmark = pytest.mark.django_db


@contextmanager
def database_unreachable(error=OperationalError, writes_only=False):
    """Every query (or every write) on this connection fails as a lost server's does."""

    def fail(execute, sql, params, many, context):
        if writes_only and sql.lstrip().upper().startswith("SELECT"):
            return execute(sql, params, many, context)
        raise error("server closed the connection unexpectedly")

    with connection.execute_wrapper(fail):
        yield


def _is_the_calm_503(response):
    page = text(response)
    return (
        response.status_code == 503
        and response["Retry-After"] == "30"
        and "Sorry, the site is not available for a moment" in page
        and "If you are in crisis or might be in danger" in page
        and "Samaritans" in page
    )


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize("path", ["/", "/quizzes/", "/search/?q=cry", "/progress/", "/topics/"])
def test_every_page_is_a_calm_503_while_the_database_is_unreachable(client, make_article, path, error):
    make_article()
    client.raise_request_exception = False
    with database_unreachable(error):
        response = client.get(path)
    assert _is_the_calm_503(response), (response.status_code, text(response)[:200])
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_a_signed_in_readers_page_is_a_503_too(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    client.raise_request_exception = False
    with database_unreachable():
        response = client.get(f"/quizzes/{quiz.slug}/")
    assert _is_the_calm_503(response)


def test_other_database_errors_are_still_the_500_page(client, make_article):
    from django.db import ProgrammingError

    make_article()
    client.raise_request_exception = False
    with database_unreachable(ProgrammingError):
        response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in text(response)


def test_an_answer_the_database_could_not_save_is_said_so_with_the_choice_kept(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    chosen = right(attempt, 1)
    client.raise_request_exception = False
    with database_unreachable(writes_only=True):
        response = client.post(f"/attempts/{attempt.pk}/questions/1/", {"answer": values(attempt, 1, chosen)})
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = soup(response)
    assert "Your answer was not saved" in page.find(class_="error-summary").get_text()
    ticked = [box["value"] for box in page.select("input[name=answer][checked]")]
    assert ticked == values(attempt, 1, chosen)
    assert page.find("form", method="post").find("button", type="submit") is not None
    assert AttemptItem.objects.get(attempt=attempt, position=1).answered_at is None
    # Sent again once the database is back, it is saved.
    response = client.post(f"/attempts/{attempt.pk}/questions/1/", {"answer": values(attempt, 1, chosen)})
    assert response.status_code == 302
    assert AttemptItem.objects.get(attempt=attempt, position=1).answered_at is not None
