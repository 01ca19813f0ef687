import re
from functools import partial

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin import ArticleAdmin, SectionAdmin
from articles.formsets import BoundedFormSetMixin, BoundedInline
from articles.models import Article, Section
from articles.search import MAX_QUERY_LENGTH
from articles.services import pages_changed
from quizzes.admin_gift import export_view as gift_export_view
from quizzes.admin_gift import import_view as gift_import_view
from quizzes.admin_health import health_view
from quizzes.certificates import certificate_token
from quizzes.models import MAX_CHOICES, NO_QUESTIONS, Attempt, Choice, Question, Quiz
from quizzes.services import quizzes_set_status, quizzes_unpublish_empty
from quizzes.statistics import quiz_statistics

# A quiz's page edits up to this many questions, each with its choices, on one page; a quiz with
# more is edited a question at a time (from the list of its questions).
QUESTIONS_PER_PAGE = 100


def section_label(section):
    """A section as the picker shows it: the question, its article's title and address (two
    articles may share a title)."""
    return f"{section.question} — {section.article.title} (/{section.article.slug}/)"


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, section):
        return section_label(section)


class IdsOnlyAutocomplete(AutocompleteSelect):
    """Django's autocomplete widget, which shows the chosen row again when the form comes back
    with errors by asking the database for the posted value as an id: 'x' was a 500. Here only
    values that can be ids are looked up; the field itself says the rest is not a valid choice.
    (README, "Known issues upstream".)"""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if re.fullmatch(r"[0-9]{1,19}", str(v))], attr)


class SectionPicker(IdsOnlyAutocomplete):
    """A search box for a question's section (there are thousands): searches as SectionAdmin
    does, through SectionSearchView, which offers the quiz's source article's sections first."""

    def __init__(self, field, admin_site, first_from=None):
        super().__init__(field, admin_site)
        self.first_from = first_from

    def get_url(self):
        url = reverse("admin:quizzes_section_search")
        return f"{url}?first_from={self.first_from}" if self.first_from else url

    # The question's own section, read with it (QuestionForm): showing it then asks nothing more
    # of the database, so the quiz's page reads the same however many questions it has.
    section = None

    def optgroups(self, name, value, attr=None):
        section = self.section
        if section is None or [str(v) for v in value if v] != [str(section.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = section_label(section)
        options.append(self.create_option(name, section.pk, label, {str(section.pk)}, len(options)))
        return [(None, options, 0)]


def section_field(db_field, admin_site, first_from=None):
    return SectionChoiceField(
        queryset=Section.objects.select_related("article"),
        required=False,
        help_text=db_field.help_text + " Type words of its question or its article's title.",
        widget=SectionPicker(db_field, admin_site, first_from=first_from),
    )


class SectionSearchView(AutocompleteJsonView):
    """Django's autocomplete answer, with each section's article and the chosen article first.
    It answers for a question's section only, to those who may see sections."""

    def has_perm(self, request, obj=None):
        # Django checks the model the request names; this view always returns sections.
        return self.source_field.remote_field.model is Section and request.user.has_perm(
            "articles.view_section"
        )

    def get_queryset(self):
        """Sections whose question, article title or address hold every word typed (the first
        MAX_QUERY_LENGTH characters: SQLite refuses a pattern of 50,000)."""
        sections = Section.objects.select_related("article")
        for word in self.term[:MAX_QUERY_LENGTH].split():
            sections = sections.filter(
                Q(question__icontains=word)
                | Q(article__title__icontains=word)
                | Q(article__slug__icontains=word)
            )
        order = ["article__title", "article_id", "position", "pk"]
        first_from = self.request.GET.get("first_from", "")
        if first_from.isdecimal():
            first = Case(When(article_id=int(first_from), then=Value(0)), default=Value(1))
            return sections.alias(first=first).order_by("first", *order)
        return sections.order_by(*order)

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": section_label(obj)}


class NestedFormSet(BoundedFormSetMixin, nested_admin.formsets.NestedInlineFormSet):
    """Every formset on the quiz's and the question's pages: it reads, changes and deletes only its
    parent's own rows, and builds at most its inline's `max_num` forms (articles/formsets.py).

    On a post, nested_admin loads whatever ids the page sends, from any parent (so that rows can be
    dragged from one parent to another, which these pages don't offer): a forged id would move
    another quiz's question or choice here, rewrite or delete it. Here the rows are the parent's
    (Django's own rule), and an id that is not one of them refuses the whole page, in words."""

    def get_queryset(self):
        return forms.BaseModelFormSet.get_queryset(self)

    def save_existing_objects(self, initial_forms=None, commit=True):
        """Django's own way: each form's row is the one read with the page (nested_admin reads it
        twice more from the database for every form, changed or not: a page of 100 questions of
        10 choices took 4,424 queries to save, 1,123 this way)."""
        saved = []
        for form in initial_forms or []:
            row = form.instance
            if row.pk is None:
                continue
            if self._should_delete_form(form):
                self.deleted_objects.append(row)
                self.delete_existing(row, commit=commit)
            elif form.has_changed():
                self.changed_objects.append((row, form.changed_data))
                saved.append(self.save_existing(form, row, commit=commit))
                if not commit:
                    self.saved_forms.append(form)
        return saved

    def full_clean(self):
        super().full_clean()
        # After Django's checks, which leave out the forms ticked for deletion: a foreign id
        # ticked "Delete" is refused too.
        if not self.is_bound:
            return
        own = {str(row.pk) for row in self.get_queryset()}
        pk_name = self.model._meta.pk.name
        initial = self.initial_form_count()
        posted = [self.data.get(f"{self.add_prefix(i)}-{pk_name}") for i in range(self.total_form_count())]
        # A row read with the page has one of the parent's ids; a new row has none (nested_admin
        # would save a new row with a posted id over that row, wherever it is).
        strangers = [value for value in posted[:initial] if value not in own]
        strangers += [value for value in posted[initial:] if value]
        if strangers:
            parent, rows = self.fk.remote_field.model._meta.verbose_name, self.model._meta.verbose_name_plural
            self._non_form_errors.append(
                ValidationError(
                    f"The page sent a {self.model._meta.verbose_name} that isn't one of this {parent}'s "
                    f"{rows} (was it deleted or moved in another tab?), so nothing was saved. Reload "
                    "the page and make your changes again."
                )
            )


class ChoiceFormSet(NestedFormSet):
    """A question's choices: refuses, in plain words, a set that can't make a fair question; on
    the quiz's page, when their question is deleted they go with it (nested_admin would otherwise
    check them, and save them again as new)."""

    def get_queryset(self):
        # The quiz's page reads every question's choices at once (QuestionInline.get_queryset),
        # in the order of Choice.Meta, the order this formset would ask for.
        prefetched = getattr(self.instance, "_prefetched_objects_cache", {}).get("choices")
        return super().get_queryset() if prefetched is None else prefetched

    def _question_deleted(self):
        question_form = getattr(self, "parent_form", None)
        return question_form is not None and question_form.parent_formset._should_delete_form(question_form)

    def clean(self):
        super().clean()
        if self._question_deleted():
            return
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

    def save(self, commit=True):
        if self._question_deleted():
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []  # for the history
            return []
        return super().save(commit)


class ChoiceInline(BoundedInline, nested_admin.NestedStackedInline):
    """A question's choices, inside the question on the quiz's page: each a row of text,
    "Correct", note and position on a wide screen, stacked on a phone (quizzes/admin/admin.css)."""

    model = Choice
    formset = ChoiceFormSet
    max_num = MAX_CHOICES
    fields = ["text", "is_correct", "note", "position"]
    extra = 0
    min_num = 0
    classes = ["choice-rows"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 40})},
    }

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pk else 3  # a new question starts with three choices


