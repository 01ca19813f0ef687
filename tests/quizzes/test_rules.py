"""The rules that must hold whatever readers (or attackers) send."""

import threading
from functools import partial

import pytest
from django import db
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.visitors import Reader
from quizzes import services
from quizzes.models import Attempt, AttemptItem, Choice, Question
from tests.quizzes.helpers import answer, answer_all, finish, item, right, start, take, values, wrong

pytestmark = pytest.mark.django_db


# --- another reader's things are 404 -------------------------------------------------------------


def test_another_readers_attempt_results_and_answers_are_404(client, reader, other_reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    choice = wrong(attempt, 2)
    client.force_login(other_reader)
    for url in [
        f"/attempts/{attempt.pk}/",
        f"/attempts/{attempt.pk}/questions/1/",
        f"/attempts/{attempt.pk}/results/",
    ]:
        assert client.get(url).status_code == 404
    assert answer(client, attempt, 2, choice).status_code == 404
    assert client.post(f"/attempts/{attempt.pk}/finish/").status_code == 404
    assert client.post(f"/attempts/{attempt.pk}/review/").status_code == 404
    assert item(attempt, 2).answered_at is None
    attempt.refresh_from_db()
    assert attempt.status == "open"
    # Their progress page knows nothing of it.
    assert f"/attempts/{attempt.pk}/" not in client.get("/progress/").content.decode()


def test_another_visitors_session_attempt_is_404(client, make_quiz):
    from django.test import Client

    quiz = make_quiz(questions=1)
    attempt = start(client, quiz)
    stranger = Client()
    assert stranger.get(f"/attempts/{attempt.pk}/questions/1/").status_code == 404
    assert answer(stranger, attempt, 1, right(attempt, 1)).status_code == 404
    assert item(attempt, 1).answered_at is None


def test_a_finished_attempt_cant_be_changed(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = take(client, quiz, correct=False)
    response = answer(client, attempt, 1, right(attempt, 1))
    assert response.status_code == 409
    assert "can't be changed" in response.content.decode()
    attempt.refresh_from_db()
    assert item(attempt, 1).is_correct is False and attempt.score == 0


def test_the_service_refuses_answers_to_a_finished_attempt(reader, make_quiz):
    attempt, _ = services.attempt_start(quiz=make_quiz(questions=1), reader=Reader(user=reader))
    first = attempt.items.get()
    services.answer_save(item=first, chosen_ids=first.correct_ids)
    services.attempt_finish(attempt=attempt)
    with pytest.raises(services.AttemptClosed):
        services.answer_save(item=first, chosen_ids=wrong(attempt, 1))
    first.refresh_from_db()
    assert first.is_correct is True


# --- replays, double clicks, two tabs ------------------------------------------------------------


def test_the_same_answer_twice_is_harmless_and_lands_in_the_same_place(client, reader, make_quiz):
    quiz = make_quiz(questions=3)
    client.force_login(reader)
    attempt = start(client, quiz)
    first = answer(client, attempt, 1, right(attempt, 1))
    replay = answer(client, attempt, 1, right(attempt, 1))
    assert first.status_code == replay.status_code == 302
    assert first["Location"] == replay["Location"] == f"/attempts/{attempt.pk}/questions/2/"
    assert AttemptItem.objects.filter(attempt=attempt).count() == 3
    assert item(attempt, 1).is_correct is True


def test_the_database_allows_one_answer_row_per_attempt_and_question(reader, make_quiz):
    attempt, _ = services.attempt_start(quiz=make_quiz(questions=1), reader=Reader(user=reader))
    existing = attempt.items.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AttemptItem.objects.create(
            attempt=attempt, question_id=existing.question_id, position=2, asked=existing.asked
        )


def test_two_tabs_last_saved_answer_wins_and_each_question_counts_once(client, reader, make_quiz):
    from django.test import Client

    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    second_tab = Client()
    second_tab.force_login(reader)
    answer(client, attempt, 1, right(attempt, 1))
    answer(second_tab, attempt, 1, wrong(attempt, 1))
    answer(client, attempt, 2, right(attempt, 2))
    answer(second_tab, attempt, 2, right(attempt, 2))
    assert item(attempt, 1).chosen == wrong(attempt, 1)
    finish(client, attempt)
    second_tab.post(f"/attempts/{attempt.pk}/finish/")
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total) == (1, 2)


def test_start_twice_gives_the_same_open_attempt(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    first = start(client, quiz)
    second = start(client, quiz)
    assert first.pk == second.pk and Attempt.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signed_in", [True, False])
def test_start_pressed_twice_at_once_still_makes_one_open_attempt(reader, make_quiz, signed_in):
    """Two connections start the same attempt at the same moment, several times over: each
    time both get the one attempt, and only one of them made it."""
    quiz = make_quiz(questions=2)
    for round_ in range(5):
        owner = {"user": reader} if signed_in else {"visitor_key": f"visitor-{round_}"}
        results = _at_once(2, partial(services.attempt_start, quiz=quiz, reader=Reader(**owner)))
        assert len({attempt.pk for attempt, _ in results}) == 1
        assert sorted(created for _, created in results) == [False, True]
        assert Attempt.objects.open().filter(quiz=quiz, **owner).count() == 1
        if signed_in:
            Attempt.objects.filter(quiz=quiz).update(status=Attempt.Status.SET_ASIDE)


def _at_once(n, call):
    """Run `call` in n threads (each with its own database connection) released together."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            db.connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_the_database_allows_one_open_attempt_per_reader_and_quiz(reader, make_quiz):
    quiz = make_quiz(questions=1)
    Attempt.objects.create(quiz=quiz, user=reader, total=1, pass_mark=70)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, user=reader, total=1, pass_mark=70)
    # Not open: allowed.
    Attempt.objects.create(quiz=quiz, user=reader, total=1, pass_mark=70, status="set_aside")


def test_the_database_allows_one_open_attempt_per_visitor_and_quiz(make_quiz):
    quiz = make_quiz(questions=1)
    Attempt.objects.create(quiz=quiz, visitor_key="k", total=1, pass_mark=70)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, visitor_key="k", total=1, pass_mark=70)


def test_finishing_twice_scores_once(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer_all(client, attempt)
    stale_copy = Attempt.objects.get(pk=attempt.pk)
    finished = services.attempt_finish(attempt=attempt)
    again = services.attempt_finish(attempt=stale_copy)
    assert again.finished_at == finished.finished_at and again.score == 2
    response = client.post(f"/attempts/{attempt.pk}/finish/")
    assert response["Location"] == f"/attempts/{attempt.pk}/results/"
    attempt.refresh_from_db()
    assert attempt.finished_at == finished.finished_at


# --- editors' changes never reach a running attempt ---------------------------------------------


def test_editing_a_question_mid_attempt_changes_nothing_for_that_attempt(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    asked_right = right(attempt, 1)
    question = Question.objects.get(pk=item(attempt, 1).question_id)
    original_prompt = question.prompt
    # The editor rewords the question, makes another choice the right one, removes the old right
    # choice and archives the second question.
    question.prompt = "A reworded question?"
    question.save()
    question.choices.filter(is_correct=False).update(is_correct=True)
    question.choices.filter(pk__in=asked_right).delete()
    Question.objects.filter(pk=item(attempt, 2).question_id).update(is_archived=True)
    page = client.get(f"/attempts/{attempt.pk}/questions/1/").content.decode()
    assert original_prompt in page and "A reworded question?" not in page
    assert answer(client, attempt, 1, asked_right).status_code == 302
    assert answer(client, attempt, 2, right(attempt, 2)).status_code == 302
    finish(client, attempt)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total) == (2, 2)
    results = client.get(f"/attempts/{attempt.pk}/results/").content.decode()
    assert original_prompt in results


def test_editing_a_question_after_finishing_keeps_the_recorded_result(client, reader, make_quiz):
    quiz = make_quiz(questions=1)
    client.force_login(reader)
    attempt = take(client, quiz)
    Choice.objects.filter(question__quiz=quiz).update(is_correct=False)
    quiz.pass_mark = 100
    quiz.save()
    attempt.refresh_from_db()
    assert attempt.score == 1 and attempt.passed is True and item(attempt, 1).is_correct is True


# --- query budget --------------------------------------------------------------------------------


def _queries(connection_client, method, url, data=None):
    from django.db import connection

    with CaptureQueriesContext(connection) as context:
        response = getattr(connection_client, method)(url, data or {})
    assert response.status_code in (200, 302), response
    return len(context)


def test_question_page_and_answer_run_a_fixed_number_of_queries(client, reader, make_quiz):
    counts = {}
    client.force_login(reader)
    for length in (5, 50):
        quiz = make_quiz(questions=length)
        attempt = start(client, quiz)
        answer(client, attempt, 1, right(attempt, 1))
        page = _queries(client, "get", f"/attempts/{attempt.pk}/questions/3/")
        submit = _queries(
            client,
            "post",
            f"/attempts/{attempt.pk}/questions/3/",
            {"answer": values(attempt, 3, right(attempt, 3))},
        )
        counts[length] = (page, submit)
    assert counts[5] == counts[50]
    assert all(count <= 10 for count in counts[5]), counts


# --- pass marks, set-aside attempts, claims ------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "total", "mark", "passed"),
    [
        (16, 23, 70, False),  # 69.6%: rounds to 70 but is below the mark
        (7, 10, 70, True),
        (2, 3, 67, False),
        (2, 3, 66, True),
    ],
)
def test_passing_compares_the_exact_share_with_the_mark(reader, make_quiz, score, total, mark, passed):
    quiz = make_quiz(questions=total, pass_mark=mark)
    attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    for n, row in enumerate(attempt.items.all()):
        choice = row.correct_ids if n < score else wrong(attempt, row.position)
        services.answer_save(item=row, chosen_ids=choice)
    finished = services.attempt_finish(attempt=attempt)
    assert (finished.score, finished.passed) == (score, passed)


def test_the_pass_mark_is_fixed_when_the_attempt_starts(client, reader, make_quiz):
    quiz = make_quiz(questions=2, pass_mark=50)
    client.force_login(reader)
    attempt = start(client, quiz)
    quiz.pass_mark = 100
    quiz.save()
    answer(client, attempt, 1, right(attempt, 1))
    answer(client, attempt, 2, wrong(attempt, 2))
    finish(client, attempt)
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert "The pass mark was 50%." in client.get(f"/attempts/{attempt.pk}/results/").content.decode()


def _set_aside_attempt(client, reader, quiz):
    """A visitor answers question 1, then logs in to an account whose open attempt is newer."""
    visitor = start(client, quiz)
    answer(client, visitor, 1, wrong(visitor, 1))
    Attempt.objects.filter(pk=visitor.pk).update(last_activity_at="2000-01-01T00:00:00Z")
    account, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    client.post("/accounts/login/", {"username": "alice", "password": "alice-password"})
    visitor.refresh_from_db()
    account.refresh_from_db()
    assert visitor.status == "set_aside" and account.status == "open"
    return visitor, account


def test_logging_in_merges_the_set_aside_attempts_answers_into_the_open_one(client, reader, make_quiz):
    quiz = make_quiz(questions=3)
    visitor, account = _set_aside_attempt(client, reader, quiz)
    merged = item(account, 1)
    assert merged.chosen == item(visitor, 1).chosen and merged.is_correct is False
    assert client.get(f"/attempts/{account.pk}/")["Location"].endswith("/questions/2/")


def test_a_set_aside_attempt_neither_loops_nor_shows_answers(client, reader, make_quiz):
    quiz = make_quiz(questions=3)
    visitor, _ = _set_aside_attempt(client, reader, quiz)
    for url in [
        f"/attempts/{visitor.pk}/",
        f"/attempts/{visitor.pk}/questions/2/",
        f"/attempts/{visitor.pk}/results/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == f"/quizzes/{quiz.slug}/"
    assert client.post(f"/attempts/{visitor.pk}/review/")["Location"] == f"/quizzes/{quiz.slug}/"
    assert answer(client, visitor, 2, right(visitor, 2)).status_code == 409
    assert client.post(f"/attempts/{visitor.pk}/finish/")["Location"] == f"/quizzes/{quiz.slug}/"
    visitor.refresh_from_db()
    assert visitor.status == "set_aside" and visitor.score is None


def test_claiming_never_touches_a_finished_attempt(reader, make_quiz):
    quiz = make_quiz(questions=1)
    mine, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    services.answer_save(item=mine.items.get(), chosen_ids=mine.items.get().correct_ids)
    services.attempt_finish(attempt=mine)
    visitor, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key="visitor-key"))
    assert services.attempts_claim(user=reader, visitor_key="visitor-key") == 1
    mine.refresh_from_db()
    visitor.refresh_from_db()
    assert mine.status == "finished" and visitor.status == "open" and visitor.user == reader


def test_topic_results_count_whole_quiz_attempts_only(client, reader, make_quiz, make_topic):
    quiz = make_quiz(questions=2, topics=[make_topic("Ethics")])
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, wrong(attempt, 1))
    answer(client, attempt, 2, right(attempt, 2))
    finish(client, attempt)
    client.post(f"/attempts/{attempt.pk}/review/")
    review = Attempt.objects.get(mode="review")
    answer(client, review, 1, right(review, 1))
    client.post(f"/attempts/{review.pk}/finish/")
    progress = client.get("/progress/").content.decode()
    assert "1 of 2 answers right (50%)" in progress


# --- the question page and an answer cost the same few queries whatever the quiz's length ---------


@pytest.mark.parametrize("questions", [3, 12])
def test_a_question_and_an_answer_run_a_fixed_number_of_queries(
    client, reader, make_quiz, django_assert_num_queries, questions
):
    client.force_login(reader)
    attempt = start(client, make_quiz(questions=questions))
    posted = {"answer": values(attempt, 2, right(attempt, 2))}
    # The reader (sessions are read through the cache); the items with their attempt and its quiz,
    # read only if the attempt is theirs.
    with django_assert_num_queries(2):
        assert client.get(f"/attempts/{attempt.pk}/questions/2/").status_code == 200
    # The reader; the items, read only if the attempt is theirs; the attempt and the item updated
    # in one transaction (its start and end are counted too).
    with django_assert_num_queries(6):
        response = client.post(f"/attempts/{attempt.pk}/questions/2/", posted)
        assert response["Location"] == f"/attempts/{attempt.pk}/questions/3/"
    assert item(attempt, 2).is_correct is True
