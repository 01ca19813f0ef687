"""What a reader has done with the quizzes: reads only."""

from dataclasses import dataclass

from django.db.models import Count, Q

from quizzes.models import Attempt, AttemptItem


@dataclass
class QuizStatus:
    total: int
    open_attempt: Attempt | None = None
    answered: int = 0
    best_percent: int | None = None
    passed: bool = False
    finished_count: int = 0
    taken: int = 0  # towards the quiz's limit (Attempt.counts_against_the_limit)

    @property
    def state(self):
        if self.open_attempt is not None:
            return "in_progress"
        return "finished" if self.finished_count else "not_started"

    @property
    def label(self):
        if self.open_attempt is not None:
            what = "Reviewing mistakes" if self.open_attempt.mode == Attempt.Mode.REVIEW else "In progress"
            return f"{what}: {self.answered} of {self.open_attempt.total} answered"
        if self.finished_count:
            return "Finished"
        return "Not started"


def quiz_statuses(attempts, quizzes):
    """Each quiz's status for the reader whose `attempts` these are, by quiz id (one query).

    `quizzes` need `question_count` (QuizQuerySet.with_question_count). Best score and "passed"
    count whole-quiz attempts only, not reviews of mistakes.
    """
    statuses = {quiz.pk: QuizStatus(total=quiz.question_count) for quiz in quizzes}
    rows = attempts.filter(quiz__in=list(statuses)).annotate(
        answered=Count("items", filter=Q(items__answered_at__isnull=False))
    )
    for attempt in rows:
        status = statuses[attempt.quiz_id]
        status.taken += attempt.counts_against_the_limit
        if attempt.status == Attempt.Status.SET_ASIDE:
            continue  # its answers went into the reader's other attempt
        if attempt.status == Attempt.Status.OPEN:
            status.open_attempt, status.answered = attempt, attempt.answered
        elif attempt.mode == Attempt.Mode.FULL:
            status.finished_count += 1
            status.passed = status.passed or bool(attempt.passed)
            if status.best_percent is None or attempt.percent > status.best_percent:
                status.best_percent = attempt.percent
    return statuses


def topic_scores(attempts):
    """Per topic: questions answered in finished whole-quiz attempts, and how many were right
    (one query; reviews of mistakes would count the same questions twice)."""
    rows = (
        AttemptItem.objects.filter(
            attempt__in=attempts.finished().filter(mode=Attempt.Mode.FULL),
            attempt__quiz__topics__isnull=False,
        )
        .values("attempt__quiz__topics__name", "attempt__quiz__topics__slug")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("attempt__quiz__topics__name")
    )
    return [
        {
            "name": row["attempt__quiz__topics__name"],
            "slug": row["attempt__quiz__topics__slug"],
            "answered": row["answered"],
            "correct": row["correct"],
            "percent": round(100 * row["correct"] / row["answered"]),
        }
        for row in rows
    ]
