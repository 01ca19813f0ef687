"""The "Content health" admin page: the sections readers struggle with (quizzes/health.py).

Wired by QuizAdmin.get_urls as `partial(health_view, self)`, named "admin:quizzes_quiz_health"."""

from django.core.exceptions import PermissionDenied

from articles.admin.pages import admin_page
from quizzes.health import RANKING, section_health


def health_view(model_admin, request):
    # The page sends editors to rewrite sections: it is for those who may change them.
    if not request.user.has_perm("articles.change_section"):
        raise PermissionDenied
    return admin_page(
        model_admin,
        request,
        "admin/quizzes/health.html",
        title="Content health: sections readers struggle with",
        crumb="Content health",
        ranking=RANKING,
        rows=section_health(),
    )
