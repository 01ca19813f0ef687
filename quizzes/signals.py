from django.template.loader import render_to_string

from articles.freshness import remembered
from quizzes.models import Quiz
from quizzes.services import VISITOR_SESSION_KEY, attempts_claim

HOME_QUIZZES = 6  # the rest are on /quizzes/


def visitor_attempts_claim(sender, request, user, **kwargs):
    """`user_logged_in` receiver: on log-in or sign-up, the quiz attempts made in this browser
    move into the account."""
    session = getattr(request, "session", None)
    if session is not None:
        attempts_claim(user=user, visitor_key=session.pop(VISITOR_SESSION_KEY, ""))


def test_yourself_links(sender, article, request, **kwargs):
    """`article_page_extras` receiver: "Test yourself" links to the published quizzes whose
    questions are explained by the article (one query, once per process in each generation)."""
    return remembered(f"test-yourself:{article.pk}", lambda: _test_yourself(article))


def _test_yourself(article):
    quizzes = list(Quiz.objects.testing_article(article).only("title", "slug"))
    if not quizzes:
        return ""
    # No request: the links are the same for everyone, and need none of the context processors.
    return render_to_string("quizzes/includes/test_yourself.html", {"quizzes": quizzes})


def home_quizzes(sender, request, **kwargs):
    """`home_page_extras` receiver: the newest published quizzes, with how many questions each
    asks, and a link to the rest (one query, once per process in each generation)."""
    return remembered("home-quizzes", _home_quizzes)


def _home_quizzes():
    newest = Quiz.objects.published().with_question_count().order_by("-created_at", "-pk")
    quizzes = list(newest[: HOME_QUIZZES + 1])  # one more: are there others?
    if not quizzes:
        return ""
    context = {"quizzes": quizzes[:HOME_QUIZZES], "more": len(quizzes) > HOME_QUIZZES}
    return render_to_string("quizzes/includes/home_quizzes.html", context)
