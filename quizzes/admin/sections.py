"""Picking a question's article section: a search box (Django's autocomplete) over thousands of
sections, each shown with its article's title and address, the quiz's source article first.

Wired by QuizAdmin.get_urls: SectionSearchView answers at "admin:quizzes_section_search"."""

import re

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Case, Q, Value, When
from django.urls import reverse

from articles.models import Section
from articles.search import MAX_QUERY_LENGTH
from quizzes.models import Quiz


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


def source_article(request):
    """The article a quiz is made from, whose sections its section pickers offer first: asked
    for on the "add" page (?source_article=), or the quiz's own."""
    match = request.resolver_match
    if match and match.kwargs.get("object_id"):
        return (
            Quiz.objects.filter(pk=match.kwargs["object_id"]).values_list("source_article", flat=True).first()
        )
    article = request.GET.get("source_article", "")
    return int(article) if article.isdecimal() else None


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
