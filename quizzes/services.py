"""Writes to attempts and their answers, each in one transaction."""

import secrets
from collections import Counter
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.utils import timezone

from articles.visitors import Reader
from quizzes.models import Attempt, AttemptItem, Pace, Quiz
from quizzes.practice import review_cards_add

# The session key under which a visitor without an account keeps their attempts.
VISITOR_SESSION_KEY = "quiz_visitor_key"
# Shuffles questions and choices; a test may put a seeded random.Random here.
shuffler = secrets.SystemRandom()


@transaction.atomic
def quizzes_set_status(*, quizzes, status) -> tuple[int, list[str]]:
    """Publish the given quizzes, or turn them back into drafts. A quiz with no questions to ask
    is never published: returns how many changed, and the titles of the quizzes refused."""
    chosen = Quiz.objects.filter(pk__in=quizzes.values("pk"))
    refused = []
    if status == Quiz.Status.PUBLISHED:
        refused = sorted(chosen.empty().values_list("title", flat=True))
        chosen = chosen.exclude(pk__in=chosen.empty().values("pk"))
    chosen = list(chosen)
    # save(), not update(): the sitemap's last-modified time and Quiz.save()'s announcement need it.
    for quiz in chosen:
        quiz.status = status
        quiz.save(update_fields=["status", "updated_at"])
    return len(chosen), refused


def quizzes_unpublish_empty(*, quizzes) -> list[str]:
    """Turn those of the given quizzes that are published but have no question left to ask
    back into drafts; returns their titles."""
    empty = Quiz.objects.filter(pk__in=quizzes.values("pk")).published().empty()
    titles = sorted(empty.values_list("title", flat=True))
    quizzes_set_status(quizzes=empty, status=Quiz.Status.DRAFT)
    return titles


class QuizError(Exception):
    """A request that can't be carried out; the message says why in plain words."""


class AttemptClosed(QuizError):
    pass


class AnswerFinal(QuizError):
    """In a learning quiz an answer is final once its feedback is shown."""


class TimeUp(AttemptClosed):
    """The attempt's time limit has passed: the answer is not counted."""


class AttemptsUsedUp(QuizError):
    pass


def _lock_reader(reader):
    # Starting and claiming attempts for one reader take turns (a no-op on SQLite, whose
    # write transactions take turns anyway).
    if reader.user is not None:
        get_user_model().objects.select_for_update().filter(pk=reader.user.pk).first()


def attempt_for_reader(*, reader, pk) -> Attempt:
    """The reader's attempt `pk`, with its quiz; Attempt.DoesNotExist if it is not theirs (another
    reader's attempt does not exist for them). An attempt whose time ran out is scored first, on
    what was saved by then, so that every page sees it finished: the one way a page that only
    reads an attempt writes. Whether it takes answers: Attempt.takes_answers."""
    return _scored_if_over(Attempt.objects.for_reader(reader).select_related("quiz").get(pk=pk))


def attempt_item_for_reader(*, reader, pk, position) -> tuple[Attempt, list[AttemptItem], AttemptItem]:
    """attempt_for_reader, with the attempt's items and the one at `position` (its question read
    whole, the others' positions and answers only), in one query; AttemptItem.DoesNotExist if the
    attempt is not the reader's or has no such question."""
    items = list(
        AttemptItem.objects.of_readers_attempt(pk, reader)
        .with_asked_at(position)
        .select_related("attempt__quiz")
    )
    item = next((item for item in items if item.position == position), None)
    if item is None:
        raise AttemptItem.DoesNotExist("This attempt has no such question.")
    attempt = _scored_if_over(item.attempt)
    for each in items:
        each.attempt = attempt
    return attempt, items, item


def attempts_for_reader(*, reader) -> models.QuerySet:
    """The reader's attempts, those whose time ran out scored first (attempt_for_reader)."""
    attempts = Attempt.objects.for_reader(reader)
    attempts_time_up(attempts=attempts)
    return attempts


def _scored_if_over(attempt):
    if not attempt.is_over():
        return attempt
    attempt = attempt_finish(attempt=attempt)
    attempt.scored_just_now = True  # this request found its time up: the page says so, once
    return attempt


