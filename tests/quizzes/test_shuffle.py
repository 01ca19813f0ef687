"""Shuffled questions and choices: a new order for each attempt, kept by the attempt (coming back,
reloading or pressing Start again shows the same one), the editor's order where asked."""

import random

import pytest

from articles.visitors import Reader
from quizzes import services
from quizzes.models import Choice, Question, ReviewCard
from quizzes.practice import practice_item, today
from tests.pages import soup
from tests.quizzes.helpers import answer_all, finish, start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shuffled(monkeypatch):
    monkeypatch.setattr(services, "shuffler", random.Random(20261204))


def choice_order(attempt, position=1):
    return [c["id"] for c in attempt.items.get(position=position).asked["choices"]]


def offered(client, attempt, position=1):
    """The choices' ids in the order the question page lists them (it shows their texts)."""
    page = soup(client.get(f"/attempts/{attempt.pk}/questions/{position}/"))
    ids = {text: pk for pk, text in Choice.objects.values_list("pk", "text")}
    return [ids[label.get_text()] for label in page.select("form label.form-check-label")]


def six_choice_quiz(make_quiz, keep_order=False):
    quiz = make_quiz(questions=1)
    question = quiz.questions.get()
    question.keep_order = keep_order
    question.save()
    for n in range(3):
        Choice.objects.create(question=question, text=f"More {n}", is_correct=False)
    return quiz, list(question.choices.values_list("pk", flat=True))


def test_shuffled_quizzes_ask_in_new_orders_and_others_in_the_editors_order(make_quiz):
    """Five attempts at a 12-question quiz: all in one order would happen once in 12!^4 if
    shuffled (never, in practice), and always if shuffling were lost."""
    shuffled = make_quiz(questions=12, shuffle_questions=True)
    plain = make_quiz(questions=12)
    editors_order = list(shuffled.questions.values_list("pk", flat=True))
    orders = set()
    for n in range(5):
        attempt, _ = services.attempt_start(quiz=shuffled, reader=Reader(visitor_key=f"visitor-{n}"))
        orders.add(tuple(attempt.items.values_list("question_id", flat=True)))
        kept, _ = services.attempt_start(quiz=plain, reader=Reader(visitor_key=f"visitor-{n}"))
        assert list(kept.items.values_list("question_id", flat=True)) == list(
            plain.questions.values_list("pk", flat=True)
        )
    assert len(orders) > 1 and orders != {tuple(editors_order)}


def test_each_attempt_has_its_own_order_of_choices_unless_the_editor_keeps_it(make_quiz):
    quiz, editors_order = six_choice_quiz(make_quiz)
    orders = {
        tuple(choice_order(services.attempt_start(quiz=quiz, reader=Reader(visitor_key=f"v{n}"))[0]))
        for n in range(6)
    }
    assert len(orders) > 1 and all(sorted(order) == sorted(editors_order) for order in orders)
    kept, editors_order = six_choice_quiz(make_quiz, keep_order=True)
    for n in range(6):
        assert (
            choice_order(services.attempt_start(quiz=kept, reader=Reader(visitor_key=f"v{n}"))[0])
            == editors_order
        )


def test_reloading_or_starting_again_shows_the_same_order_and_results_keep_it(client, make_quiz):
    """A reader who reloads the page, or presses Start again, to fish for another order gets the
    one their attempt already has; the check page and the results list choices in that order."""
    quiz, editors_order = six_choice_quiz(make_quiz)
    attempt = start(client, quiz)
    seen = choice_order(attempt)
    assert seen != editors_order  # with this seed; the test above shows orders differ
    assert offered(client, attempt) == seen
    assert offered(client, attempt) == seen  # reloaded
    client.post(f"/quizzes/{quiz.slug}/start/")
    assert offered(client, attempt) == seen
    # A wrong answer, so that the results list two choices: in the order the reader saw them.
    answer_all(client, attempt, correct=False)
    finish(client, attempt)
    results = soup(client.get(f"/attempts/{attempt.pk}/results/"))
    texts = dict(Choice.objects.values_list("pk", "text"))
    shown = [li.strong.get_text() for li in results.select(".result-choices li")]
    listed = set(attempt.items.get().correct_ids) | set(attempt.items.get().chosen)
    assert len(shown) == 2 and shown == [texts[pk] for pk in seen if pk in listed]