class PostCopiedOnce(QueryDict):
    """A request's POST whose copy() is made once. nested_admin gives every nested formset its own
    copy of the whole post (it writes renumbered positions into it): on a quiz page of 100
    questions, 100 copies of 8,000 fields took seconds. Each formset writes only under its own
    prefix, so one copy serves them all."""

    _shared = None

    def copy(self):
        if self._shared is None:
            self._shared = super().copy()
        return self._shared


class NestedPageAdmin(nested_admin.NestedModelAdmin):
    def _create_formsets(self, request, obj, change):
        if request.method == "POST":
            post = PostCopiedOnce(mutable=True, encoding=request.POST.encoding)
            for key, values in request.POST.lists():
                post.setlist(key, values)
            post._mutable = False
            request.POST = post
        return super()._create_formsets(request, obj, change)


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


class QuestionInlineFormSet(NestedFormSet):
    def clean(self):
        super().clean()
        asked = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("prompt")
            and not form.cleaned_data.get("is_archived")
            and not self._should_delete_form(form)
        ]
        if self.instance.status == Quiz.Status.PUBLISHED and not asked:
            raise ValidationError(NO_QUESTIONS)


class QuestionForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.section_id:
            picker = self.fields["section"].widget
            picker = getattr(picker, "widget", picker)  # inside the admin's add/change links wrapper
            picker.section = self.instance.section


class QuestionInline(BoundedInline, nested_admin.NestedStackedInline):
    """The quiz's questions, each with its choices, the explanation and the section: written and
    saved on the quiz's page."""

    model = Question
    form = QuestionForm
    formset = QuestionInlineFormSet
    max_num = QUESTIONS_PER_PAGE
    inlines = [ChoiceInline]
    fields = ["prompt", ("kind", "keep_order"), "section", "explanation", ("position", "is_archived")]
    extra = 0
    classes = ["quiz-questions"]
    formfield_overrides = QuestionAdmin.formfield_overrides | {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 90})},
        models.CharField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 90})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section__article").prefetch_related("choices")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            return section_field(db_field, self.admin_site, first_from=_source_article(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _source_article(request):
    """The article a quiz is made from, whose sections its section pickers offer first: asked
    for on the "add" page (?source_article=), or the quiz's own."""
    match = request.resolver_match
    if match and match.kwargs.get("object_id"):
        return (
            Quiz.objects.filter(pk=match.kwargs["object_id"]).values_list("source_article", flat=True).first()
        )
    article = request.GET.get("source_article", "")
    return int(article) if article.isdecimal() else None


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
        article = Article.objects.filter(pk=_source_article(request) or None).first()
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
                self.admin_site.admin_view(partial(gift_import_view, self)),
                name="quizzes_quiz_import",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(partial(gift_export_view, self)),
                name="quizzes_quiz_export",
            ),
            path(
                "sections/search/",
                self.admin_site.admin_view(SectionSearchView.as_view(admin_site=self.admin_site)),
                name="quizzes_section_search",
            ),
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


class SectionQuestionsInline(BoundedInline, admin.TabularInline):
    """On a section's admin page: the quiz questions that test it (shown, never posted)."""

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


admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithQuizzesAdmin(ArticleAdmin):
    """The article's page gains "Make a quiz from this article" from here."""

    change_form_template = "admin/quizzes/article/change_form.html"


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
