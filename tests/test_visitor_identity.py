"""A visitor without an account is one identity from their first request: requests sent together
before any session cookie came back (each would otherwise make a session of its own) start one
attempt and cast one vote. Threads across two real instances: tests/test_instances.py."""

from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from articles.models import HelpfulVote
from articles.visitors import FIRST_REQUESTS_SECONDS
from quizzes.models import Attempt
from tests.quizzes.helpers import answer, right

pytestmark = pytest.mark.django_db


SEED = "__Host-visitor"  # with debug off, as the tests run


def quiz_page_cookies(quiz):
    """The cookies a browser gets with the quiz page (its Start form has a CSRF token)."""
    browser = Client()
    response = browser.get(f"/quizzes/{quiz.slug}/")
    return {name: morsel.value for name, morsel in response.cookies.items()}


def same_browser(cookies=None, **headers):
    """A request from one browser as its first requests go out: no session cookie yet."""
    browser = Client(HTTP_USER_AGENT="Firefox", **headers)
    for name, value in (cookies or {}).items():
        browser.cookies[name] = value
    return browser


def test_twenty_start_clicks_sent_together_make_one_attempt_that_each_of_them_can_open(make_quiz):
    quiz = make_quiz(questions=2)
    cookies = quiz_page_cookies(quiz)
    clicks = [same_browser(cookies) for _ in range(20)]
    locations = []
    for browser in clicks:
        response = browser.post(f"/quizzes/{quiz.slug}/start/")
        assert response.status_code == 302
        locations.append(response["Location"])
    attempt = Attempt.objects.get()
    assert set(locations) == {f"/attempts/{attempt.pk}/questions/1/"}
    # Whichever session cookie the browser kept (the first or the last to arrive), the attempt is
    # the visitor's: no 404. Without a session it is no one's to see: only sessions are read.
    for browser in (clicks[0], clicks[-1]):
        assert browser.get(locations[0]).status_code == 200
    assert same_browser(cookies).get(locations[0]).status_code == 404
    assert answer(clicks[7], attempt, 1, right(attempt, 1)).status_code == 302


def test_another_browser_is_another_visitor_and_cannot_open_the_attempt(make_quiz):
    quiz = make_quiz(questions=1)
    mine, theirs = quiz_page_cookies(quiz), quiz_page_cookies(quiz)
    assert mine[SEED] != theirs[SEED]
    same_browser(mine).post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get()
    assert same_browser(theirs).get(f"/attempts/{attempt.pk}/questions/1/").status_code == 404
    same_browser(theirs).post(f"/quizzes/{quiz.slug}/start/")
    assert Attempt.objects.count() == 2
    # The key is derived: neither the seed nor anything readable from it is stored.
    assert not Attempt.objects.filter(visitor_key__contains=mine[SEED][:8]).exists()


def test_what_a_page_shows_gives_no_visitors_identity(make_quiz):
    """The seed is never in a page: the CSRF token of the Start form, which is, is not an identity,
    even set as a cookie by someone who read it off the page."""
    quiz = make_quiz(questions=1)
    browser = Client()
    page = browser.get(f"/quizzes/{quiz.slug}/").content.decode()
    seed = browser.cookies[SEED]
    assert seed.value not in page and seed["httponly"] and seed["secure"] and seed["samesite"] == "Lax"
    assert seed["path"] == "/" and not seed["domain"]  # as `__Host-` needs
    browser.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get()
    token = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    thief = Client()
    thief.cookies["csrftoken"] = token
    thief.post(f"/quizzes/{quiz.slug}/start/")
    assert Attempt.objects.count() == 2
    assert thief.get(f"/attempts/{attempt.pk}/").status_code == 404


def test_a_visitors_seed_makes_no_page_personal_and_none_kept_for_everyone_carries_it(make_quiz):
    quiz = make_quiz(questions=1)
    cookies = quiz_page_cookies(quiz)
    browser = same_browser(cookies)
    browser.post(f"/quizzes/{quiz.slug}/start/")
    # Later, the session gone (it ended, or was cleared) and the seed kept: the quiz list is the
    # one kept for everyone, with no one's progress in it.
    later = same_browser(cookies)
    response = later.get("/quizzes/")
    assert "In progress" not in response.content.decode()
    assert SEED not in response.cookies and "public" in response["Cache-Control"]


def test_twenty_first_votes_sent_together_without_any_cookie_are_one_vote(make_article):
    section = make_article(sections=1).sections.get()
    url = f"/sections/{section.pk}/feedback/"
    with mock.patch("articles.visitors.time.time", return_value=1_000_000.0):
        for n in range(20):
            response = same_browser().post(url, {"helpful": "yes" if n % 2 else "no"})
            assert response.status_code == 302
    assert HelpfulVote.objects.count() == 1


def test_first_votes_from_other_browsers_or_addresses_or_later_are_other_visitors(make_article):
    section = make_article(sections=1).sections.get()
    url = f"/sections/{section.pk}/feedback/"
    with mock.patch("articles.visitors.time.time", return_value=1_000_000.0) as clock:
        same_browser().post(url, {"helpful": "yes"})
        Client(HTTP_USER_AGENT="Safari").post(url, {"helpful": "yes"})
        same_browser(REMOTE_ADDR="10.0.0.9").post(url, {"helpful": "yes"})
        assert HelpfulVote.objects.count() == 3
        clock.return_value += FIRST_REQUESTS_SECONDS
        same_browser().post(url, {"helpful": "yes"})
    assert HelpfulVote.objects.count() == 4


def test_votes_from_a_browser_with_a_seed_are_one_visitors_at_any_time(make_quiz, make_article):
    section = make_article(sections=1).sections.get()
    url = f"/sections/{section.pk}/feedback/"
    cookies = quiz_page_cookies(make_quiz(questions=1))
    with mock.patch("articles.visitors.time.time", return_value=1_000_000.0) as clock:
        same_browser(cookies).post(url, {"helpful": "yes"})
        clock.return_value += 3600
        same_browser(cookies, REMOTE_ADDR="10.0.0.9").post(url, {"helpful": "no"})
    assert list(HelpfulVote.objects.values_list("helpful", flat=True)) == [False]


def test_a_visitors_first_attempt_is_claimed_when_they_sign_up(make_quiz):
    quiz = make_quiz(questions=1)
    browser = same_browser(quiz_page_cookies(quiz))
    browser.post(f"/quizzes/{quiz.slug}/start/")
    response = browser.post(
        "/accounts/signup/",
        {
            "username": "dana",
            "email": "dana@example.org",
            **dict.fromkeys(["password1", "password2"], "calm-river-stones-42"),
        },
    )
    assert response.status_code == 302, response.content
    assert Attempt.objects.get().user.username == "dana"