@transaction.atomic
def attempt_start(*, quiz: Quiz, reader, mode=Attempt.Mode.FULL, questions=None) -> tuple[Attempt, bool]:
    """The reader's open attempt at `quiz`, or a new one; returns (attempt, created).

    A new attempt copies its questions (and the pass mark) as they are now, in the order it will
    ask them, so that later edits never change it. A reader has one open attempt per quiz: a
    second "Start", even at the same moment, gets the first one.
    """
    owner = reader.owner()
    if owner is None:
        raise ValueError("An attempt needs a signed-in reader or a visitor's key.")
    _lock_reader(reader)
    existing = Attempt.objects.open().filter(quiz=quiz, **owner).first()
    if existing is not None and existing.is_over():
        attempt_finish(attempt=existing)
    elif existing is not None:
        return existing, False
    whole = mode == Attempt.Mode.FULL
    if whole and quiz.max_attempts is not None:
        taken = Attempt.objects.filter(quiz=quiz, **owner).counted_against_the_limit()
        if taken.count() >= quiz.max_attempts:
            raise AttemptsUsedUp(
                f"You have taken this quiz {quiz.max_attempts} time{pluralize(quiz.max_attempts)}, "
                "as many as it allows. Your results and “Review my mistakes” stay open to you."
            )
    if questions is None:
        questions = quiz.active_questions().prefetch_related("choices")
    questions = list(questions)
    if not questions:
        raise QuizError("This quiz has no questions to ask yet.")
    if whole and quiz.questions_per_attempt and quiz.questions_per_attempt < len(questions):
        # A pool: this attempt's share of the questions, drawn at random, in the editor's order.
        drawn = {question.pk for question in shuffler.sample(questions, quiz.questions_per_attempt)}
        questions = [question for question in questions if question.pk in drawn]
    if quiz.shuffle_questions:
        shuffler.shuffle(questions)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                mode=mode,
                pace=quiz.pace,
                ends_at=timezone.now() + timedelta(minutes=quiz.time_limit)
                if whole and quiz.time_limit
                else None,
                total=len(questions),
                pass_mark=quiz.pass_mark,
                **owner,
            )
    except IntegrityError:
        # Another request from the same visitor started one first: theirs is the attempt.
        return Attempt.objects.open().get(quiz=quiz, **owner), False
    AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, question=question, position=n, asked=question.as_asked(shuffle=shuffler))
        for n, question in enumerate(questions, start=1)
    )
    return attempt, True


@transaction.atomic
def review_start(*, attempt: Attempt, reader) -> tuple[Attempt, bool]:
    """A new attempt asking only the mistakes of `attempt` (finished: AttemptItemQuerySet.mistakes),
    in the same order, as they are now; archived questions are left out."""
    if not attempt.is_finished:
        raise QuizError("Only a finished attempt's mistakes can be reviewed.")
    wrong = list(attempt.items.mistakes().values_list("question_id", flat=True))
    order = {question_id: n for n, question_id in enumerate(wrong)}
    questions = attempt.quiz.active_questions().filter(pk__in=wrong).prefetch_related("choices")
    questions = sorted(questions, key=lambda question: order[question.pk])
    if not questions:
        raise QuizError("There are no mistakes to review in this attempt.")
    return attempt_start(quiz=attempt.quiz, reader=reader, mode=Attempt.Mode.REVIEW, questions=questions)


@transaction.atomic
def answer_save(*, item: AttemptItem, chosen_ids) -> AttemptItem:
    """Save the reader's answer to one question of an open attempt, graded now from the question
    as the attempt asked it. Saving again (a second tab, a replayed request) replaces it in a
    test; in a learning quiz the first answer is final (AnswerFinal). After the attempt's time
    limit nothing is saved (TimeUp)."""
    chosen = sorted(set(chosen_ids))
    if not chosen or not set(chosen) <= item.choice_ids:
        raise QuizError("That is not one of this question's choices.")
    if item.is_final:
        raise AnswerFinal(ANSWER_FINAL)
    now = timezone.now()
    # Only an open attempt within its time takes answers; the update also locks the attempt's row
    # until commit.
    in_time = Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    if not Attempt.objects.open().filter(in_time, pk=item.attempt_id).update(last_activity_at=now):
        if Attempt.objects.open().filter(pk=item.attempt_id).exists():
            raise TimeUp("Time was up, so this answer was not counted. Your results are below.")
        raise AttemptClosed("This attempt is finished, so its answers can't be changed.")
    rows = AttemptItem.objects.filter(pk=item.pk)
    if item.attempt.is_learning:
        # AttemptItem.is_final, for two tabs answering the same question at once: the first wins.
        rows = rows.filter(answered_at__isnull=True)
    answer = {"chosen": chosen, "is_correct": item.grade(chosen), "answered_at": now}
    if not rows.update(**answer):
        raise AnswerFinal(ANSWER_FINAL)
    item.chosen, item.is_correct, item.answered_at = answer.values()
    return item


ANSWER_FINAL = "In a learning quiz an answer is final once you have seen the right one."


