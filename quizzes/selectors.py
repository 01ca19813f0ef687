"""Reads that are more than one QuerySet method: exports and reports (HackSoft's selectors, beside
services.py, which holds the writes). Other reads have modules named for what they show:
progress.py (a reader's quizzes), statistics.py (a quiz's figures), health.py (the sections readers
struggle with)."""

from quizzes.models import Attempt, ReviewCard


def reader_attempts_data(*, user) -> dict:
    """A reader's attempts with their answers, and the questions they practise, as JSON types
    (their "download my data")."""
    attempts = Attempt.objects.filter(user=user).select_related("quiz").prefetch_related("items")
    cards = ReviewCard.objects.filter(user=user).select_related("question")
    return {
        "practice": [
            {
                "question": card.question.prompt,
                "box": card.box,
                "due_on": card.due_on.isoformat(),
                "practice_answers": card.reviews,
            }
            for card in cards
        ],
        "quiz_attempts": [
            {
                "quiz": attempt.quiz.title,
                "mode": attempt.mode,
                "status": attempt.status,
                "started_at": attempt.started_at.isoformat(),
                "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
                "score": float(attempt.score) if attempt.score is not None else None,
                "total": attempt.total,
                "passed": attempt.passed,
                "answers": [
                    {
                        "question": item.prompt,
                        "chosen": [
                            c["text"] for c in item.asked["choices"] if c["id"] in (item.chosen or [])
                        ],
                        "correct": item.is_correct,
                        "marks": float(item.credit) if item.answered_at else None,
                        "answered_at": item.answered_at.isoformat() if item.answered_at else None,
                    }
                    for item in attempt.items.all()
                ],
            }
            for attempt in attempts
        ],
    }
