"""The editors' admin for quizzes and their questions.

QuizAdmin and QuestionAdmin are here; their parts live beside them: nested.py (the one-page quiz
form: its nested formsets and their bounds), sections.py (the section picker and its search),
question_banks.py (import and export as GIFT), statistics.py and health.py (the statistics and
content health pages), attempts.py (certificates, for administrators) and articles_admin.py (what
quizzes adds to the articles app's section and article pages).
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html

from articles.models import Article
from articles.services import pages_changed
from quizzes.admin import articles_admin, attempts  # noqa: F401 - they register their admins
from quizzes.admin.health import health_view
from quizzes.admin.nested import QUESTIONS_PER_PAGE, ChoiceInline, NestedPageAdmin, QuestionInline
from quizzes.admin.question_banks import export_view, import_view
from quizzes.admin.sections import IdsOnlyAutocomplete, SectionSearchView, section_field, source_article
from quizzes.admin.statistics import statistics_view
from quizzes.models import Question, Quiz
from quizzes.services import quizzes_set_status, quizzes_unpublish_empty


@admin.register(Question)
class QuestionAdmin(NestedPageAdmin):
    list_display = ["prompt", "quiz", "kind", "is_archived"]
    list_filter = ["quiz", "kind", "is_archived"]
    list_select_related = ["quiz", "section"]
    search_fields = ["prompt", "explanation", "choices__text"]
    inlines = [ChoiceInline]

    class Media:
        css = {"all": ["articles/admin/admin.css", "quizzes/admin/admin.css"]}

    fields = ["quiz", "prompt", "kind", "keep_order", "explanation", "section", "position", "is_archived"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 90})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 90})},
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            return section_field(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Archiving or moving a quiz's last question leaves it empty: it can't stay published.
        previous_quiz = form.initial.get("quiz")  # None when the question is new
        _unpublish_empty(request, self, Quiz.objects.filter(pk__in=[obj.quiz_id, previous_quiz]))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _unpublish_empty(request, self, Quiz.objects.filter(pk=obj.quiz_id))

    def delete_queryset(self, request, queryset):
        quiz_ids = list(queryset.values_list("quiz_id", flat=True))
        super().delete_queryset(request, queryset)
        pages_changed()  # a bulk delete skips Question.delete()
        _unpublish_empty(request, self, Quiz.objects.filter(pk__in=quiz_ids))

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_quiz(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._back_to_quiz(request, obj) or super().response_change(request, obj)

    def _back_to_quiz(self, request, question):
        """A plain "Save" goes back to the quiz, where its questions are listed in order."""
        if {"_continue", "_addanother", "_saveasnew", "_popup"} & set(request.POST):
            return None
        self.message_user(request, f"Saved the question “{question}”.", messages.SUCCESS)
        if Question.objects.filter(quiz=question.quiz_id).count() > QUESTIONS_PER_PAGE:
            return redirect(
                reverse("admin:quizzes_question_changelist") + f"?quiz__id__exact={question.quiz_id}"
            )
        return redirect(reverse("admin:quizzes_quiz_change", args=[question.quiz_id]))


def _too_many_for_one_page(quiz):
    """Whether the quiz's questions are edited a question at a time rather than on its page."""
    return quiz is not None and quiz.all_questions > QUESTIONS_PER_PAGE


def _unpublish_empty(request, model_admin, quizzes):
    for title in quizzes_unpublish_empty(quizzes=quizzes):
        model_admin.message_user(
            request,
            f"The quiz “{title}” has no questions left to ask, so it is a draft again.",
            messages.WARNING,
        )


@admin.register(Quiz)
class QuizAdmin(NestedPageAdmin):
    list_display = ["title", "status", "question_count", "pass_mark", "statistics_link"]
    list_filter = ["status", "topics"]
    search_fields = ["title", "description", "questions__prompt"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source_article"]
    inlines = [QuestionInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "topics", "source_article"]}),
        (
            "Rules",
            {
                "fields": [
                    "pace",
                    "pass_mark",
                    "shuffle_questions",
                    "questions_per_attempt",
                    "max_attempts",
                    "time_limit",
                    "status",
                ]
            },
        ),
    ]
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 90})},
    }

    class Media:
        css = {"all": ["articles/admin/admin.css", "quizzes/admin/admin.css"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source_article":
            kwargs["widget"] = IdsOnlyAutocomplete(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Archived questions are on the page too: all of them count towards its bound.
        return (
            super()
            .get_queryset(request)
            .with_question_count()
            .annotate(all_questions=Count("questions", distinct=True))
        )

    def get_inlines(self, request, obj):
        return [] if _too_many_for_one_page(obj) else super().get_inlines(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and "questions-TOTAL_FORMS" in request.POST:
            quiz = self.get_object(request, unquote(object_id))
            if _too_many_for_one_page(quiz):
                # Questions were added since the page was drawn (another tab, an import): its
                # questions' fields would be ignored, so nothing is saved, and it says so.
                self.message_user(
                    request,
                    f"This quiz now has {quiz.all_questions} questions, more than this page edits at "
                    "once (were some added in another tab or by an import?), so nothing on the page "
                    "was saved. Its questions are now edited one at a time: go back in your browser "
                    "to copy what you typed.",
                    messages.ERROR,
                )
                return redirect(request.path)
        extra_context = {**(extra_context or {}), "questions_per_page": QUESTIONS_PER_PAGE}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        """ "Make a quiz from this article" (on the article's page) opens this form with the
        article's title and topics."""
        initial = super().get_changeform_initial_data(request)
        initial.pop("source_article", None)  # as asked for, it may be no article's id at all
        article = Article.objects.filter(pk=source_article(request) or None).first()
        if article is not None:
            initial["source_article"] = article.pk
            initial.setdefault("title", f"Quiz: {article.title}")
            initial.setdefault("topics", list(article.topics.values_list("pk", flat=True)))
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _unpublish_empty(request, self, Quiz.objects.filter(pk=form.instance.pk))

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pages_changed()  # a bulk delete skips Quiz.delete()

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, quiz):
        return quiz.question_count

    @admin.display(description="Statistics")
    def statistics_link(self, quiz):
        url = reverse("admin:quizzes_quiz_statistics", args=[quiz.pk])
        return format_html('<a href="{}">Statistics</a>', url)

    @admin.action(description="Publish selected quizzes", permissions=["change"])
    def publish(self, request, queryset):
        count, empty = quizzes_set_status(quizzes=queryset, status=Quiz.Status.PUBLISHED)
        self.message_user(request, f"Published {count} quiz(zes).", messages.SUCCESS)
        if empty:
            self.message_user(
                request,
                "Not published, because they have no questions: " + ", ".join(empty) + ".",
                messages.WARNING,
            )

    @admin.action(description="Unpublish selected quizzes (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count, _ = quizzes_set_status(quizzes=queryset, status=Quiz.Status.DRAFT)
        self.message_user(request, f"{count} quiz(zes) are drafts again.", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "health/",
                self.admin_site.admin_view(partial(health_view, self)),
                name="quizzes_quiz_health",
            ),
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(partial(import_view, self)),
                name="quizzes_quiz_import",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(partial(export_view, self)),
                name="quizzes_quiz_export",
            ),
            path(
                "sections/search/",
                self.admin_site.admin_view(SectionSearchView.as_view(admin_site=self.admin_site)),
                name="quizzes_section_search",
            ),
            path(
                "<int:pk>/statistics/",
                self.admin_site.admin_view(partial(statistics_view, self)),
                name="quizzes_quiz_statistics",
            ),
            *super().get_urls(),
        ]
