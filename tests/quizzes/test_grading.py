"""Property tests for grading: a question is right when the chosen set equals the correct set."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes import grading, services
from quizzes.models import Choice, Question, Quiz


@st.composite
def asked_questions(draw, min_choices=2, max_choices=6):
    """A question as an attempt asks it: choices with ids, at least one correct."""
    n = draw(st.integers(min_choices, max_choices))
    correct = draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
    first_id = draw(st.integers(1, 10_000))
    return {"choices": [{"id": first_id + i, "correct": c} for i, c in enumerate(correct)]}


@st.composite
def answered_questions(draw):
    asked = draw(asked_questions())
    ids = [c["id"] for c in asked["choices"]]
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    return chosen, asked


def correct_set(asked):
    return {c["id"] for c in asked["choices"] if c["correct"]}


@given(answered_questions())
def test_a_question_is_right_exactly_when_the_chosen_set_equals_the_correct_set(answered):
    chosen, asked = answered
    assert grading.is_correct(chosen, asked) == (set(chosen) == correct_set(asked))


@given(asked_questions(min_choices=3).filter(lambda a: len(correct_set(a)) >= 2), st.data())
def test_several_answers_is_wrong_with_one_missing_or_one_extra(asked, data):
    right = correct_set(asked)
    missing = right - {data.draw(st.sampled_from(sorted(right)))}
    assert grading.is_correct(sorted(right), asked)
    assert not grading.is_correct(sorted(missing), asked)
    wrong = {c["id"] for c in asked["choices"]} - right
    if wrong:
        extra = right | {data.draw(st.sampled_from(sorted(wrong)))}
        assert not grading.is_correct(sorted(extra), asked)


KINDS = [Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=6))
def test_a_finished_attempt_scores_exact_matches_only(reader, data, kinds):
    """Through the services and the database: random questions, random answers."""
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
        attempt, _ = services.attempt_start(quiz=quiz, user=reader)
        expected = 0
        for item in attempt.items.all():
            ids = [c["id"] for c in item.asked["choices"]]
            chosen = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1))
            services.answer_save(item=item, chosen_ids=chosen)
            expected += set(chosen) == item.correct_ids
        finished = services.attempt_finish(attempt=attempt)
        assert finished.score == expected
        transaction.set_rollback(True)
