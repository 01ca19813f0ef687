"""The admin's own pages beside a model's (compare, import, statistics, reports): each is the
admin's page with its header, breadcrumbs ("crumb" after the model's) and the model's options,
around what the page shows. Quizzes' admin pages use it too (quizzes may use articles)."""

from django.template.response import TemplateResponse


def admin_page(model_admin, request, template, *, title, crumb, **context):
    """A TemplateResponse for `template` with the admin site's context, `title`, `crumb` and
    the model's options, then `context`."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "crumb": crumb,
            "opts": model_admin.model._meta,
            **context,
        },
    )
