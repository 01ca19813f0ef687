"""A visitor without an account is one identity from their first request: requests sent together
before any session cookie came back (each would otherwise make a session of its own) start one
attempt and cast one vote. Threads across two real instances: tests/test_instances.py."""

from unittest import mock

import pytest
from django.test import Client

from articles.models import SectionFeedback
from articles.visitors import FIRST_REQUESTS_SECONDS
from quizzes.models import Attempt
from tests.quizzes.helpers import answer, right

pytestmark = pytest.mark.django_db


def csrf_secret(quiz):
    """The CSRF cookie a browser gets with the quiz page (its Start form has a token)."""
    browser = Client()
    browser.get(f"/quizzes/{quiz.slug}/")
    return browser.cookies["csrftoken"].value


def same_browser(secret=None, **headers):
    """A request from one browser as its first requests go out: no session cookie yet."""
    browser = Client(HTTP_USER_AGENT="Firefox", **headers)
    if secret:
        browser.cookies["csrftoken"] = secret
    return browser


def test_twenty_start_clicks_sent_together_make_one_attempt_that_each_of_them_can_open(make_quiz):
    quiz = make_quiz(questions=2)
    secret = csrf_secret(quiz)
    clicks = [same_browser(secret) for _ in range(20)]
    locations = []
    for browser in clicks:
        response = browser.post(f"/quizzes/{quiz.slug}/start/")
        assert response.status_code == 302
        locations.append(response["Location"])
    attempt = Attempt.objects.get()
    assert set(locations) == {f"/attempts/{attempt.pk}/questions/1/"}
    # Whichever session cookie the browser kept (the last to arrive), and with none at all, the
    # attempt is the visitor's: no 404.
    for browser in (clicks[0], clicks[-1], same_browser(secret)):
        assert browser.get(locations[0]).status_code == 200
    assert answer(clicks[7], attempt, 1, right(attempt, 1)).status_code == 302


def test_another_browser_is_another_visitor_and_cannot_open_the_attempt(make_quiz):
    quiz = make_quiz(questions=1)
    mine, theirs = csrf_secret(quiz), csrf_secret(quiz)
    same_browser(mine).post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get()
    assert same_browser(theirs).get(f"/attempts/{attempt.pk}/questions/1/").status_code == 404
    # A forged cookie (not a CSRF secret's form) is replaced, not taken as anyone's identity.
    assert same_browser("x" * 32 + "!").get(f"/attempts/{attempt.pk}/").status_code == 404
    same_browser(theirs).post(f"/quizzes/{quiz.slug}/start/")
    assert Attempt.objects.count() == 2
    # The key is derived: neither the cookie nor anything readable from it is stored.
    assert not Attempt.objects.filter(visitor_key__contains=mine[:8]).exists()


def test_twenty_first_votes_sent_together_without_any_cookie_are_one_vote(make_article):
    section = make_article(sections=1).sections.get()
    url = f"/sections/{section.pk}/feedback/"
    with mock.patch("articles.visitors.time.time", return_value=1_000_000.0):
        for n in range(20):
            response = same_browser().post(url, {"helpful": "yes" if n % 2 else "no"})
            assert response.status_code == 302
    assert SectionFeedback.objects.count() == 1


def test_first_votes_from_other_browsers_or_addresses_or_later_are_other_visitors(make_article):
    section = make_article(sections=1).sections.get()
    url = f"/sections/{section.pk}/feedback/"
    with mock.patch("articles.visitors.time.time", return_value=1_000_000.0) as clock:
        same_browser().post(url, {"helpful": "yes"})
        Client(HTTP_USER_AGENT="Safari").post(url, {"helpful": "yes"})
        same_browser(REMOTE_ADDR="10.0.0.9").post(url, {"helpful": "yes"})
        assert SectionFeedback.objects.count() == 3
        clock.return_value += FIRST_REQUESTS_SECONDS
        same_browser().post(url, {"helpful": "yes"})
    assert SectionFeedback.objects.count() == 4


def test_a_vote_with_a_csrf_cookie_counts_once_for_that_browser_at_any_time(make_quiz, make_article):
    section = make_article(sections=1).sections.get()
    url = f"/sections/{section.pk}/feedback/"
    secret = csrf_secret(make_quiz(questions=1))
    with mock.patch("articles.visitors.time.time", return_value=1_000_000.0) as clock:
        same_browser(secret).post(url, {"helpful": "yes"})
        clock.return_value += 3600
        same_browser(secret, REMOTE_ADDR="10.0.0.9").post(url, {"helpful": "no"})
    assert list(SectionFeedback.objects.values_list("helpful", flat=True)) == [False]


def test_a_visitors_first_attempt_is_claimed_when_they_sign_up(make_quiz):
    quiz = make_quiz(questions=1)
    browser = same_browser(csrf_secret(quiz))
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
