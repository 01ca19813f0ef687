"""A quiz's statistics page: attempts, average, pass rate, and how each question was answered
(quizzes/statistics.py reads them).

Wired by QuizAdmin.get_urls as `partial(statistics_view, self)`, named "admin:quizzes_quiz_statistics"."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from articles.admin.pages import admin_page
from quizzes.models import Quiz
from quizzes.statistics import quiz_statistics


def statistics_view(model_admin, request, pk):
    quiz = get_object_or_404(Quiz, pk=pk)
    if not model_admin.has_view_permission(request, quiz):
        raise PermissionDenied
    return admin_page(
        model_admin,
        request,
        "admin/quizzes/quiz/statistics.html",
        title=f"Statistics: {quiz}",
        crumb="Statistics",
        quiz=quiz,
        original=quiz,
        stats=quiz_statistics(quiz),
    )
