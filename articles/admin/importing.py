"""Import an article from a Q&A document: upload or paste it, review what was read, then save."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.forms import ImportForm
from articles.importer import ImportProblem
from articles.models import Article
from articles.services import article_import


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    parsed = None
    if posted and form.is_valid():
        parsed = form.cleaned_data["parsed"]
        if "save" in request.POST:
            try:
                article = article_import(
                    parsed=parsed,
                    author=request.user,
                    publish=form.cleaned_data["publish"],
                    replace=form.cleaned_data["replace"],
                )
            except ImportProblem as problem:
                form.add_error(None, str(problem))
                parsed = None
            else:
                model_admin.message_user(
                    request,
                    f"Imported “{article.title}” with {len(parsed.sections)} questions.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:articles_article_change", args=[article.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import an article",
        "crumb": "Import",
        "opts": model_admin.model._meta,
        "form": form,
        "parsed": parsed,
        "replaces": parsed and Article.objects.filter(slug=form.cleaned_data["slug"]).first(),
    }
    return TemplateResponse(request, "admin/articles/article/import.html", context)
