from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import Article, Section
from articles.pagination import page_or_404
from articles.visitors import Reader
from quizzes import practice as practice_services
from quizzes import services
from quizzes.certificates import certificate_attempt, certificate_token, reader_name
from quizzes.forms import AnswerForm
from quizzes.models import (
    LEARNED,
    PARTIAL_CREDIT_RULE,
    Attempt,
    AttemptItem,
    Quiz,
    ReviewCard,
    marks_text,
)
from quizzes.practice import practice_item
from quizzes.practice import today as practice_today
from quizzes.progress import quiz_statuses, topic_scores

RECENT_ATTEMPTS = 10
QUIZZES_PER_PAGE = 20
ANSWER_NOT_SAVED = (
    "Your answer was not saved: the site could not reach its records for a moment. "
    "Your choice is still ticked below: send it again in a minute."
)


def _reader(request, create=False):
    return Reader.of(request, services.VISITOR_SESSION_KEY, create=create)


def _attempt(request, pk):
    """The reader's own attempt (attempt_for_reader), or 404."""
    try:
        return services.attempt_for_reader(reader=_reader(request), pk=pk)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None


def _attempt_item(request, pk, position):
    """The reader's own attempt, its items and the one at `position` (attempt_item_for_reader), or 404."""
    try:
        return services.attempt_item_for_reader(reader=_reader(request), pk=pk, position=position)
    except AttemptItem.DoesNotExist:
        raise Http404("No such attempt, or no such question in it.") from None


def _visible_quizzes(request):
    quizzes = Quiz.objects.with_question_count()
    return quizzes if request.user.is_staff else quizzes.published()


def _question_url(attempt_pk, position):
    return reverse("quizzes:attempt_question", args=[attempt_pk, position])


def _feedback_url(attempt_pk, position):
    return reverse("quizzes:attempt_feedback", args=[attempt_pk, position])


def _first_unanswered(items, after=0):
    """Among an attempt's `items`, the position of the first unanswered one after `after`, else of
    the first unanswered at all; None when every question is answered."""
    unanswered = sorted(item.position for item in items if item.answered_at is None)
    return next((p for p in unanswered if p > after), unanswered[0] if unanswered else None)


def _positions(attempt_pk):
    """The attempt's items, for _first_unanswered only (one query)."""
    return AttemptItem.objects.filter(attempt_id=attempt_pk).only("position", "answered_at")


def _next_url(attempt_pk, after=0, items=None):
    """The next question to answer, or the page to check and finish the attempt."""
    position = _first_unanswered(_positions(attempt_pk) if items is None else items, after)
    if position is None:
        return reverse("quizzes:attempt_resume", args=[attempt_pk])
    return _question_url(attempt_pk, position)


def _closed(request, attempt):
    """Where to send the reader when `attempt` takes no more answers: its results (its time ran
    out, or it is finished), or the quiz (set aside: joined with the reader's other attempt)."""
    if attempt.scored_just_now:
        messages.info(request, "Time was up: your attempt was scored on the answers saved by then.")
    elif attempt.status == Attempt.Status.SET_ASIDE:
        messages.info(
            request, "That attempt was joined with your other attempt at this quiz: resume it here."
        )
    return redirect(attempt)


def quiz_list(request):
    # By title, then id: two quizzes of one title keep their place from page to page.
    listed = _visible_quizzes(request).prefetch_related("topics").order_by("title", "pk")
    page = page_or_404(request, listed, QUIZZES_PER_PAGE)
    quizzes = list(page)
    attempts = services.attempts_for_reader(reader=_reader(request))
    statuses = quiz_statuses(attempts, quizzes)
    rows = [(quiz, statuses[quiz.pk]) for quiz in quizzes]
    return render(request, "quizzes/quiz_list.html", {"rows": rows, "page_obj": page})


def quiz_detail(request, slug):
    several = Count("questions", filter=Q(questions__kind="multiple", questions__is_archived=False))
    quiz = get_object_or_404(
        _visible_quizzes(request).prefetch_related("topics").annotate(several_answers=several), slug=slug
    )
    attempts = services.attempts_for_reader(reader=_reader(request)).filter(quiz=quiz)
    status = quiz_statuses(attempts, [quiz])[quiz.pk]
    context = {"quiz": quiz, "status": status, "partial_credit_rule": PARTIAL_CREDIT_RULE}
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
def attempt_start(request, slug):
    quiz = get_object_or_404(_visible_quizzes(request), slug=slug)
    return _start(
        request,
        services.attempt_start,
        quiz,
        quiz=quiz,
        already="You already had this quiz in progress: carry on where you left off.",
    )


@require_POST
def review_start(request, pk):
    finished = _attempt(request, pk)
    return _start(
        request,
        services.review_start,
        finished,
        attempt=finished,
        already="You have this quiz in progress: finish it before reviewing mistakes.",
    )


def _start(request, service, back_to, *, already, **what):
    """Start (or find) the reader's attempt with `service`; to its next question."""
    try:
        attempt, created = service(reader=_reader(request, create=True), **what)
    except services.QuizError as error:
        messages.error(request, str(error))
        return redirect(back_to)
    if not created:
        messages.info(request, already)
    return redirect(_next_url(attempt.pk))


