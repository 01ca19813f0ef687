"""Import an article from a Q&A document: upload or paste it, review what was read, then save.

After the first read the review page keeps the document (in a hidden field) until the editor saves
or starts again: a save that fails shows the review again, with the reason at the top. The review
runs the checks that saving runs (services.replace_problems), and it is where the editor chooses
to publish, and, when the address is taken, to replace that article or save a new draft.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse

from articles.admin.pages import admin_page
from articles.forms import ImportForm, ImportReviewForm
from articles.importer import ImportProblem
from articles.models import Article
from articles.services import (
    PublishNeeded,
    article_import,
    free_slug,
    replace_problems,
    sections_replace_removes,
)


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if not form.is_valid():
        return _render(model_admin, request, {"form": form})
    parsed, slug = form.cleaned_data["parsed"], form.cleaned_data["slug"]
    button = next((name for name in BUTTONS if name in request.POST), None)
    review = ImportReviewForm(request.POST if button else None)
    error = None
    if review.is_valid():
        try:
            article = _save(model_admin, request, parsed, slug, button, review.cleaned_data)
        except (ImportProblem, IntegrityError) as problem:
            # A race (someone took the address, or linked a quiz question to a section) or a
            # problem: the review again, now showing what is true, with the document still there.
            error = str(problem) if isinstance(problem, ImportProblem) else _RACE
        else:
            count = len(parsed.sections)
            state = "and published it" if article.status == Article.Status.PUBLISHED else "as a draft"
            model_admin.message_user(
                request,
                f"Imported “{article.title}” with {count} question{pluralize(count)} {state}.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
    elif review.is_bound:
        error = "The address for a new draft is not valid: save again."
    existing = Article.objects.filter(slug=slug).first()
    problems = replace_problems(article=existing, parsed=parsed) if existing else []
    context = {
        "form": form,
        "parsed": parsed,
        "source": form.cleaned_data["source"],
        "error": error,
        "existing": existing,
        "problems": problems,
        "removes": sections_replace_removes(article=existing, parsed=parsed) if existing else [],
        "may_replace": existing is not None and not problems and _may_replace(model_admin, request, existing),
        "new_slug": free_slug(slug),
        "publish": review["publish"],
    }
    return _render(model_admin, request, context)


# The review page's buttons: a new article at the title's address, the existing article at that
# address replaced, or a new draft at the free address the button names.
BUTTONS = ("save", "replace", "save_draft")
_RACE = "The article changed while it was being saved. Check what is shown below, then save again."


def _may_replace(model_admin, request, article):
    return model_admin.has_change_permission(request, article)


def _save(model_admin, request, parsed, slug, button, choice):
    """Save the reviewed document as the button pressed says, or ImportProblem."""
    if button == "replace":
        existing = Article.objects.filter(slug=slug).first()
        if existing is None:
            raise ImportProblem(f"The article at “{slug}” is gone; save the document as a new article.")
        if not _may_replace(model_admin, request, existing):
            raise ImportProblem("You may add articles but not change them, so you can't replace one.")
        try:
            return article_import(
                parsed=parsed, author=request.user, publish=choice["publish"], replace=True, slug=slug
            )
        except PublishNeeded as problem:
            raise ImportProblem(
                f"{problem} Tick “Publish at once” to do that, or save the document as a new draft."
            ) from None
    if button == "save_draft":  # the button names the address: that one, or none
        return article_import(parsed=parsed, author=request.user, slug=choice["new_slug"] or free_slug(slug))
    return article_import(parsed=parsed, author=request.user, publish=choice["publish"], slug=slug)


def _render(model_admin, request, context):
    return admin_page(
        model_admin,
        request,
        "admin/articles/article/import.html",
        title="Import an article",
        crumb="Import",
        **context,
    )
