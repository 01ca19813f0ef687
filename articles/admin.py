from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.compare import compare_versions
from articles.forms import ImportForm, SectionInlineFormSet
from articles.importer import ImportProblem
from articles.markdown import markdown_to_html
from articles.models import Article, Section, ShareLink, Topic
from articles.services import article_import, articles_publish, articles_unpublish, draft_slug
from faqsite.context_processors import site_url
from quizzes.admin import SectionQuestionsInline

MARKDOWN_HELP = (
    "Markdown. A blank line between paragraphs; <code>- </code> at the start of a line for a list "
    "item; <code>**bold**</code>, <code>*italic*</code>; <code>### </code> for a sub-heading; "
    "<code>[words](https://…)</code> for a link. Scripts and other HTML are removed."
)


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


class SectionInline(admin.StackedInline):
    model = Section
    formset = SectionInlineFormSet
    fields = ["question", "answer", "position", "anchor"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "answer":
            field.help_text = MARKDOWN_HELP
        return field
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 8, "cols": 90})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 90})},
    }

    class Media:
        js = ["articles/admin/section-order.js", "articles/admin/answer-preview.js"]
        css = {"all": ["articles/admin/admin.css"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections are written inside their article; this page shows which quiz questions test one."""

    list_display = ["question", "article", "helpful_yes", "helpful_no", "anchor"]
    list_filter = ["article"]
    list_select_related = ["article"]
    search_fields = ["question", "answer", "article__title"]
    fields = ["article", "question", "answer", "position", "anchor"]
    readonly_fields = fields  # written in their article's form, which keeps revisions
    inlines = [SectionQuestionsInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Readers' "Was this answer helpful?" votes, to find the answers that need work.
        return super().get_queryset(request).annotate(
            yes=models.Count("feedback", filter=models.Q(feedback__helpful=True)),
            no=models.Count("feedback", filter=models.Q(feedback__helpful=False)),
        )

    @admin.display(description="Helpful: yes", ordering="yes")
    def helpful_yes(self, section):
        return section.yes

    @admin.display(description="Helpful: no", ordering="no")
    def helpful_no(self, section):
        return section.no


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


class NewRowCountsForm(forms.ModelForm):
    def has_changed(self):
        # A new share link row needs no typing (its expiry has a default): adding it is the change.
        return self.instance.pk is None or super().has_changed()


class ShareLinkInline(admin.TabularInline):
    """Links for reviewers without an account. "Add another" makes one; saving shows its address."""

    model = ShareLink
    form = NewRowCountsForm
    fields = ["address", "expires_at", "revoked", "created_by", "created_at"]
    readonly_fields = ["address", "created_by", "created_at"]
    extra = 0
    can_delete = False
    verbose_name = "share link"
    verbose_name_plural = "Share links (a preview for reviewers without an account)"

    def get_formset(self, request, obj=None, **kwargs):
        self.request = request  # inline instances are made for each request
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="Address")
    def address(self, link):
        if not link.pk:
            return "Shown after saving."
        url = site_url(self.request) + link.get_absolute_url()
        state = " (revoked)" if link.revoked else ""
        return format_html('<a href="{}">{}</a>{}', url, url, state)


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = [
        "title", "status_label", "published_at", "question_count", "review_due", "updated_at"
    ]
    list_filter = ["status", ReviewFilter, "topics"]
    search_fields = ["title", "summary", "sections__question"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [SectionInline, ShareLinkInline]
    actions = ["publish", "unpublish"]
    save_as = True  # shown as "Save as new draft" (templates/admin/articles/article/submit_line.html)
    history_latest_first = True
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    readonly_fields = ["author", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topics"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Clinical review", {"fields": ["last_reviewed", "review_due"]}),
        ("Advanced options", {"classes": ["collapse"],
                              "fields": ["author", "created_at", "updated_at"]}),
    ]
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 90})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).with_question_count()

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        return "Scheduled" if article.is_scheduled else article.get_status_display()

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, article):
        return article.question_count

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        on_change_page = request.resolver_match.url_name in (
            "articles_article_change", "articles_article_add"
        )
        if request.method == "POST" and "_saveasnew" in request.POST and not on_change_page:
            # On a history page, the form is an old version being restored: no copies from there.
            data = request.POST.copy()
            del data["_saveasnew"]
            request.POST = data
        if request.method == "POST" and "_saveasnew" in request.POST:
            # "Save as new draft": the form's content becomes a new draft at a free address;
            # the article being edited stays as it was, and its share links stay with it.
            data = request.POST.copy()
            data["slug"] = draft_slug(data.get("slug", "article"))
            data["status"] = Article.Status.DRAFT
            data["published_at_0"] = data["published_at_1"] = ""
            data["share_links-TOTAL_FORMS"] = data["share_links-INITIAL_FORMS"] = "0"
            request.POST = data
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None or "_saveasnew" in request.POST:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is ShareLink:
            for link in formset.save(commit=False):
                if link.pk is None:
                    link.created_by = request.user
                link.save()
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for section in form.instance.sections.all():
            if not section.answer.strip():
                self.message_user(
                    request, f"“{section.question}” has no answer yet.", messages.WARNING
                )
            if not section.question.rstrip().endswith("?"):
                self.message_user(
                    request, f"“{section.question}” does not end with a question mark.",
                    messages.WARNING,
                )

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        count = articles_publish(articles=queryset, user=request.user)
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = articles_unpublish(articles=queryset, user=request.user)
        self.message_user(request, f"{count} article(s) are drafts again.", messages.SUCCESS)

    def answer_preview_view(self, request):
        """An answer rendered and cleaned exactly as readers will see it (the Preview button)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return HttpResponse(markdown_to_html(request.POST.get("text", "")))

    def compare_view(self, request, object_id):
        """Two saved versions of an article side by side: its fields and its sections."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = list(
            Version.objects.get_for_object(article).select_related("revision__user")
        )
        by_id = {str(version.revision_id): version for version in versions}
        older = by_id.get(request.GET.get("a")) or (versions[1] if len(versions) > 1 else None)
        newer = by_id.get(request.GET.get("b")) or (versions[0] if versions else None)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {article}",
            "opts": self.model._meta,
            "original": article,
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": compare_versions(older, newer) if older and newer else None,
            "crumb": "Compare",
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
            ),
            path(
                "answer-preview/",
                self.admin_site.admin_view(self.answer_preview_view),
                name="articles_article_answer_preview",
            ),
            path(
                "<int:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload or paste a Q&A document, review what was read, then save it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
        parsed = None
        if request.method == "POST" and form.is_valid():
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
                    self.message_user(
                        request,
                        f"Imported “{article.title}” with {len(parsed.sections)} questions.",
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import an article",
            "crumb": "Import",
            "opts": self.model._meta,
            "form": form,
            "parsed": parsed,
            "replaces": parsed and Article.objects.filter(slug=form.cleaned_data["slug"]).first(),
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)
