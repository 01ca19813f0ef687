"""Property tests for grading, against oracles written another way than the implementation: a
question is right when, choice by choice, each is ticked if and only if it is correct; a
several-answer question's part mark is added up choice by choice (PARTIAL_CREDIT_RULE)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.visitors import Reader
from quizzes import services
from quizzes.models import AttemptItem, Choice, Question, Quiz, marks_text


def oracle(chosen, choices):
    """Right when no choice is ticked wrongly and none is left unticked wrongly."""
    for choice_id, is_correct in choices:
        ticked = choice_id in chosen
        if ticked != is_correct:
            return False
    return True


def credit_oracle(chosen, choices):
    """Walk the choices: a right one ticked adds its share, a wrong one ticked takes its share
    away; the total is never below zero."""
    right = [choice_id for choice_id, is_correct in choices if is_correct]
    wrong = [choice_id for choice_id, is_correct in choices if not is_correct]
    mark = Fraction(0)
    for choice_id, is_correct in choices:
        if choice_id in chosen:
            mark += Fraction(1, len(right)) if is_correct else -Fraction(1, len(wrong))
    return max(mark, Fraction(0))


def marks_oracle(chosen, choices, kind):
    if kind == Question.Kind.MULTIPLE:
        return credit_oracle(chosen, choices)
    return Fraction(1) if oracle(chosen, choices) else Fraction(0)


@st.composite
def asked_items(draw, min_choices=2, max_choices=6):
    """An attempt item as an attempt asks it: choices with ids, at least one correct."""
    n = draw(st.integers(min_choices, max_choices))
    correct = draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
    first_id = draw(st.integers(1, 10_000))
    choices = [{"id": first_id + i, "text": f"C{i}", "correct": c} for i, c in enumerate(correct)]
    return AttemptItem(asked={"prompt": "Q?", "kind": "multiple", "choices": choices})


def pairs(item):
    return [(c["id"], c["correct"]) for c in item.asked["choices"]]


@given(asked_items(), st.data())
def test_an_answer_is_right_exactly_when_the_oracle_says_so(item, data):
    ids = [c["id"] for c in item.asked["choices"]]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    assert item.grade(chosen) == oracle(set(chosen), pairs(item))


@given(asked_items(min_choices=3), st.data())
def test_several_answers_is_wrong_with_one_missing_or_one_extra(item, data):
    right = [choice_id for choice_id, correct in pairs(item) if correct]
    wrong = [choice_id for choice_id, correct in pairs(item) if not correct]
    assert item.grade(right)
    if len(right) >= 2:
        missing = data.draw(st.sampled_from(right))
        assert not item.grade([c for c in right if c != missing])
    if wrong:
        assert not item.grade([*right, data.draw(st.sampled_from(wrong))])


@given(asked_items(), st.data())
def test_a_several_answer_question_earns_what_the_oracle_adds_up(item, data):
    ids = [c["id"] for c in item.asked["choices"]]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    item.chosen = chosen
    assert item.credit == credit_oracle(set(chosen), pairs(item))
    assert 0 <= item.credit <= 1
    assert (item.credit == 1) == item.grade(chosen)


@given(asked_items(min_choices=3), st.data())
def test_ticking_a_right_choice_never_lowers_the_mark_and_a_wrong_one_never_raises_it(item, data):
    ids = [c["id"] for c in item.asked["choices"]]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    item.chosen = chosen
    before = item.credit
    for choice_id, is_correct in pairs(item):
        if choice_id in chosen:
            continue
        item.chosen = [*chosen, choice_id]
        assert item.credit >= before if is_correct else item.credit <= before
    # Ticking everything earns nothing when there is a wrong choice to tick.
    item.chosen = ids
    assert item.credit == (0 if not all(c for _, c in pairs(item)) else 1)


def test_marks_are_written_as_a_reader_writes_them():
    assert [marks_text(Fraction(n, d)) for n, d in [(2, 1), (1, 2), (5, 2), (10, 7), (3, 7), (0, 1)]] == [
        "2",
        "½",
        "2½",
        "1 3/7",
        "3/7",
        "0",
    ]


KINDS = [Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=6))
def test_a_finished_attempt_scores_what_the_oracle_counts_right(reader, data, kinds):
    """Through the services and the database: random questions, random answers. The oracle reads
    the editable choices, not the attempt's copy of them."""
    with transaction.atomic():
        quiz = Quiz.objects.create(title="Property", slug="property")
        for position, kind in enumerate(kinds, start=1):
            question = Question.objects.create(
                quiz=quiz, prompt=f"Q{position}?", kind=kind, position=position
            )
            n = 2 if kind == Question.Kind.TRUE_FALSE else data.draw(st.integers(2, 5))
            if kind == Question.Kind.MULTIPLE:
                flags = data.draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
            else:
                right_index = data.draw(st.integers(0, n - 1))
                flags = [i == right_index for i in range(n)]
            for i, flag in enumerate(flags):
                Choice.objects.create(question=question, text=f"C{i}", is_correct=flag)
        attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
        expected = Fraction(0)
        for item in attempt.items.select_related("question", "attempt"):
            choices = list(item.question.choices.values_list("pk", "is_correct"))
            chosen = data.draw(st.lists(st.sampled_from([pk for pk, _ in choices]), unique=True, min_size=1))
            services.answer_save(item=item, chosen_ids=chosen)
            expected += marks_oracle(set(chosen), choices, item.question.kind)
        finished = services.attempt_finish(attempt=attempt)
        exact = Decimal(expected.numerator) / expected.denominator
        assert finished.score == exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert finished.passed == (expected * 100 >= quiz.pass_mark * len(kinds))
        transaction.set_rollback(True)
