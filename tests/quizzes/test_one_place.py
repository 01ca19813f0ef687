"""Rules of quiz-taking written once (issue 22): what a mistake is, and the one way a page gets a
reader's attempt (scoring it first when its time ran out). Each has a behaviour test and a test
that fails if a second copy comes back."""

import re
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import timezone

from articles.visitors import Reader
from quizzes import services
from quizzes.models import MISTAKES, Attempt, AttemptItem, Outcome, ReviewCard
from tests.pages import soup, text
from tests.quizzes.helpers import answer, finish, right, start, wrong

ROOT = Path(__file__).resolve().parents[2]


def _review_button(response):
    button = soup(response).find("button", string=re.compile("Review my mistakes"))
    return button.get_text(strip=True) if button else None


def test_a_timed_out_attempt_offers_as_many_mistakes_as_the_review_asks(client, reader, make_quiz, clock):
    """The bug: 1 wrong, 1 right and 2 unanswered when time ran out offered "Review my mistakes (3)",
    and the review then asked 1 question (or, with none wrong, said there were none)."""
    quiz = make_quiz(questions=4, time_limit=5)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, wrong(attempt, 1))
    answer(client, attempt, 2, right(attempt, 2))
    clock.move(minutes=6)
    results = client.get(f"/attempts/{attempt.pk}/results/")
    assert _review_button(results) == "Review my mistakes (1)"
    assert "Not answered" in soup(results).get_text()
    client.post(f"/attempts/{attempt.pk}/review/")
    review = Attempt.objects.open().get(mode=Attempt.Mode.REVIEW)
    assert review.total == 1
    assert [item.question_id for item in review.items.all()] == [attempt.items.get(position=1).question_id]


def test_a_timed_out_attempt_with_only_unanswered_questions_offers_no_review(
    client, reader, make_quiz, clock
):
    quiz = make_quiz(questions=2, time_limit=5)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    clock.move(minutes=6)
    results = client.get(f"/attempts/{attempt.pk}/results/")
    assert _review_button(results) is None
    assert ReviewCard.objects.count() == 0  # practice agrees: nothing to practise


def test_results_review_and_practice_agree_on_every_outcome(client, reader, make_quiz, clock):
    """Right, partly right, wrong and unanswered, in one attempt: the results' count, the review's
    questions and the practice cards are the same two."""
    quiz = make_quiz(questions=4, kinds=["single", "multiple", "multiple", "single"], time_limit=5)
    client.force_login(reader)
    attempt = start(client, quiz)
    by_kind = {item.position: item for item in attempt.items.all()}
    answer(client, attempt, 1, right(attempt, 1))
    answer(client, attempt, 2, right(attempt, 2)[:1])  # one of its right answers: partly right
    answer(client, attempt, 3, wrong(attempt, 3))
    clock.move(minutes=6)
    results = client.get(f"/attempts/{attempt.pk}/results/")
    outcomes = [item.outcome for item in attempt.items.all()]
    assert outcomes == [Outcome.RIGHT, Outcome.PARTLY, Outcome.WRONG, Outcome.UNANSWERED]
    mistakes = {by_kind[2].question_id, by_kind[3].question_id}
    assert _review_button(results) == "Review my mistakes (2)"
    assert set(ReviewCard.objects.filter(user=reader).values_list("question_id", flat=True)) == mistakes
    client.post(f"/attempts/{attempt.pk}/review/")
    review = Attempt.objects.open().get(mode=Attempt.Mode.REVIEW)
    assert set(review.items.values_list("question_id", flat=True)) == mistakes


@pytest.mark.parametrize(
    ("answered", "chosen", "outcome"),
    [
        (False, None, Outcome.UNANSWERED),
        (True, ["a", "b"], Outcome.RIGHT),
        (True, ["a"], Outcome.PARTLY),
        (True, ["b"], Outcome.PARTLY),
        (True, ["a", "b", "c"], Outcome.WRONG),  # a wrong tick takes away what the right ones earned
        (True, ["a", "c"], Outcome.WRONG),
        (True, ["c"], Outcome.WRONG),
    ],
)
def test_the_mistakes_query_says_what_the_item_says(reader, make_quiz, answered, chosen, outcome):
    """AttemptItemQuerySet.mistakes (SQL) and AttemptItem.is_mistake (Python) are one rule."""
    quiz = make_quiz(questions=1, kinds=["multiple"])
    attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    item = attempt.items.get()
    ids = {c["text"].split()[-1].lower(): c["id"] for c in item.asked["choices"]}  # Right A, Right B, Wrong C
    if answered:
        item.chosen = [ids[letter] for letter in chosen]
        item.is_correct = item.grade(item.chosen)
        item.answered_at = timezone.now()
        item.save()
    assert item.outcome == outcome
    assert item.is_mistake == (outcome in MISTAKES)
    assert AttemptItem.objects.mistakes().filter(pk=item.pk).exists() == item.is_mistake


def test_an_outcome_follows_the_marks():
    item = AttemptItem(
        asked={"kind": "single", "choices": [{"id": 1, "correct": True}, {"id": 2, "correct": False}]}
    )
    assert item.outcome == Outcome.UNANSWERED and item.credit == Fraction(0)
    item.chosen, item.answered_at = [2], timezone.now()
    assert item.outcome == Outcome.WRONG


