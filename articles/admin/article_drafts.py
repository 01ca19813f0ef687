"""Drafts of a published article: "Edit as a draft" on the article's page starts one (or opens the
one already open), its own page edits the proposed title, summary and sections while readers keep
seeing the article, and "Publish this draft" or "Discard" closes it (services.article_draft_*).

Editing the draft needs the permission to change drafts; starting and publishing one change the
article too, so they also need the permission to change articles.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from articles.admin.pages import admin_page
from articles.admin.preview import SectionFields
from articles.formsets import BoundedInline, BoundedInlineFormSet
from articles.models import MAX_SECTIONS, Article, ArticleDraft, DraftSection
from articles.services import (
    DRAFT_ADVICE,
    DraftProblem,
    article_draft_discard,
    article_draft_preview,
    article_draft_publish,
    article_draft_start,
    article_head,
    draft_parsed,
    replace_problems,
    sections_replace_removes,
)

PUBLISH_BUTTON = "_publish"


def may_start(model_admin, request, article):
    return model_admin.has_change_permission(request, article) and request.user.has_perm(
        "articles.add_articledraft"
    )


def may_publish(request):
    return request.user.has_perm("articles.change_article") and request.user.has_perm(
        "articles.change_articledraft"
    )


def draft_start_view(model_admin, request, object_id):
    """POST from a published article's page: its open draft (started now if it has none)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = get_object_or_404(Article, pk=object_id)
    if not may_start(model_admin, request, article):
        raise PermissionDenied
    try:
        draft = article_draft_start(article=article, user=request.user)
    except DraftProblem as problem:
        model_admin.message_user(request, str(problem), messages.ERROR)
        return redirect("admin:articles_article_change", article.pk)
    return redirect("admin:articles_articledraft_change", draft.pk)


class DraftSectionFormSet(BoundedInlineFormSet):
    def get_unique_error_message(self, unique_check):
        if "question" in unique_check:
            return "Two sections ask the same question. Each question in an article must be different."
        return super().get_unique_error_message(unique_check)


class DraftSectionInline(SectionFields, BoundedInline, admin.StackedInline):
    model = DraftSection
    formset = DraftSectionFormSet
    max_num = MAX_SECTIONS
    fields = ["question", "answer", "position"]
    extra = 0
    verbose_name = "section"
    verbose_name_plural = "Sections"


class ArticleDraftAdmin(admin.ModelAdmin):
    list_display = ["title", "article", "state", "created_by", "created_at"]
    list_filter = ["state"]
    list_select_related = ["article", "created_by"]
    search_fields = ["title", "article__title"]
    inlines = [DraftSectionInline]
    readonly_fields = [
        "live_article",
        "state",
        "created_by",
        "created_at",
        "based_on",
        "closed_by",
        "closed_at",
    ]
    fieldsets = [
        (None, {"fields": ["live_article", "title", "summary"]}),
        (
            "About this draft",
            {
                "classes": ["collapse"],
                "fields": ["state", "created_by", "created_at", "based_on", "closed_by", "closed_at"],
            },
        ),
    ]
    change_form_template = "admin/articles/articledraft/change_form.html"

    def has_add_permission(self, request):
        return False  # a draft is started from its article's page

    def has_change_permission(self, request, obj=None):
        # A published or discarded draft is kept as it was, for history.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_open)

    # Deleting follows the model permission (editors have it): deleting an article takes its
    # drafts with it, and the admin asks for the permission to delete each of them.

    @admin.display(description="Published article")
    def live_article(self, draft):
        url = reverse("admin:articles_article_change", args=[draft.article_id])
        return format_html(
            '<a href="{}">{}</a> (readers see it as it is until this draft is published)', url, draft.article
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and PUBLISH_BUTTON in request.POST and not may_publish(request):
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context |= {"draft": obj, "may_publish": obj.is_open and may_publish(request)}
            if obj.is_open:  # what publishing the draft as saved would do
                parsed = draft_parsed(obj)
                context |= {
                    "publish_problems": replace_problems(
                        article=obj.article, parsed=parsed, advice=DRAFT_ADVICE
                    ),
                    "publish_removes": sections_replace_removes(article=obj.article, parsed=parsed),
                }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if PUBLISH_BUTTON not in request.POST:
            return super().response_change(request, obj)
        try:
            article = article_draft_publish(draft=obj, user=request.user)
        except DraftProblem as problem:
            # The edits are saved; the draft stays open, with the reason at the top.
            self.message_user(
                request,
                f"Your changes are saved in the draft, but it was not published. {problem}",
                messages.ERROR,
            )
            return redirect("admin:articles_articledraft_change", obj.pk)
        self.message_user(
            request, f"Published the draft: readers now see the new “{article.title}”.", messages.SUCCESS
        )
        return redirect("admin:articles_article_change", article.pk)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kwargs: function(self, request, **kwargs))

        return [
            path("<int:object_id>/discard/", view(discard_view), name="articles_articledraft_discard"),
            path("<int:object_id>/preview/", view(preview_view), name="articles_articledraft_preview"),
            *super().get_urls(),
        ]


def discard_view(model_admin, request, object_id):
    """Asks first (GET), then discards (POST): the article stays as it is."""
    draft = get_object_or_404(ArticleDraft.objects.select_related("article"), pk=object_id)
    if not model_admin.has_change_permission(request, draft):
        if draft.is_open or not model_admin.has_view_permission(request, draft):
            raise PermissionDenied
        model_admin.message_user(
            request, f"This draft is {draft.get_state_display().lower()} already.", messages.WARNING
        )
        return redirect("admin:articles_articledraft_change", draft.pk)
    if request.method == "POST":
        article_draft_discard(draft=draft, user=request.user)
        model_admin.message_user(
            request, f"Discarded the draft; “{draft.article}” stays as it is.", messages.SUCCESS
        )
        return redirect("admin:articles_article_change", draft.article_id)
    return admin_page(
        model_admin,
        request,
        "admin/articles/articledraft/discard.html",
        title="Discard this draft?",
        crumb="Discard",
        original=draft,
    )


def preview_view(model_admin, request, object_id):
    """The draft as readers would see its article once it is published (nothing is saved)."""
    draft = get_object_or_404(ArticleDraft, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, draft):
        raise PermissionDenied
    article, body = article_draft_preview(draft)
    context = {
        "article": article,
        "head": article_head(article),
        "body": body,
        "related_articles": [],
        "is_preview": True,
        "draft": draft,
        "extras": [],
    }
    response = render(request, "articles/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
