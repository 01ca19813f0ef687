"""Question pools, a maximum number of attempts and time limits, enforced by the server; time is
a clock the tests move."""

import random
from datetime import timedelta

import pytest
from django.test import Client

from articles.visitors import Reader
from quizzes import services
from quizzes.models import Attempt
from tests.pages import soup, text
from tests.quizzes.helpers import answer, finish, item, right, start, take

pytestmark = pytest.mark.django_db


def test_a_pool_asks_its_share_of_the_questions_drawn_for_each_attempt(client, make_quiz, monkeypatch):
    monkeypatch.setattr(services, "shuffler", random.Random(7))
    quiz = make_quiz(questions=10, questions_per_attempt=4)
    pool = set(quiz.questions.values_list("pk", flat=True))
    drawn = []
    for n in range(5):
        attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key=f"v{n}"))
        questions = list(attempt.items.values_list("question_id", flat=True))
        assert attempt.total == 4 and len(set(questions)) == 4 and set(questions) <= pool
        drawn.append(frozenset(questions))
    assert len(set(drawn)) > 1
    # The draw is the attempt's: coming back asks the same questions.
    attempt = start(client, quiz)
    first = list(attempt.items.values_list("question_id", flat=True))
    client.post(f"/quizzes/{quiz.slug}/start/")
    assert list(Attempt.objects.get(pk=attempt.pk).items.values_list("question_id", flat=True)) == first
    assert "4 questions, drawn from 10 for each attempt" in text(client.get(quiz.get_absolute_url()))


def test_a_reader_cannot_take_a_quiz_more_times_than_it_allows(client, reader, make_quiz):
    quiz = make_quiz(questions=2, max_attempts=2)
    client.force_login(reader)
    first = take(client, quiz, correct=False)
    take(client, quiz)
    response = client.post(f"/quizzes/{quiz.slug}/start/", follow=True)
    assert "You have taken this quiz 2 times, as many as it allows." in text(response)
    assert Attempt.objects.filter(quiz=quiz, mode="full").count() == 2
    page = soup(client.get(quiz.get_absolute_url()))
    assert "as many times as it allows" in page.get_text()
    assert not page.select(f"form[action='/quizzes/{quiz.slug}/start/']")
    # Reviews of mistakes are learning, not attempts: still open.
    assert client.post(f"/attempts/{first.pk}/review/").status_code == 302
    assert Attempt.objects.filter(quiz=quiz, mode="review").count() == 1


def test_an_answer_after_the_time_limit_is_not_counted(client, make_quiz, clock):
    quiz = make_quiz(questions=3, time_limit=10)
    attempt = start(client, quiz)
    assert attempt.ends_at == clock.now + timedelta(minutes=10)
    page = soup(client.get(f"/attempts/{attempt.pk}/questions/1/"))
    assert "This attempt ends at" in page.select_one(".time-limit").get_text()
    assert page.select_one("script[src$='quizzes/countdown.js']") is not None
    clock.move(minutes=5)
    answer(client, attempt, 1, right(attempt, 1))
    clock.move(minutes=6)
    response = answer(client, attempt, 2, right(attempt, 2))
    assert response["Location"] == f"/attempts/{attempt.pk}/results/"
    assert item(attempt, 2).answered_at is None
    attempt.refresh_from_db()
    # Scored on what was saved in time: one of three.
    assert attempt.status == "finished" and attempt.score == 1 and attempt.finished_at == attempt.ends_at
    assert "Time was up" in text(client.get(response["Location"]))


def test_a_reader_who_never_comes_back_in_time_is_scored_when_they_next_arrive(client, make_quiz, clock):
    quiz = make_quiz(questions=2, time_limit=5)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    clock.move(minutes=4, seconds=59)
    assert Attempt.objects.get(pk=attempt.pk).status == "open"
    client.get(quiz.get_absolute_url())
    assert Attempt.objects.get(pk=attempt.pk).status == "open"
    clock.move(seconds=1)
    client.get(quiz.get_absolute_url())
    attempt.refresh_from_db()
    assert attempt.status == "finished" and attempt.score == 1 and attempt.passed is False
    # A new attempt gets a new time.
    again = start(client, quiz)
    assert again.pk != attempt.pk and again.ends_at == clock.now + timedelta(minutes=5)


@pytest.mark.parametrize("where", ["results", "resume", "question", "finish"])
def test_every_way_into_an_attempt_past_its_time_scores_it_first(client, make_quiz, clock, where):
    quiz = make_quiz(questions=2, time_limit=1)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    clock.move(minutes=2)
    if where == "results":
        client.get(f"/attempts/{attempt.pk}/results/")
    elif where == "resume":
        client.get(f"/attempts/{attempt.pk}/")
    elif where == "question":
        client.get(f"/attempts/{attempt.pk}/questions/2/")
    else:
        finish(client, attempt)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.finished_at) == ("finished", 1, attempt.ends_at)


def test_an_untimed_quiz_has_no_clock(client, make_quiz):
    attempt = start(client, make_quiz(questions=1))
    page = soup(client.get(f"/attempts/{attempt.pk}/questions/1/"))
    assert attempt.ends_at is None and not page.select(".time-limit, script[src$='countdown.js']")