def test_a_mistake_is_defined_in_one_place():
    """No module but quizzes/models.py decides what a mistake is (it did in five: two of them
    disagreed about unanswered questions)."""
    copies = re.compile(r"is_correct\s*=\s*False|not (?:[\w.\[\]\"']+\.)?is_correct\b|credit\s*<\s*1")
    found = []
    for path in [*ROOT.glob("quizzes/**/*.py"), *ROOT.glob("templates/quizzes/**/*.html")]:
        if path.name == "models.py" or "migrations" in path.parts:
            continue
        found += [
            f"{path.relative_to(ROOT)}: {line.strip()}"
            for line in path.read_text().splitlines()
            if copies.search(line)
        ]
    assert found == []


def test_pages_get_a_readers_attempt_one_way():
    """The views ask the attempt services (attempt_for_reader and friends); none of them finishes
    an attempt whose time ran out or looks attempts up by id on its own."""
    views = (ROOT / "quizzes/views.py").read_text()
    for copy in ("attempts_time_up", "time_up=", "is_over(", "of_readers_attempt", "Attempt.objects.get("):
        assert copy not in views, copy


def test_a_reader_is_made_once_per_request(rf, reader):
    request = rf.get("/")
    request.user = reader
    request.session = {}
    first = Reader.of(request, "purpose")
    assert Reader.of(request, "purpose") is first
    assert first == Reader(user=reader) and first.owner("attempt__") == {"attempt__user": reader}


def test_a_reader_made_before_a_log_in_is_made_again_after_it(rf, reader):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    assert Reader.of(request, "purpose", create=True).user is None
    request.user = reader
    assert Reader.of(request, "purpose") == Reader(user=reader)


def test_a_visitor_reader_gets_a_key_only_when_asked(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    assert not Reader.of(request, "purpose")
    assert Attempt.objects.for_reader(Reader.of(request, "purpose")).query.is_empty()
    made = Reader.of(request, "purpose", create=True)
    assert made.visitor_key and request.session["purpose"] == made.visitor_key
    assert made.owner() == {"user": None, "visitor_key": made.visitor_key}


def test_another_readers_attempt_is_not_theirs(reader, other_reader, make_quiz):
    attempt, _ = services.attempt_start(quiz=make_quiz(questions=1), reader=Reader(user=reader))
    with pytest.raises(Attempt.DoesNotExist):
        services.attempt_for_reader(reader=Reader(user=other_reader), pk=attempt.pk)
    with pytest.raises(AttemptItem.DoesNotExist):
        services.attempt_item_for_reader(reader=Reader(visitor_key="guess"), pk=attempt.pk, position=1)
    with pytest.raises(Attempt.DoesNotExist):
        services.attempt_for_reader(reader=Reader(), pk=attempt.pk)


def test_asking_for_an_attempt_whose_time_ran_out_scores_it(reader, make_quiz, clock):
    attempt, _ = services.attempt_start(quiz=make_quiz(questions=2, time_limit=1), reader=Reader(user=reader))
    assert services.attempt_for_reader(reader=Reader(user=reader), pk=attempt.pk).takes_answers
    clock.move(minutes=1)
    got = services.attempt_for_reader(reader=Reader(user=reader), pk=attempt.pk)
    assert got.is_finished and got.ran_out_of_time and not got.takes_answers
    assert got.finished_at == attempt.ends_at and got.score == 0


def test_a_learning_answer_is_final_however_it_is_sent(client, reader, make_quiz):
    """AttemptItem.is_final: the question page, the answer and the service all follow it."""
    quiz = make_quiz(questions=2, pace="learning")
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, wrong(attempt, 1))
    item = attempt.items.select_related("attempt").get(position=1)
    assert item.is_final
    assert (
        client.get(f"/attempts/{attempt.pk}/questions/1/").url
        == f"/attempts/{attempt.pk}/questions/1/feedback/"
    )
    assert answer(client, attempt, 1, right(attempt, 1)).url.endswith("/questions/1/feedback/")
    with pytest.raises(services.AnswerFinal):
        services.answer_save(item=item, chosen_ids=right(attempt, 1))
    assert attempt.items.get(position=1).outcome == Outcome.WRONG


def test_finishing_is_refused_until_every_question_is_answered(client, reader, make_quiz):
    quiz = make_quiz(questions=2)
    client.force_login(reader)
    attempt = start(client, quiz)
    answer(client, attempt, 1, right(attempt, 1))
    finish(client, attempt)
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_time_was_up_is_said_once_by_the_request_that_scored_it(client, reader, make_quiz, clock):
    quiz = make_quiz(questions=2, time_limit=1)
    client.force_login(reader)
    attempt = start(client, quiz)
    clock.move(minutes=2)
    first = client.get(f"/attempts/{attempt.pk}/questions/1/", follow=True)
    assert "Time was up" in text(first)
    again = client.get(f"/attempts/{attempt.pk}/questions/1/", follow=True)
    assert again.redirect_chain[-1][0] == f"/attempts/{attempt.pk}/results/"
    assert "Time was up" not in text(again)


def test_only_a_finished_attempts_mistakes_can_be_reviewed(reader, make_quiz):
    attempt, _ = services.attempt_start(quiz=make_quiz(questions=1), reader=Reader(user=reader))
    with pytest.raises(services.QuizError, match="Only a finished attempt's mistakes"):
        services.review_start(attempt=attempt, reader=Reader(user=reader))
