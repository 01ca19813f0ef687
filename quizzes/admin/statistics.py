"""A quiz's statistics page: attempts, average, pass rate, and how each question was answered
(quizzes/statistics.py reads them).

Wired by QuizAdmin.get_urls as `partial(statistics_view, self)`, named "admin:quizzes_quiz_statistics"."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from quizzes.models import Quiz
from quizzes.statistics import quiz_statistics


def statistics_view(model_admin, request, pk):
    quiz = get_object_or_404(Quiz, pk=pk)
    if not model_admin.has_view_permission(request, quiz):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Statistics: {quiz}",
        "opts": model_admin.model._meta,
        "quiz": quiz,
        "original": quiz,
        "crumb": "Statistics",
        "stats": quiz_statistics(quiz),
    }
    return TemplateResponse(request, "admin/quizzes/quiz/statistics.html", context)