@transaction.atomic
def attempt_finish(*, attempt: Attempt) -> Attempt:
    """Score an open attempt whose questions are all answered, or one whose time limit has passed,
    on the answers saved by then (answer_save takes none after). Finishing again changes nothing."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.is_open:
        return attempt
    time_up = attempt.is_over()
    items = list(attempt.items.only("question_id", "asked", "chosen", "answered_at"))
    if not time_up and any(item.answered_at is None for item in items):
        raise QuizError("Answer every question before finishing.")
    marks = sum((item.credit for item in items), Fraction(0))
    attempt.score = (Decimal(marks.numerator) / marks.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
    attempt.status = Attempt.Status.FINISHED
    attempt.finished_at = attempt.ends_at if time_up else timezone.now()
    # Compared exactly: 16 of 23 (69.6%) does not pass a 70% mark, nor do 2⅓ marks of 10 pass 23.4%.
    attempt.passed = marks * 100 >= attempt.pass_mark * attempt.total
    attempt.save(update_fields=["score", "status", "finished_at", "passed"])
    if attempt.user_id is not None:
        review_cards_add(user_id=attempt.user_id, items=items)
    return attempt


def attempts_time_up(*, attempts) -> int:
    """Score those of `attempts` whose time is up (attempt_finish); how many."""
    over = list(attempts.open().filter(ends_at__lte=timezone.now()))
    for attempt in over:
        attempt_finish(attempt=attempt)
    return len(over)


@transaction.atomic
def attempts_claim(*, user, visitor_key) -> int:
    """Move a visitor's attempts into the account they signed up for or logged in to.

    Where both have an open attempt at the same quiz, one stays open and takes the other's answers
    to the questions it has not answered yet; the other is set aside (kept in the database, and
    counted towards the quiz's limit of attempts). The one that stays is the one whose time ends
    first, so that logging in never gives a timed attempt more time; without time limits, the one
    used most recently. Returns how many attempts moved.
    """
    if not visitor_key:
        return 0
    _lock_reader(Reader(user=user))
    # Attempts past their time are scored first: two timed attempts are never joined into one.
    account, visitor = Reader(user=user), Reader(visitor_key=visitor_key)
    attempts_time_up(attempts=Attempt.objects.for_reader(account) | Attempt.objects.for_reader(visitor))
    theirs = {
        attempt.quiz_id: attempt for attempt in Attempt.objects.for_reader(account).open().select_for_update()
    }
    visitor = Attempt.objects.for_reader(visitor)
    joined = []  # the visitor's attempts that stay open in place of the account's
    for attempt in visitor.open().select_for_update():
        other = theirs.get(attempt.quiz_id)
        if other is None:
            continue
        keep, drop = sorted([other, attempt], key=_kept_on_joining)
        _answers_merge(source=drop, target=keep)
        Attempt.objects.filter(pk=drop.pk).update(status=Attempt.Status.SET_ASIDE)
        if keep.is_learning or drop.is_learning:
            Attempt.objects.filter(pk=keep.pk).update(pace=Pace.LEARNING)
        if keep is attempt:
            joined.append(attempt.pk)
    # An attempt that took the account's open one's place always moves (else the reader would be
    # left with none open); the limit decides for the others.
    over = _over_the_limit(user, visitor.exclude(pk__in=joined))
    return visitor.exclude(pk__in=over).update(user=user, visitor_key="")


def _kept_on_joining(attempt):
    """Sorts first the attempt that stays open when two are joined: the earliest end of a time
    limit, then the most recent use."""
    ends = attempt.ends_at.timestamp() if attempt.ends_at else float("inf")
    return (ends, -attempt.last_activity_at.timestamp(), -attempt.pk)


def _over_the_limit(user, visitor):
    """The visitor's whole-quiz attempts that would take the account past a quiz's limit of
    attempts (the newest are moved first): they stay the visitor's, so that taking a limited quiz
    again and again without an account, then logging in, gives no more attempts (or certificates)."""
    whole = Attempt.objects.counted_against_the_limit()
    taken = Counter(whole.filter(user=user).values_list("quiz_id", flat=True))
    over = []
    limited = whole.filter(pk__in=visitor, quiz__max_attempts__isnull=False).select_related("quiz")
    for attempt in limited.order_by("-started_at", "-pk"):
        if taken[attempt.quiz_id] >= attempt.quiz.max_attempts:
            over.append(attempt.pk)
        else:
            taken[attempt.quiz_id] += 1
    return over


def _answers_merge(*, source, target):
    """Copy `source`'s answers into `target`'s unanswered items for the same questions, graded
    again against `target`'s copy of the question (skipped if its choices differ). When either is
    a learning attempt, a question answered in both keeps the earlier answer: it was final once
    its result was shown, so a second answer in another browser can't replace it."""
    answered = {item.question_id: item for item in source.items.filter(answered_at__isnull=False)}
    items = target.items.filter(question_id__in=answered)
    if not (source.is_learning or target.is_learning):
        items = items.filter(answered_at__isnull=True)
    for item in items:
        if item.answered_at is not None and item.answered_at <= answered[item.question_id].answered_at:
            continue
        chosen = answered[item.question_id].chosen
        if set(chosen) <= item.choice_ids:
            item.chosen = chosen
            item.is_correct = item.grade(chosen)
            item.answered_at = answered[item.question_id].answered_at
            item.save(update_fields=["chosen", "is_correct", "answered_at"])


def visitor_attempts_delete(*, before) -> int:
    """Delete the attempts of visitors without an account (and their answers) last used before
    `before`. Returns how many attempts went. Running it again deletes nothing more."""
    _, by_model = Attempt.objects.filter(user__isnull=True, last_activity_at__lt=before).delete()
    return by_model.get(Attempt._meta.label, 0)


def reader_attempts_anonymise(*, user) -> int:
    """Before an account is deleted: its attempts belong to no one from now on (they count in the
    quiz statistics, like a visitor's, until clear_guest_data deletes them). Returns how many."""
    key = f"deleted-{secrets.token_hex(12)}"
    return Attempt.objects.filter(user=user).update(user=None, visitor_key=key)