def test_the_page_gives_away_neither_the_editors_order_nor_the_right_choice(client, make_quiz):
    """The choices' values are their places in this attempt's order (1, 2, 3…), not ids that
    sort back into the editor's order."""
    quiz, _ = six_choice_quiz(make_quiz)
    attempt = start(client, quiz)
    page = soup(client.get(f"/attempts/{attempt.pk}/questions/1/"))
    assert [i["value"] for i in page.select("input[name=answer]")] == ["1", "2", "3", "4", "5", "6"]
    assert "correct" not in page.select_one("form").decode()


def test_true_or_false_is_always_asked_true_then_false(make_quiz):
    quiz = make_quiz(questions=1, kinds=["true_false"])
    for n in range(8):
        attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key=f"v{n}"))
        assert [c["text"] for c in attempt.items.get().asked["choices"]] == ["True", "False"]


def test_the_editor_can_keep_a_questions_choices_in_order_in_the_admin(client, editor, make_quiz):
    quiz, editors_order = six_choice_quiz(make_quiz)
    question = quiz.questions.get()
    client.force_login(editor)
    page = soup(client.get(f"/admin/quizzes/question/{question.pk}/change/"))
    assert page.find("input", attrs={"name": "keep_order"}) is not None
    question.keep_order = True
    question.save()
    attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key="v"))
    assert choice_order(attempt) == editors_order


def test_a_shuffled_quiz_fixes_its_order_when_the_attempt_starts(client, reader, make_quiz):
    quiz = make_quiz(questions=12, shuffle_questions=True)
    client.force_login(reader)
    attempt = start(client, quiz)
    order = list(attempt.items.values_list("question_id", flat=True))
    editors_order = list(quiz.questions.values_list("pk", flat=True))
    assert sorted(order) == editors_order and order != editors_order
    for _ in range(3):
        client.get(f"/attempts/{attempt.pk}/")
        client.post(f"/quizzes/{quiz.slug}/start/")
        assert list(attempt.items.values_list("question_id", flat=True)) == order


# One rule for attempts and practice: Question.choices_shuffled, applied by Question.as_asked.


def attempt_orders(quiz, rounds=8):
    """The orders of the choices of `quiz`'s first question in `rounds` new attempts."""
    return {
        tuple(choice_order(services.attempt_start(quiz=quiz, reader=Reader(visitor_key=f"orders-{n}"))[0]))
        for n in range(rounds)
    }


def practice_orders(question, user, rounds=8):
    """The orders of `question`'s choices in `rounds` rounds of practice."""
    card, _ = ReviewCard.objects.update_or_create(
        user=user, question=question, defaults={"box": 1, "due_on": today(), "reviews": 0}
    )
    orders = set()
    for reviews in range(rounds):
        card.reviews = reviews
        orders.add(tuple(c["id"] for c in practice_item(card).asked["choices"]))
    return orders


def test_attempts_and_practice_shuffle_by_the_same_rule(make_quiz, reader):
    """Shuffled choices have orders of their own in both; kept in order, the editor's in both;
    true or false, True then False in both."""
    quiz, editors_order = six_choice_quiz(make_quiz)
    question = quiz.questions.get()
    assert len(attempt_orders(quiz)) > 1 and len(practice_orders(question, reader)) > 1
    kept, editors_order = six_choice_quiz(make_quiz, keep_order=True)
    kept_question = kept.questions.get()
    assert attempt_orders(kept) == {tuple(editors_order)} == practice_orders(kept_question, reader)
    true_false = make_quiz(questions=1, kinds=["true_false"])
    true_then_false = {tuple(true_false.questions.get().choices.values_list("pk", flat=True))}
    assert [c.text for c in true_false.questions.get().choices.all()] == ["True", "False"]
    assert attempt_orders(true_false) == true_then_false
    assert practice_orders(true_false.questions.get(), reader) == true_then_false


@pytest.mark.parametrize("rule", [True, False])
def test_attempts_and_practice_both_ask_the_question_whether_to_shuffle(make_quiz, reader, monkeypatch, rule):
    """Changed in Question.choices_shuffled alone, the rule changes in attempts and practice
    alike: neither keeps a copy of it (a kept-in-order question is shuffled when the question
    says so, a shuffled one kept in order)."""
    quiz, editors_order = six_choice_quiz(make_quiz, keep_order=rule)
    question = quiz.questions.get()
    monkeypatch.setattr(Question, "choices_shuffled", property(lambda question: rule))
    if rule:
        assert len(attempt_orders(quiz)) > 1 and len(practice_orders(question, reader)) > 1
    else:
        assert attempt_orders(quiz) == {tuple(editors_order)} == practice_orders(question, reader)