def test_attempts_taken_without_an_account_do_not_add_up_past_the_limit_on_log_in(client, reader, make_quiz):
    """A reader who takes a limited quiz without an account too, then logs in: the account gets
    only as many attempts as the quiz allows, the newest."""
    quiz = make_quiz(questions=1, max_attempts=2)
    reader_browser = Client()
    reader_browser.force_login(reader)
    take(reader_browser, quiz, correct=False)  # one already in the account
    guest = [take(client, quiz) for _ in range(2)]  # without an account: the limit per session
    client.force_login(reader)
    mine = Attempt.objects.filter(user=reader, quiz=quiz, mode="full")
    assert mine.count() == 2 and guest[-1] in mine and guest[0] not in mine


def test_logging_in_never_joins_attempts_past_their_time(client, reader, make_quiz, clock):
    quiz = make_quiz(questions=2, time_limit=5)
    guest = start(client, quiz)
    answer(client, guest, 1, right(guest, 1))
    elsewhere = Client()
    elsewhere.force_login(reader)
    mine = start(elsewhere, quiz)
    clock.move(minutes=6)
    client.force_login(reader)
    guest.refresh_from_db()
    mine.refresh_from_db()
    # Both scored on what each had saved in its own time; none joined into the other.
    assert (guest.status, guest.score) == ("finished", 1)
    assert (mine.status, mine.score) == ("finished", 0)


def test_logging_in_from_new_guest_sessions_never_stretches_a_time_limit(client, reader, make_quiz, clock):
    """The attack: start A signed in; 50 s later start B as a guest and log in; 50 s later the same
    with C; then answer everything. Each log-in kept the newer attempt, with its later end."""
    quiz = make_quiz(questions=2, time_limit=1, max_attempts=3)
    mine = Client()
    mine.force_login(reader)
    first = start(mine, quiz)
    assert first.ends_at == clock.now + timedelta(minutes=1)

    clock.move(seconds=50)
    second_browser = Client()
    second = start(second_browser, quiz)
    second_browser.force_login(reader)
    open_attempt = Attempt.objects.open().get(user=reader, quiz=quiz)
    assert open_attempt == first and open_attempt.ends_at == first.ends_at  # the earlier end holds
    second.refresh_from_db()
    assert second.status == "set_aside" and second.user == reader

    clock.move(seconds=15)  # past the first attempt's end
    response = answer(second_browser, first, 1, right(first, 1))
    assert response["Location"] == f"/attempts/{first.pk}/results/"
    assert not item(first, 1).is_answered
    first.refresh_from_db()
    assert first.status == "finished" and first.finished_at == first.ends_at

    clock.move(seconds=35)
    third_browser = Client()
    third = start(third_browser, quiz)
    third_browser.force_login(reader)
    third.refresh_from_db()
    assert third.user == reader and third.ends_at == clock.now + timedelta(minutes=1)
    # No attempt of the reader's was open longer than the limit.
    for attempt in Attempt.objects.filter(user=reader, quiz=quiz):
        assert attempt.ends_at - attempt.started_at <= timedelta(minutes=1)


def test_attempts_joined_on_log_in_count_towards_the_limit(client, reader, make_quiz):
    quiz = make_quiz(questions=2, max_attempts=2)
    mine = Client()
    mine.force_login(reader)
    first = start(mine, quiz)
    second = start(client, quiz)  # a guest's: joined with the first on log-in
    client.force_login(reader)
    statuses = sorted(Attempt.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
    assert statuses == ["open", "set_aside"]
    take(client, quiz)  # finishes the one left open
    # The quiz's page says what the start would: no button to start again.
    page = soup(client.get(f"/quizzes/{quiz.slug}/"))
    assert "you have started it 2 times" in page.get_text()
    assert "You have taken this quiz as many times as it allows" in page.get_text()
    assert page.find("form", action=f"/quizzes/{quiz.slug}/start/") is None
    response = client.post(f"/quizzes/{quiz.slug}/start/", follow=True)
    assert "You have taken this quiz 2 times, as many as it allows" in text(response)
    assert Attempt.objects.filter(user=reader, quiz=quiz).count() == 2


def test_a_guest_attempt_kept_on_log_in_is_the_readers_even_at_the_limit(client, reader, make_quiz):
    """One attempt allowed: started signed in on one device, then as a guest on another, then
    logged in there. The guest's (used last) stays open, in the account: never stranded."""
    quiz = make_quiz(questions=2, max_attempts=1)
    laptop = Client()
    laptop.force_login(reader)
    first = start(laptop, quiz)
    answer(laptop, first, 1, right(first, 1))
    phone = start(client, quiz)
    client.force_login(reader)
    phone.refresh_from_db()
    first.refresh_from_db()
    assert (phone.status, phone.user, first.status) == ("open", reader, "set_aside")
    assert item(phone, 1).is_answered  # the laptop's answer came along
    assert client.get(f"/attempts/{phone.pk}/questions/2/").status_code == 200
    page = soup(laptop.get(f"/quizzes/{quiz.slug}/"))
    assert page.find("a", string="Resume the quiz")["href"] == f"/attempts/{phone.pk}/"
