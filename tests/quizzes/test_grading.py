"""Property tests for grading, against oracles written another way than the implementation: a
question is right when, choice by choice, each is ticked if and only if it is correct; marks are
added up choice by choice in whole numbers over a common denominator (PARTIAL_CREDIT_RULE), the
pass compared by cross-multiplying and the score rounded half up in whole hundredths. The oracles
call no helper of quizzes' (credit_for, marks_text) and use no Fraction or Decimal."""

from decimal import Decimal
from fractions import Fraction
from math import lcm

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.visitors import Reader
from quizzes import services
from quizzes.models import MAX_CHOICES, AttemptItem, Choice, Question, Quiz, credit_for, marks_text


def oracle(chosen, choices):
    """Right when no choice is ticked wrongly and none is left unticked wrongly."""
    for choice_id, is_correct in choices:
        ticked = choice_id in chosen
        if ticked != is_correct:
            return False
    return True


def marks_oracle(chosen, choices, kind, denominator=None):
    """A question's marks as whole parts of `denominator` (by default right × wrong choices, which
    both divide). Several answers: walk the choices, a right one ticked adds its share
    (denominator / right choices), a wrong one ticked takes its share away (denominator / wrong
    choices), and the question never scores below zero. Others: all or nothing."""
    right = sum(1 for _, is_correct in choices if is_correct)
    wrong = len(choices) - right
    denominator = denominator or right * max(wrong, 1)
    if kind != Question.Kind.MULTIPLE:
        return denominator if oracle(chosen, choices) else 0
    parts = 0
    for choice_id, is_correct in choices:
        if choice_id in chosen:
            parts += denominator // right if is_correct else -(denominator // wrong)
    return max(parts, 0)


def common_denominator(questions):
    """A denominator that every question's shares divide; each question is its (id, correct) pairs."""
    denominator = 1
    for choices in questions:
        right = sum(1 for _, is_correct in choices if is_correct)
        denominator = lcm(denominator, right * max(len(choices) - right, 1))
    return denominator


def attempt_oracle(answered, pass_mark):
    """(score in hundredths, passed) for `answered`: (chosen, choices, kind) for each question.
    The score rounds half up: floor(100 × marks + ½) in whole numbers; it passes when
    marks / questions ≥ pass_mark / 100, cross-multiplied."""
    denominator = common_denominator(choices for _, choices, _ in answered)
    parts = sum(marks_oracle(chosen, choices, kind, denominator) for chosen, choices, kind in answered)
    hundredths = (200 * parts + denominator) // (2 * denominator)
    return hundredths, 100 * parts >= pass_mark * len(answered) * denominator


KINDS = [Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE]


@st.composite
def correct_flags(draw, kind, min_choices=2, max_choices=MAX_CHOICES):
    """Which of a question's choices are correct: one for a one-answer question, at least one for
    a several-answer one; true or false has two choices."""
    n = 2 if kind == Question.Kind.TRUE_FALSE else draw(st.integers(min_choices, max_choices))
    if kind == Question.Kind.MULTIPLE:
        return draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
    right = draw(st.integers(0, n - 1))
    return [i == right for i in range(n)]


@st.composite
def asked_items(draw, min_choices=2, max_choices=MAX_CHOICES, kinds=(Question.Kind.MULTIPLE,)):
    """An attempt item as an attempt asks it: choices with ids, at least one correct."""
    kind = draw(st.sampled_from(kinds))
    correct = draw(correct_flags(kind, min_choices, max_choices))
    first_id = draw(st.integers(1, 10_000))
    choices = [{"id": first_id + i, "text": f"C{i}", "correct": c} for i, c in enumerate(correct)]
    return AttemptItem(asked={"prompt": "Q?", "kind": kind, "choices": choices})


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


@settings(max_examples=500)
@given(asked_items(kinds=KINDS), st.data())
def test_a_question_earns_what_the_oracle_adds_up(item, data):
    """AttemptItem.credit (and credit_for, for several answers) against the oracle's whole parts."""
    ids = [c["id"] for c in item.asked["choices"]]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    item.chosen = chosen
    denominator = common_denominator([pairs(item)])
    parts = marks_oracle(set(chosen), pairs(item), item.kind, denominator)
    assert item.credit * denominator == parts
    if item.kind == Question.Kind.MULTIPLE:
        assert credit_for(item.correct_ids, item.choice_ids, chosen) * denominator == parts
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


