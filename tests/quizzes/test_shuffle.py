"""Shuffled questions and choices: a new order for each attempt, kept by the attempt (coming back,
reloading or pressing Start again shows the same one), the editor's order where asked."""

import random

import pytest

from quizzes import services
from quizzes.models import Choice, Question
from tests.pages import soup
from tests.quizzes.helpers import answer_all, finish, start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shuffled(monkeypatch):
    monkeypatch.setattr(services, "shuffler", random.Random(20261204))


def choice_order(attempt, position=1):
    return [c["id"] for c in attempt.items.get(position=position).asked["choices"]]


def offered(client, attempt, position=1):
    page = soup(client.get(f"/attempts/{attempt.pk}/questions/{position}/"))
    return [int(i["value"]) for i in page.select("input[name=answer]")]


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
        attempt, _ = services.attempt_start(quiz=shuffled, visitor_key=f"visitor-{n}")
        orders.add(tuple(attempt.items.values_list("question_id", flat=True)))
        kept, _ = services.attempt_start(quiz=plain, visitor_key=f"visitor-{n}")
        assert list(kept.items.values_list("question_id", flat=True)) == list(
            plain.questions.values_list("pk", flat=True)
        )
    assert len(orders) > 1 and orders != {tuple(editors_order)}


def test_each_attempt_has_its_own_order_of_choices_unless_the_editor_keeps_it(make_quiz):
    quiz, editors_order = six_choice_quiz(make_quiz)
    orders = {
        tuple(choice_order(services.attempt_start(quiz=quiz, visitor_key=f"v{n}")[0])) for n in range(6)
    }
    assert len(orders) > 1 and all(sorted(order) == sorted(editors_order) for order in orders)
    kept, editors_order = six_choice_quiz(make_quiz, keep_order=True)
    for n in range(6):
        assert choice_order(services.attempt_start(quiz=kept, visitor_key=f"v{n}")[0]) == editors_order


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
    answer_all(client, attempt)
    finish(client, attempt)
    results = soup(client.get(f"/attempts/{attempt.pk}/results/"))
    texts = dict(Choice.objects.values_list("pk", "text"))
    shown = [li.strong.get_text() for li in results.select(".result-choices li")]
    assert shown == [texts[pk] for pk in seen if pk in set(attempt.items.get().correct_ids)]


def test_the_editor_can_keep_a_questions_choices_in_order_in_the_admin(client, editor, make_quiz):
    quiz, _ = six_choice_quiz(make_quiz)
    question = quiz.questions.get()
    client.force_login(editor)
    page = soup(client.get(f"/admin/quizzes/question/{question.pk}/change/"))
    assert page.find("input", attrs={"name": "keep_order"}) is not None
    assert Question._meta.get_field("keep_order").default is False
