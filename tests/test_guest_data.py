"""`manage.py clear_guest_data`: what visitors without an account leave is deleted after a while."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import HelpfulVote
from articles.visitors import Reader
from quizzes import services
from quizzes.models import Attempt, AttemptItem

pytestmark = pytest.mark.django_db


def _age(queryset, field, days):
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


def test_old_guest_attempts_and_votes_go_and_everything_else_stays(reader, make_quiz):
    quiz = make_quiz(questions=2)
    old_guest, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key="old-guest"))
    recent_guest, _ = services.attempt_start(quiz=quiz, reader=Reader(visitor_key="recent-guest"))
    old_reader, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    _age(Attempt.objects.filter(pk__in=[old_guest.pk, old_reader.pk]), "last_activity_at", 120)
    _age(Attempt.objects.filter(pk=recent_guest.pk), "last_activity_at", 10)
    section = quiz.questions.first().section
    HelpfulVote.objects.create(section=section, visitor_key="old", helpful=True)
    HelpfulVote.objects.create(section=section, visitor_key="recent", helpful=False)
    HelpfulVote.objects.create(section=section, user=reader, helpful=True)
    _age(HelpfulVote.objects.exclude(visitor_key="recent"), "created_at", 120)

    out = StringIO()
    call_command("clear_guest_data", stdout=out)
    assert out.getvalue().strip() == (
        "Deleted 1 guest quiz attempt, 1 guest vote and 0 weekly search counts older than 90 days."
    )
    assert set(Attempt.objects.values_list("pk", flat=True)) == {recent_guest.pk, old_reader.pk}
    assert not AttemptItem.objects.filter(attempt_id=old_guest.pk).exists()
    assert set(HelpfulVote.objects.values_list("user", "visitor_key")) == {(None, "recent"), (reader.pk, "")}
    # Again: nothing more to delete.
    out = StringIO()
    call_command("clear_guest_data", stdout=out)
    assert out.getvalue().startswith("Deleted 0 guest quiz attempts, 0 guest votes")
    call_command("clear_guest_data", "--days", "5", stdout=StringIO())
    assert set(Attempt.objects.values_list("pk", flat=True)) == {old_reader.pk}


def test_a_nonsense_age_is_refused_in_one_line():
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        call_command("clear_guest_data", "--days", "0")
