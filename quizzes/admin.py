from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin import SectionAdmin
from articles.models import Section
from quizzes.certificates import certificate_token
from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.services import quizzes_set_status, quizzes_unpublish_empty
from quizzes.statistics import quiz_statistics


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, section):
        return f"{section.article.title} › {section.question}"


class ChoiceInlineFormSet(BaseInlineFormSet):
    """Refuses, in plain words, a set of choices that can't make a fair question."""

    def clean(self):
        super().clean()
        kept = [
            (form.cleaned_data["text"], form.cleaned_data.get("is_correct", False))
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("text")
            and not self._should_delete_form(form)
        ]
        problems = Question.choice_problems(self.instance.kind, kept)
        if problems:
            raise ValidationError(problems)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    fields = ["text", "is_correct", "position", "note"]
    extra = 2
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 50})},
    }


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "quiz", "kind", "position", "section", "is_archived"]
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
            return SectionChoiceField(
                queryset=Section.objects.select_related("article").order_by("article__title", "position"),
                required=False,
                help_text=db_field.help_text,
            )
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
        return redirect(reverse("admin:quizzes_quiz_change", args=[question.quiz_id]))


def _unpublish_empty(request, model_admin, quizzes):
    for title in quizzes_unpublish_empty(quizzes=quizzes):
        model_admin.message_user(
            request,
            f"The quiz “{title}” has no questions left to ask, so it is a draft again.",
            messages.WARNING,
        )


class QuestionInline(admin.TabularInline):
    """The quiz's questions in order. Each question and its choices are edited on its own page."""

    model = Question
    # Each row is headed by the question itself, with a link to edit it and its choices.
    fields = ["position", "kind", "choice_count", "section", "is_archived"]
    readonly_fields = ["kind", "choice_count", "section"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("section__article")
            .annotate(number_of_choices=models.Count("choices"))
        )

    @admin.display(description="Choices")
    def choice_count(self, question):
        return question.number_of_choices


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "question_count", "pass_mark", "statistics_link"]
    list_filter = ["status", "topics"]
    search_fields = ["title", "description", "questions__prompt"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "topics"]}),
        (
            "Rules",
            {
                "fields": [
                    "feedback",
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

    def get_queryset(self, request):
        return super().get_queryset(request).with_question_count()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _unpublish_empty(request, self, Quiz.objects.filter(pk=form.instance.pk))

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
                "<int:pk>/statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="quizzes_quiz_statistics",
            ),
            *super().get_urls(),
        ]

    def statistics_view(self, request, pk):
        quiz = get_object_or_404(Quiz, pk=pk)
        if not self.has_view_permission(request, quiz):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Statistics: {quiz}",
            "opts": self.model._meta,
            "quiz": quiz,
            "original": quiz,
            "crumb": "Statistics",
            "stats": quiz_statistics(quiz),
        }
        return TemplateResponse(request, "admin/quizzes/quiz/statistics.html", context)


class SectionQuestionsInline(admin.TabularInline):
    """On a section's admin page: the quiz questions that test it."""

    model = Question
    fk_name = "section"
    fields = ["quiz", "prompt", "is_archived"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name = "quiz question that tests this section"
    verbose_name_plural = "Quiz questions that test this section"


# The articles app knows nothing of quizzes: its Section page gains this inline from here.
admin.site.unregister(Section)


@admin.register(Section)
class SectionWithQuestionsAdmin(SectionAdmin):
    inlines = [*SectionAdmin.inlines, SectionQuestionsInline]


@admin.register(Attempt)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates (readers' passed attempts), for administrators: open one, or withdraw it.
    The Editors group has no permission on attempts (readers' data), so editors don't see this."""

    list_display = ["quiz", "user", "finished_at", "score", "certificate_withdrawn_at", "certificate_link"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "user"]
    search_fields = ["user__username", "quiz__title"]
    actions = ["withdraw", "restore"]
    fields = ["quiz", "user", "finished_at", "score", "total", "certificate_withdrawn_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).certified()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Certificate")
    def certificate_link(self, attempt):
        return format_html(
            '<a href="{}">Open</a>', reverse("quizzes:certificate", args=[certificate_token(attempt)])
        )

    @admin.action(description="Withdraw the selected certificates", permissions=["change"])
    def withdraw(self, request, queryset):
        count = queryset.filter(certificate_withdrawn_at__isnull=True).update(
            certificate_withdrawn_at=timezone.now()
        )
        self.message_user(request, f"Withdrew {count} certificate{pluralize(count)}.", messages.SUCCESS)

    @admin.action(description="Restore the selected certificates", permissions=["change"])
    def restore(self, request, queryset):
        count = queryset.exclude(certificate_withdrawn_at=None).update(certificate_withdrawn_at=None)
        self.message_user(request, f"Restored {count} certificate{pluralize(count)}.", messages.SUCCESS)
