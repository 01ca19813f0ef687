"""Writes to attempts and their answers, each in one transaction."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes import grading
from quizzes.models import Attempt, AttemptQuestion, Quiz

# The session key under which a visitor without an account keeps their attempts.
VISITOR_SESSION_KEY = "quiz_visitor_key"


class QuizError(Exception):
    """A request that can't be carried out; the message says why in plain words."""


class AttemptClosed(QuizError):
    pass


def _owner(user, anonymous_key):
    if user is not None and user.is_authenticated:
        return {"user": user}
    if not anonymous_key:
        raise ValueError("An attempt needs a reader or a visitor's key.")
    return {"user": None, "anonymous_key": anonymous_key}


@transaction.atomic
def attempt_start(
    *, quiz: Quiz, user=None, anonymous_key="", mode=Attempt.Mode.FULL, questions=None
) -> tuple[Attempt, bool]:
    """The reader's open attempt at `quiz`, or a new one; returns (attempt, created).

    A new attempt copies its questions as they are now, in the order it will ask them, so that
    later edits never change it. A reader has one open attempt per quiz: a second "Start" (even
    at the same moment) gets the first one.
    """
    owner = _owner(user, anonymous_key)
    existing = Attempt.objects.open().filter(quiz=quiz, **owner).first()
    if existing is not None:
        return existing, False
    if questions is None:
        questions = quiz.active_questions().prefetch_related("choices")
    questions = list(questions)
    if not questions:
        raise QuizError("This quiz has no questions to ask yet.")
    if quiz.shuffle_questions:
        secrets.SystemRandom().shuffle(questions)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(quiz=quiz, mode=mode, total=len(questions), **owner)
    except IntegrityError:
        # Another request from the same reader started one first: theirs is the attempt.
        return Attempt.objects.open().get(quiz=quiz, **owner), False
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(attempt=attempt, question=question, position=n, asked=question.as_asked())
        for n, question in enumerate(questions, start=1)
    )
    return attempt, True


@transaction.atomic
def review_start(*, attempt: Attempt, user=None, anonymous_key="") -> tuple[Attempt, bool]:
    """A new attempt asking only the questions that `attempt` (finished) got wrong, in the same
    order, as they are now; archived questions are left out."""
    wrong = list(
        attempt.items.filter(is_correct=False).values_list("question_id", flat=True)
    )
    questions = attempt.quiz.active_questions().filter(pk__in=wrong)
    order = {question_id: n for n, question_id in enumerate(wrong)}
    ordered = sorted(questions.prefetch_related("choices"), key=lambda q: order[q.pk])
    if not ordered:
        raise QuizError("There are no mistakes to review in this attempt.")
    return attempt_start(
        quiz=attempt.quiz,
        user=user,
        anonymous_key=anonymous_key,
        mode=Attempt.Mode.REVIEW,
        questions=ordered,
    )


@transaction.atomic
def answer_save(*, item: AttemptQuestion, chosen_ids) -> AttemptQuestion:
    """Save the reader's answer to one question of an open attempt, graded now from the question
    as the attempt asked it. Saving again (a second tab, a replayed request) replaces it."""
    chosen = sorted(set(chosen_ids))
    allowed = {c["id"] for c in item.asked["choices"]}
    if not chosen or not set(chosen) <= allowed:
        raise QuizError("That is not one of this question's choices.")
    now = timezone.now()
    # Only an open attempt takes answers; the update also locks the attempt's row until commit.
    if not Attempt.objects.open().filter(pk=item.attempt_id).update(last_activity_at=now):
        raise AttemptClosed("This attempt is finished, so its answers can't be changed.")
    item.chosen = chosen
    item.is_correct = grading.is_correct(chosen, item.asked)
    item.answered_at = now
    item.save(update_fields=["chosen", "is_correct", "answered_at"])
    return item


@transaction.atomic
def attempt_finish(*, attempt: Attempt) -> Attempt:
    """Score an open attempt whose questions are all answered. Finishing again changes nothing."""
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if attempt.status != Attempt.Status.OPEN:
        return attempt
    answers = list(attempt.items.values_list("answered_at", "is_correct"))
    if any(answered_at is None for answered_at, _ in answers):
        raise QuizError("Answer every question before finishing.")
    attempt.score = sum(1 for _, is_correct in answers if is_correct)
    attempt.status = Attempt.Status.FINISHED
    attempt.finished_at = timezone.now()
    attempt.passed = attempt.percent >= attempt.quiz.pass_mark
    attempt.save(update_fields=["score", "status", "finished_at", "passed"])
    return attempt


@transaction.atomic
def attempts_claim(*, user, anonymous_key) -> int:
    """Move a visitor's attempts into the account they signed up for or logged in to.

    Where both have an open attempt at the same quiz, the one used most recently stays open and
    the other is set aside (kept, with its answers, in the history). Returns how many moved.
    """
    if not anonymous_key:
        return 0
    visitor = Attempt.objects.filter(user__isnull=True, anonymous_key=anonymous_key)
    for attempt in visitor.open().select_related("quiz"):
        theirs = Attempt.objects.open().filter(user=user, quiz=attempt.quiz).first()
        if theirs is None:
            continue
        older = min(theirs, attempt, key=lambda a: (a.last_activity_at, a.pk))
        Attempt.objects.filter(pk=older.pk).update(status=Attempt.Status.SET_ASIDE)
    return visitor.update(user=user, anonymous_key="")
