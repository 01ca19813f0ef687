"""The figures an editor needs to spot a confusing question: reads only, a fixed number of queries."""

from collections import Counter

from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Cast

from quizzes.models import Attempt, AttemptItem


def quiz_statistics(quiz):
    """Attempts started and finished, average score, pass rate (whole-quiz attempts), and per
    question the share answered right and the wrong choice picked most (all finished attempts)."""
    whole = Attempt.objects.filter(quiz=quiz, mode=Attempt.Mode.FULL)
    totals = whole.aggregate(
        started=Count("pk"),
        finished=Count("pk", filter=Q(status=Attempt.Status.FINISHED)),
        passed=Count("pk", filter=Q(status=Attempt.Status.FINISHED, passed=True)),
        average=Avg(
            Cast("score", FloatField()) * 100.0 / F("total"), filter=Q(status=Attempt.Status.FINISHED)
        ),
    )
    answers = AttemptItem.objects.filter(attempt__quiz=quiz, attempt__status=Attempt.Status.FINISHED)
    per_question = {
        row["question"]: row
        for row in answers.values("question").annotate(
            answered=Count("pk"), right=Count("pk", filter=Q(is_correct=True))
        )
    }
    wrong_picks = {}
    choice_texts = {}
    for item in answers.mistakes().only("question", "chosen", "asked"):
        choice_texts.update({c["id"]: c["text"] for c in item.asked["choices"]})
        wrong_picks.setdefault(item.question_id, Counter()).update(set(item.chosen or []) - item.correct_ids)
    questions = []
    for question in quiz.questions.all():
        row = per_question.get(question.pk, {"answered": 0, "right": 0})
        picks = wrong_picks.get(question.pk)
        top = picks.most_common(1)[0] if picks else None
        questions.append(
            {
                "question": question,
                "answered": row["answered"],
                "right": row["right"],
                "percent_right": round(100 * row["right"] / row["answered"]) if row["answered"] else None,
                "top_wrong_text": choice_texts[top[0]] if top else None,
                "top_wrong_count": top[1] if top else 0,
            }
        )
    finished = totals["finished"]
    return {
        "started": totals["started"],
        "finished": finished,
        "average": round(totals["average"]) if totals["average"] is not None else None,
        "pass_rate": round(100 * totals["passed"] / finished) if finished else None,
        "questions": questions,
    }
