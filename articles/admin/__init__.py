"""The editors' admin for articles, their sections, topics and share links.

ArticleAdmin is declarative; its custom pages live beside it: importing.py (import a Q&A
document), history.py (compare versions), article_drafts.py (a published article's draft:
"Edit as a draft"), drafts.py ("Save as new draft", for unpublished articles), share_links.py,
preview.py (the answer's Preview button); search_log.py ("Searches without an answer").

Saving or deleting one object announces the change through the model's own save() and delete()
(services.articles_changed); what those don't see is announced here: the links the form writes
after the object (save_related) and deletions from a list (delete_queryset, a bulk delete).
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.db import models
from django.urls import path
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin

from articles.admin import article_drafts, drafts
from articles.admin.history import compare_view
from articles.admin.importing import import_view
from articles.admin.preview import SectionFields, answer_preview_view
from articles.admin.search_log import searches_view
from articles.admin.share_links import ShareLinkInline, share_links_save
from articles.admin.sources import SourceAdmin
from articles.forms import SectionInlineFormSet
from articles.formsets import BoundedInline
from articles.models import (
    MAX_SECTIONS,
    Article,
    ArticleDraft,
    ArticleRedirect,
    SearchSynonym,
    Section,
    ShareLink,
    Source,
    Topic,
)
from articles.search import MAX_QUERY_LENGTH
from articles.services import articles_changed, articles_set_status, pages_changed

admin.site.register(ArticleDraft, article_drafts.ArticleDraftAdmin)
admin.site.register(Source, SourceAdmin)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["words"]
    search_fields = ["words"]

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pages_changed()


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=models.Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, topic):
        return topic.article_count

    def delete_queryset(self, request, queryset):
        article_ids = list(Article.objects.filter(topics__in=queryset).values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        articles_changed(article_ids=article_ids)


class SectionInline(SectionFields, BoundedInline, admin.StackedInline):
    model = Section
    formset = SectionInlineFormSet
    max_num = MAX_SECTIONS
    fields = ["question", "answer", "position", "anchor"]
    extra = 1


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections are written inside their article, which keeps their revisions; this page lists
    them with readers' votes. Other apps may add inlines (what tests a section, say)."""

    list_display = ["question", "article", "helpful_yes", "helpful_no", "anchor"]
    list_filter = ["article"]
    list_select_related = ["article"]
    search_fields = ["question", "answer", "article__title"]
    fields = ["article", "question", "answer", "position", "anchor"]
    readonly_fields = fields  # written in their article's form, which keeps revisions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting follows the model permission (editors have it): refusing it here refused deleting
    # any article, whose sections go with it. A section that quiz questions test is protected: the
    # admin's confirmation page names the questions and deletes nothing.

    def get_queryset(self, request):
        # Readers' "Was this answer helpful?" votes, to find the answers that need work.
        return (
            super()
            .get_queryset(request)
            .annotate(
                yes=models.Count("helpful_votes", filter=models.Q(helpful_votes__helpful=True)),
                no=models.Count("helpful_votes", filter=models.Q(helpful_votes__helpful=False)),
            )
        )

    @admin.display(description="Helpful: yes", ordering="yes")
    def helpful_yes(self, section):
        return section.yes

    @admin.display(description="Helpful: no", ordering="no")
    def helpful_no(self, section):
        return section.no

    def delete_queryset(self, request, queryset):
        article_ids = list(queryset.values_list("article_id", flat=True))
        super().delete_queryset(request, queryset)
        articles_changed(article_ids=article_ids)


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    """Old addresses, written when an article's address changes: listed, and deleted to stop one
    redirecting. Whoever may see or change articles may see or delete them."""

    list_display = ["old_slug", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__title", "article__slug"]
    fields = ["old_slug", "article", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or request.user.has_perm(
            "articles.change_article"
        )


class ReviewFilter(admin.SimpleListFilter):
    title = "clinical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("soon", "Due within 30 days"), ("unset", "No date set")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "soon":
            return queryset.review_due_soon(days=30)
        if self.value() == "unset":
            return queryset.filter(review_due__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = [
        "title",
        "status_label",
        "published_at",
        "question_count",
        "review_due",
        "updated_at",
        "imported",
    ]
    list_filter = ["status", ReviewFilter, "imported_unreviewed", "topics"]
    search_fields = ["title", "summary", "sections__question"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [SectionInline, ShareLinkInline]
    actions = ["publish", "unpublish"]
    save_as = True  # "Save as new draft" on an unpublished article's page: see drafts.py
    history_latest_first = True
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    readonly_fields = ["author", "created_at", "updated_at"]

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            # The date drill-down can't count past the year 9999 (?published_at__year=9999 asks for
            # the year after it): answered as Django answers any other lookup it can't make, with
            # the list again.
            raise IncorrectLookupParameters(error) from error

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topics"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Clinical review", {"fields": ["last_reviewed", "review_due"]}),
        ("Advanced options", {"classes": ["collapse"], "fields": ["author", "created_at", "updated_at"]}),
    ]
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 90})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).with_question_count()

    def get_search_results(self, request, queryset, search_term):
        # The quiz form's article picker searches here: SQLite refuses a pattern of 50,000 characters.
        return super().get_search_results(request, queryset, search_term[:MAX_QUERY_LENGTH])

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        return "Scheduled" if article.is_scheduled else article.get_status_display()

    # On two lines: the list must fit a 1280 px screen, and admin headers don't wrap by themselves.
    @admin.display(
        description=mark_safe("Imported,<br>not yet reviewed"), boolean=True, ordering="imported_unreviewed"
    )
    def imported(self, article):
        return article.imported_unreviewed

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, article):
        return article.question_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return drafts.draft_form(form) if drafts.is_save_as_draft(request) else form

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if drafts.is_save_as_draft(request):  # the share links stay with the article being edited
            inlines = [inline for inline in inlines if not isinstance(inline, ShareLinkInline)]
        return inlines

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if drafts.is_save_as_draft(request):
            article = self.get_object(request, unquote(object_id))
            if article is not None and article.status == Article.Status.PUBLISHED:
                return drafts.refused_for_published(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            context |= {
                "open_draft": obj.drafts.open().select_related("created_by").first(),
                "may_start_draft": article_drafts.may_start(self, request, obj),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if drafts.is_save_as_draft(request):
            return drafts.refused_on_history(request)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if drafts.is_save_as_draft(request):
            return drafts.refused_on_history(request)
        return super().recover_view(request, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None or drafts.is_save_as_draft(request):
            obj.author = request.user
        obj.imported_unreviewed = False  # an editor has read it here and saved it
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is ShareLink:
            share_links_save(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        """The form's last writes (topics, sections) announce the article as it ends up: the
        topics are links, which Article.save() ran too early to see. Restoring a version comes
        here too: django-reversion reverts with raw saves, then saves this form."""
        super().save_related(request, form, formsets, change)
        articles_changed(article_ids=[form.instance.pk])
        for section in form.instance.sections.all():
            if not section.answer.strip():
                self.message_user(request, f"“{section.question}” has no answer yet.", messages.WARNING)
            if not section.question.rstrip().endswith("?"):
                self.message_user(
                    request, f"“{section.question}” does not end with a question mark.", messages.WARNING
                )

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pages_changed()

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        count = articles_set_status(articles=queryset, status=Article.Status.PUBLISHED, user=request.user)
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = articles_set_status(articles=queryset, status=Article.Status.DRAFT, user=request.user)
        self.message_user(request, f"{count} article(s) are drafts again.", messages.SUCCESS)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path("import/", view(import_view), name="articles_article_import"),
            path("searches/", view(searches_view), name="articles_article_searches"),
            path("answer-preview/", view(answer_preview_view), name="articles_article_answer_preview"),
            path("<int:object_id>/history/compare/", view(compare_view), name="articles_article_compare"),
            path(
                "<int:object_id>/draft/", view(article_drafts.draft_start_view), name="articles_article_draft"
            ),
            *super().get_urls(),
        ]
