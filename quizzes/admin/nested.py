"""The one-page quiz form (django-nested-admin): the quiz's questions, each with its choices, and a
question's own page with its choices. Each formset reads, changes and deletes only its parent's own
rows, and builds at most its bound of forms (QUESTIONS_PER_PAGE questions of MAX_CHOICES choices);
a quiz with more questions is edited a question at a time (QuizAdmin.get_inlines)."""

import nested_admin
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict

from articles.formsets import BoundedFormSetMixin, BoundedInline
from quizzes.admin.sections import section_field, source_article
from quizzes.models import MAX_CHOICES, NO_QUESTIONS, Choice, Question, Quiz

# A quiz's page edits up to this many questions, each with its choices, on one page; a quiz with
# more is edited a question at a time (from the list of its questions).
QUESTIONS_PER_PAGE = 100


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
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 90})},
        models.CharField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 90})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section__article").prefetch_related("choices")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            return section_field(db_field, self.admin_site, first_from=source_article(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
