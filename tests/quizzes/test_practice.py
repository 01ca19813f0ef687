"""Spaced review: questions a signed-in reader got wrong come back for practice after 1, 3, 7 and
21 days (Leitner boxes), mixed from every quiz, in learning mode; on a clock the tests move."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quizzes.models import LEARNED, ReviewCard
from tests.pages import soup, text
from tests.quizzes.helpers import answer, answer_all, finish, right, start, take

pytestmark = pytest.mark.django_db


def practise(client, right_answer=True):
    """Answer the first question due, rightly or not, as the practice page offers it."""
    page = soup(client.get("/practice/"))
    card = ReviewCard.objects.get(
        pk=int(page.select_one("form[action^='/practice/']")["action"].split("/")[2])
    )
    item_asked = [c for c in card.question.choices.all()]
    labels = [label.get_text() for label in page.select("form label.form-check-label")]
    wanted = {c.text for c in item_asked if c.is_correct == right_answer}
    chosen = [str(n) for n, label in enumerate(labels, start=1) if label in wanted]
    if not right_answer:
        chosen = chosen[:1]
    response = client.post(f"/practice/{card.pk}/", {"answer": chosen})
    assert response["Location"] == f"/practice/{card.pk}/result/"
    return card, client.get(response["Location"])


def due_today(client):
    return int(
        soup(client.get("/progress/"))
        .select_one("#practice-heading")
        .find_next("strong")
        .get_text()
        .split()[0]
    )


def test_wrong_answers_come_back_after_1_3_7_and_21_days_until_learned(client, reader, make_quiz, clock):
    client.force_login(reader)
    quiz = make_quiz(questions=3)
    attempt = start(client, quiz)
    answer_all(client, attempt, correct=False)
    answer(client, attempt, 3, right(attempt, 3))
    finish(client, attempt)
    assert ReviewCard.objects.filter(user=reader).count() == 2  # the two it got wrong
    assert "Nothing to practise today" in text(client.get("/progress/"))
    clock.move(days=1)
    assert due_today(client) == 2
    for days, box in [(3, 2), (7, 3), (21, 4)]:
        card, result = practise(client)
        assert f"It comes back in {days} days." in text(result)
        card.refresh_from_db()
        assert card.box == box and card.due_on == timezone.localdate() + timedelta(days=days)
        practise(client)  # the other one
        clock.move(days=days - 1)
        assert "Nothing to practise today" in text(client.get("/practice/"))
        clock.move(days=1)
    card, result = practise(client)
    assert "You know this one now" in text(result)
    card.refresh_from_db()
    assert card.box == LEARNED
    practise(client)
    clock.move(days=100)
    assert "Nothing to practise today" in text(client.get("/practice/"))


def test_a_wrong_practice_answer_sends_the_question_back_to_the_first_box(client, reader, make_quiz, clock):
    client.force_login(reader)
    take(client, make_quiz(questions=1), correct=False)
    clock.move(days=1)
    practise(client)
    clock.move(days=3)
    card, result = practise(client, right_answer=False)
    assert "It comes back tomorrow." in text(result)
    assert "Not quite" in result.content.decode()
    card.refresh_from_db()
    assert card.box == 1 and card.due_on == timezone.localdate() + timedelta(days=1)
    assert ReviewCard.objects.count() == 1


def test_practice_mixes_the_questions_due_from_every_quiz(client, reader, make_quiz, clock):
    client.force_login(reader)
    take(client, make_quiz(questions=1, title="First"), correct=False)
    take(client, make_quiz(questions=1, title="Second"), correct=False)
    clock.move(days=1)
    seen = set()
    for _ in range(2):
        page = text(client.get("/practice/"))
        seen.add("First" if "“First”" in page else "Second")
        practise(client)
    assert seen == {"First", "Second"}


def test_the_same_answer_sent_twice_moves_the_question_once(client, reader, make_quiz, clock):
    client.force_login(reader)
    take(client, make_quiz(questions=1), correct=False)
    clock.move(days=1)
    page = soup(client.get("/practice/"))
    action = page.select_one("form[action^='/practice/']")["action"]
    labels = [label.get_text() for label in page.select("form label.form-check-label")]
    posted = {"answer": str(labels.index("Right") + 1)}
    client.post(action, posted)
    client.post(action, posted)  # replayed
    card = ReviewCard.objects.get()
    assert card.box == 2 and card.reviews == 1


def test_another_readers_practice_is_not_there_and_guests_are_asked_to_sign_up(
    client, reader, other_reader, make_quiz, clock
):
    client.force_login(reader)
    take(client, make_quiz(questions=1), correct=False)
    clock.move(days=1)
    card = ReviewCard.objects.get()
    stranger = Client()
    stranger.force_login(other_reader)
    assert stranger.get(f"/practice/{card.pk}/result/").status_code == 404
    assert stranger.post(f"/practice/{card.pk}/", {"answer": "1"}).status_code == 404
    assert "Nothing to practise today" in text(stranger.get("/practice/"))
    guest = Client()
    assert "Sign up" in text(guest.get("/practice/"))
    assert guest.post(f"/practice/{card.pk}/", {"answer": "1"}).status_code == 302  # to log in
    card.refresh_from_db()
    assert card.reviews == 0
    # Guests' wrong answers are not kept for practice (no account to keep them in).
    take(guest, make_quiz(questions=1), correct=False)
    assert ReviewCard.objects.count() == 1


def test_a_practice_answer_with_nothing_chosen_says_so_in_the_error_pattern(client, reader, make_quiz, clock):
    client.force_login(reader)
    take(client, make_quiz(questions=1), correct=False)
    clock.move(days=1)
    card = ReviewCard.objects.get()
    page = soup(client.post(f"/practice/{card.pk}/", {}))
    assert page.select_one(".error-summary a").get_text() == "Choose an answer."
    assert ReviewCard.objects.get().reviews == 0


@pytest.mark.parametrize("cards", [1, 6])
def test_the_practice_pages_run_a_fixed_number_of_queries(
    client, reader, make_quiz, clock, django_assert_num_queries, cards
):
    client.force_login(reader)
    take(client, make_quiz(questions=cards), correct=False)
    clock.move(days=1)
    # The reader; the first card due with its question and quiz; how many are due; its choices.
    with django_assert_num_queries(4):
        client.get("/practice/")


def test_answering_a_learned_question_again_the_same_day_changes_nothing(client, reader, make_quiz, clock):
    """The last right answer sent twice (a double click, a second tab): the second is not a
    second move, and never a server error."""
    client.force_login(reader)
    take(client, make_quiz(questions=1), correct=False)
    card = ReviewCard.objects.get()
    ReviewCard.objects.update(box=LEARNED - 1, due_on=timezone.localdate())
    card.refresh_from_db()
    page = soup(client.get("/practice/"))
    labels = [label.get_text() for label in page.select("form label.form-check-label")]
    posted = {"answer": str(labels.index("Right") + 1)}
    assert client.post(f"/practice/{card.pk}/", posted)["Location"] == f"/practice/{card.pk}/result/"
    assert client.post(f"/practice/{card.pk}/", {"answer": "1"})["Location"] == f"/practice/{card.pk}/result/"
    card.refresh_from_db()
    assert card.box == LEARNED and card.reviews == 1


def test_archived_questions_and_unpublished_quizzes_are_not_practised(client, reader, make_quiz, clock):
    client.force_login(reader)
    quiz = make_quiz(questions=2)
    take(client, quiz, correct=False)
    clock.move(days=1)
    quiz.questions.filter(position=1).update(is_archived=True)
    assert "1 question due today" in text(client.get("/practice/"))
    quiz.status = "draft"
    quiz.save()
    assert "Nothing to practise today" in text(client.get("/practice/"))


def test_the_download_lists_the_questions_practised(client, reader, make_quiz):
    client.force_login(reader)
    take(client, make_quiz(questions=1), correct=False)
    data = client.get("/accounts/my-data.json").json()
    assert [card["box"] for card in data["practice"]] == [1]
