"""The "Content health" admin page: the sections readers struggle with (quizzes/health.py).

Wired by QuizAdmin.get_urls as `partial(health_view, self)`, named "admin:quizzes_quiz_health"."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from quizzes.health import RANKING, section_health


def health_view(model_admin, request):
    # The page sends editors to rewrite sections: it is for those who may change them.
    if not request.user.has_perm("articles.change_section"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Content health: sections readers struggle with",
        "opts": model_admin.model._meta,
        "crumb": "Content health",
        "ranking": RANKING,
        "rows": section_health(),
    }
    return TemplateResponse(request, "admin/quizzes/health.html", context)