@st.composite
def answered_quizzes(draw):
    """Questions as (kind, correct flags, indices of the choices a reader ticks, at least one),
    and a pass mark: any, or one next to what those answers score (where `>` and `>=` differ)."""
    questions = []
    for kind in draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=6)):
        flags = draw(correct_flags(kind))
        ticked = draw(st.lists(st.integers(0, len(flags) - 1), unique=True, min_size=1))
        questions.append((kind, flags, ticked))
    denominator = common_denominator(list(enumerate(flags)) for _, flags, _ in questions)
    parts = sum(marks_oracle(set(t), list(enumerate(f)), k, denominator) for k, f, t in questions)
    whole = len(questions) * denominator
    near = [100 * parts // whole, -(-100 * parts // whole), 100 * parts // whole + 1]
    pass_mark = draw(st.sampled_from([*near, draw(st.integers(1, 100))]))
    return questions, min(max(pass_mark, 1), 100)


def finish_and_compare(reader, questions, pass_mark):
    """Make the quiz, take it through the services as `questions` say (choices found by their
    text, in whatever order the attempt asks them), and compare every mark with the oracle's."""
    quiz = Quiz.objects.create(title="Property", slug="property", pass_mark=pass_mark)
    for position, (kind, flags, _) in enumerate(questions, start=1):
        question = Question.objects.create(quiz=quiz, prompt=f"Q{position}?", kind=kind, position=position)
        for i, flag in enumerate(flags):
            Choice.objects.create(question=question, text=f"C{i}", is_correct=flag)
    attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    answered = []
    for item in attempt.items.select_related("question", "attempt"):
        kind, flags, ticked = questions[item.question.position - 1]
        pks = dict(item.question.choices.values_list("text", "pk"))
        choices = [(pks[f"C{i}"], flag) for i, flag in enumerate(flags)]
        chosen = {pks[f"C{i}"] for i in ticked}
        services.answer_save(item=item, chosen_ids=chosen)
        own = common_denominator([choices])
        assert item.credit * own == marks_oracle(chosen, choices, kind, own), (kind, flags, ticked)
        answered.append((chosen, choices, kind))
    hundredths, passed = attempt_oracle(answered, pass_mark)
    finished = services.attempt_finish(attempt=attempt)
    finished.refresh_from_db()
    assert (finished.score * 100, finished.passed) == (hundredths, passed), (questions, pass_mark)
    assert finished.score == finished.score.quantize(Decimal("0.01"))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answered_quizzes())
def test_a_finished_attempt_scores_what_the_oracle_counts(reader, answered_quiz):
    """Through the services and the database: random questions, random answers, pass marks at
    and around the score. The oracle reads the editable choices, not the attempt's copy."""
    with transaction.atomic():
        finish_and_compare(reader, *answered_quiz)
        transaction.set_rollback(True)


MULTIPLE, SINGLE = Question.Kind.MULTIPLE, Question.Kind.SINGLE
EIGHT_RIGHT = [True] * 8 + [False] * 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "questions, pass_mark",
    [
        ([(MULTIPLE, EIGHT_RIGHT, [0])], 13),  # ⅛ = 0.125 rounds up to 0.13, and 12.5 % is not 13 %
        ([(MULTIPLE, EIGHT_RIGHT, [0])], 12),
        ([(MULTIPLE, EIGHT_RIGHT, [0, 1, 2, 3, 4])], 63),  # ⅝ = 0.625: 0.63 (0.62 rounding to even)
        ([(SINGLE, [True, False], [0]), (SINGLE, [True, False], [1])], 50),  # exactly the pass mark
        ([(SINGLE, [True, False], [0]), (SINGLE, [True, False], [1])], 51),
        ([(MULTIPLE, [True, True, True, False], [0]), (SINGLE, [True, False], [1])], 17),  # ⅓ of 2: 16.7 %
    ],
)
def test_scores_and_passes_at_the_edges(reader, questions, pass_mark):
    """Where a rounding or a comparison written another way would differ."""
    finish_and_compare(reader, questions, pass_mark)