def attempt_resume(request, pk):
    """Back to the first unanswered question; when all are answered, a page to check and finish."""
    attempt = _attempt(request, pk)
    if not attempt.takes_answers:
        return _closed(request, attempt)
    position = _first_unanswered(_positions(attempt.pk))
    if position is not None:
        return redirect(_question_url(attempt.pk, position))
    items = attempt.items.all()
    return render(request, "quizzes/attempt_check.html", {"attempt": attempt, "items": items})


def attempt_question(request, pk, position):
    if request.method == "POST":
        return _answer_question(request, pk, position)
    attempt, items, item = _attempt_item(request, pk, position)
    if not attempt.takes_answers:
        return _closed(request, attempt)
    if item.is_final:
        return redirect(_feedback_url(pk, position))  # what it got
    return _question_page(request, attempt, items, item, AnswerForm(item))


def attempt_feedback(request, pk, position):
    """In a learning quiz, after an answer: right or not, the right answer, the note on each choice
    ticked, the explanation and the section that teaches it; then on to the next question."""
    attempt, items, item = _attempt_item(request, pk, position)
    if not attempt.takes_answers:
        return _closed(request, attempt)
    if not item.is_final:
        return redirect(_question_url(pk, position))
    position_next = _first_unanswered(items, after=position)
    context = {
        "attempt": attempt,
        "item": item,
        "choices": item.review(),
        "section": _readable_sections([item]).get(item.asked["section_id"]),
        "next_url": _question_url(pk, position_next) if position_next else None,
        "answered": sum(1 for i in items if i.is_answered),
    }
    return render(request, "quizzes/feedback.html", context)


def _answer_question(request, pk, position):
    """Save the answer posted to a question of the reader's open attempt, then on to the next one
    (in a learning quiz, to what it got)."""
    attempt, items, item = _attempt_item(request, pk, position)
    if not attempt.takes_answers:
        return _answer_refused(request, attempt)
    if item.is_final:
        return redirect(_feedback_url(pk, position))  # whatever was sent, what it got
    form = AnswerForm(item, request.POST)
    if not form.is_valid():
        # Nothing chosen is the reader's slip; a choice the page never offered is a forgery.
        return _question_page(request, attempt, items, item, form, status=400 if form.is_forged else 200)
    try:
        services.answer_save(item=item, chosen_ids=form.chosen_ids())
    except services.AnswerFinal as final:
        messages.info(request, str(final))
        return redirect(_feedback_url(pk, position))
    except services.AttemptClosed:
        # Closed between reading it and saving (its time ran out, another tab finished it).
        return _answer_refused(request, _attempt(request, pk))
    except (OperationalError, InterfaceError):
        # The database went away while saving (a restart): nothing was saved. The page is
        # drawn from what was read before, the reader's choice still ticked.
        form.add_error(None, ANSWER_NOT_SAVED)
        response = _question_page(request, attempt, items, item, form, status=503)
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
        return response
    if attempt.is_learning:
        return redirect(_feedback_url(pk, position))
    return redirect(_next_url(pk, after=position, items=items))


def _answer_refused(request, attempt):
    """An answer sent to an attempt that takes none: one whose time ran out goes to its results,
    where the answer's fate is explained; else a page saying the attempt is closed (409)."""
    if attempt.ran_out_of_time:
        return _closed(request, attempt)
    return render(request, "quizzes/attempt_closed.html", {"attempt": attempt}, status=409)


def _question_page(request, attempt, items, item, form, status=200):
    answered = sum(1 for item in items if item.answered_at is not None)
    context = {
        "attempt": attempt,
        "item": item,
        "form": form,
        "answered": answered,
        "previous_url": _question_url(attempt.pk, item.position - 1) if item.position > 1 else None,
        "all_answered": answered == attempt.total,
        "seconds_left": int((attempt.ends_at - timezone.now()).total_seconds()) if attempt.ends_at else None,
    }
    return render(request, "quizzes/question.html", context, status=status)


@require_POST
def attempt_finish(request, pk):
    attempt = _attempt(request, pk)
    try:
        attempt = services.attempt_finish(attempt=attempt)
    except services.QuizError as error:
        messages.error(request, str(error))
        return redirect(_next_url(attempt.pk))
    return redirect(attempt)


def attempt_results(request, pk):
    attempt = _attempt(request, pk)
    if not attempt.is_finished:
        return _closed(request, attempt)
    items = list(attempt.items.all())
    sections = _readable_sections(items)
    rows = [
        {"item": item, "choices": item.review(), "section": sections.get(item.asked["section_id"])}
        for item in items
    ]
    mistakes = [row for row in rows if row["item"].is_mistake]
    credits = [item.credit for item in items]
    context = {
        "attempt": attempt,
        "rows": rows,
        "mistakes": len(mistakes),
        "marks": marks_text(sum(credits)),
        # "1 + ½ + 0 + 1 = 2½": how the marks add up, when some question earned part of its mark.
        "marks_sum": " + ".join(marks_text(c) for c in credits) if any(0 < c < 1 for c in credits) else "",
        # What to do next: not passed, read what went wrong first; passed, the next quiz.
        "to_read": next((row["section"] for row in mistakes if row["section"]), None),
        "next_quiz": _next_quiz(request, attempt.quiz) if attempt.passed else None,
        "certificate_token": (
            certificate_token(attempt)
            if attempt.passed
            and attempt.mode == Attempt.Mode.FULL
            and attempt.user_id
            and not attempt.certificate_withdrawn_at
            else None
        ),
    }
    return render(request, "quizzes/results.html", context)


