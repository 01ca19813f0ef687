from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.forms import ImportForm, SectionInlineFormSet
from articles.importer import ImportProblem
from articles.models import Article, Section, Topic
from articles.services import article_import, articles_publish, articles_unpublish
from quizzes.admin import SectionQuestionsInline


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
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 8, "cols": 90})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 90})},
    }

    class Media:
        js = ["articles/admin/section-order.js"]
        css = {"all": ["articles/admin/admin.css"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections are written inside their article; this page shows which quiz questions test one."""

    list_display = ["question", "article", "position", "anchor"]
    list_select_related = ["article"]
    search_fields = ["question", "answer", "article__title"]
    fields = ["article", "question", "answer", "position", "anchor"]
    readonly_fields = ["article"]
    inlines = [SectionQuestionsInline]

    def has_add_permission(self, request):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status_label", "published_at", "question_count", "updated_at"]
    list_filter = ["status", "topics"]
    search_fields = ["title", "summary", "sections__question"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [SectionInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["author", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topics"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
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
        if article.status == Article.Status.PUBLISHED and article.published_at > timezone.now():
            return "Scheduled"
        return article.get_status_display()

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, article):
        return article.question_count

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        count = articles_publish(articles=queryset)
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = articles_unpublish(articles=queryset)
        self.message_user(request, f"{count} article(s) are drafts again.", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
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
            "opts": self.model._meta,
            "form": form,
            "parsed": parsed,
            "replaces": parsed and Article.objects.filter(slug=form.cleaned_data["slug"]).first(),
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)
