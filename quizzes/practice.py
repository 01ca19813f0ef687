"""Spaced review: the questions a signed-in reader got wrong come back for practice after 1, 3, 7
and 21 days (Leitner boxes, models.LEITNER_DAYS), mixed from every quiz, in learning mode."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from quizzes.models import LEARNED, LEITNER_DAYS, AttemptItem, ReviewCard


def today():
    return timezone.localdate()


def practice_item(card, *, answered=False):
    """The card's question as practice asks it now (the editor's latest words), as an unsaved
    AttemptItem so that it is graded and shown as an attempt's are. Its choices are in an order
    of their own for each round (the same on reload), with the last answer when `answered`."""
    question = card.question
    order = random.Random(f"{card.pk}:{card.reviews - answered}")  # noqa: S311 - an order to show, not a secret
    item = AttemptItem(question=question, asked=question.as_asked(shuffle=order), position=1)
    if answered:
        item.chosen, item.answered_at = card.last_chosen, card.last_reviewed_at
        item.is_correct = item.grade(item.chosen)
    return item


def review_cards_add(*, user_id, items) -> int:
    """After an attempt: each of its mistakes (AttemptItem.is_mistake) comes back for practice
    tomorrow, in the first box (even if it was further on). Returns how many."""
    wrong = {item.question_id for item in items if item.is_mistake}
    due = today() + timedelta(days=LEITNER_DAYS[0])
    ReviewCard.objects.bulk_create(  # one query, however many
        [ReviewCard(user_id=user_id, question_id=question_id, box=1, due_on=due) for question_id in wrong],
        update_conflicts=True,
        unique_fields=["user", "question"],
        update_fields=["box", "due_on"],
    )
    return len(wrong)


@transaction.atomic
def practice_answer(*, card, chosen_ids):
    """Grade a practice answer and move the card: up a box when right (learned after the last),
    back to the first when wrong. Returns whether it was right, or None when the card was no
    longer due in that box (the same answer sent twice moves it once)."""
    chosen = sorted(set(chosen_ids))
    right = practice_item(card).grade(chosen)
    box = card.box + 1 if right else 1
    due = today() + timedelta(days=LEITNER_DAYS[box - 1]) if box < LEARNED else today()
    moved = ReviewCard.objects.filter(
        pk=card.pk, box=card.box, box__lt=LEARNED, reviews=card.reviews, due_on__lte=today()
    ).update(
        box=box, due_on=due, reviews=card.reviews + 1, last_chosen=chosen, last_reviewed_at=timezone.now()
    )
    return right if moved else None