def _next_quiz(request, quiz):
    """A published quiz on one of `quiz`'s topics (else any) that the reader has not passed."""
    passed = Attempt.objects.for_reader(_reader(request)).filter(passed=True, mode=Attempt.Mode.FULL)
    others = Quiz.objects.published().exclude(pk=quiz.pk).exclude(pk__in=passed.values("quiz"))
    same_topics = Count("topics", filter=Q(topics__in=quiz.topics.all()))
    return others.annotate(same_topics=same_topics).order_by("-same_topics", "title").first()


def _readable_sections(items):
    """The sections the items' questions link to, by id: only those readers can open (published
    articles), with their articles (one query)."""
    section_ids = {item.asked["section_id"] for item in items} - {None}
    sections = Section.objects.filter(pk__in=section_ids, article__in=Article.objects.published())
    return {section.pk: section for section in sections.select_related("article")}


def progress(request):
    attempts = services.attempts_for_reader(reader=_reader(request))
    quizzes = list(Quiz.objects.published().with_question_count())
    statuses = quiz_statuses(attempts, quizzes)
    done = sum(1 for status in statuses.values() if status.finished_count)
    context = {
        "rows": [(quiz, statuses[quiz.pk]) for quiz in quizzes],
        "done": done,
        "total": len(quizzes),
        "recent": attempts.exclude(status=Attempt.Status.SET_ASIDE).select_related("quiz")[:RECENT_ATTEMPTS],
        "topics": topic_scores(attempts),
        "practice_due": (
            ReviewCard.objects.due(request.user, practice_today()).count()
            if request.user.is_authenticated
            else None
        ),
    }
    return render(request, "quizzes/progress.html", context)


def practice(request):
    """Spaced review: the first of the reader's questions due today, from any quiz."""
    context = {}
    if request.user.is_authenticated:
        due = ReviewCard.objects.due(request.user, practice_today())
        card = due.select_related("question__quiz").first()
        context = {"card": card, "due": due.count() if card else 0}
        if card is None:
            upcoming = ReviewCard.objects.filter(user=request.user, box__lt=LEARNED).order_by("due_on")
            context["next_due"] = upcoming.values_list("due_on", flat=True).first()
        else:
            context |= _practice_question(card)
    return render(request, "quizzes/practice.html", context)


def _practice_question(card, data=None):
    item = practice_item(card)
    return {"item": item, "form": AnswerForm(item, data)}


@login_required
@require_POST
def practice_answer(request, pk):
    due = ReviewCard.objects.due(request.user, practice_today())
    # Its choices read once: for the form, and for grading (Question.as_asked uses them).
    card = due.filter(pk=pk).select_related("question__quiz").prefetch_related("question__choices").first()
    if card is None:
        # Answered already (sent twice, a second tab) or not due: what it got, never a second move.
        get_object_or_404(ReviewCard, pk=pk, user=request.user)  # another reader's: none
        return redirect("quizzes:practice_result", pk=pk)
    context = {"card": card} | _practice_question(card, request.POST)
    form = context["form"]
    if not form.is_valid():
        context["due"] = due.count()
        return render(request, "quizzes/practice.html", context, status=400 if form.is_forged else 200)
    practice_services.practice_answer(card=card, chosen_ids=form.chosen_ids())
    return redirect("quizzes:practice_result", pk=card.pk)


@login_required
def practice_result(request, pk):
    card = get_object_or_404(ReviewCard.objects.select_related("question__quiz"), pk=pk, user=request.user)
    if card.last_chosen is None:
        return redirect("quizzes:practice")
    item = practice_item(card, answered=True)
    context = {
        "card": card,
        "item": item,
        "choices": item.review(),
        "section": _readable_sections([item]).get(item.asked["section_id"]),
        "due": ReviewCard.objects.due(request.user, practice_today()).count(),
        "days": (card.due_on - practice_today()).days,
        "learned": LEARNED,
    }
    return render(request, "quizzes/practice_result.html", context)


def certificate(request, token):
    """A passed quiz's certificate: printable, and its address is the check that it is genuine
    (signed: quizzes.certificates). Anyone with the address can open it; a withdrawn one says so."""
    attempt = certificate_attempt(token)
    if attempt is None:
        raise Http404("No such certificate: the address is not one this site gave.")
    context = {"attempt": attempt, "name": reader_name(attempt.user), "url": request.build_absolute_uri()}
    status = 410 if attempt.certificate_withdrawn_at else 200
    return render(request, "quizzes/certificate.html", context, status=status)
