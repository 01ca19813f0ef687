"""The answer field's "Preview" button: Markdown rendered and cleaned exactly as readers see it;
and the question and answer fields as every section inline shows them (an article's, a draft's)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string

from articles.models import Section, answer_rendered, notes_attach

MARKDOWN_HELP = (
    "Markdown. A blank line between paragraphs; <code>- </code> at the start of a line for a list "
    "item; <code>**bold**</code>, <code>*italic*</code>; <code>### </code> for a sub-heading; "
    "<code>[words](https://…)</code> for a link; <code>[^apa-2017:10.08]</code> to cite a source (its "
    "key under Sources, then where in it). Scripts and other HTML are removed."
)


class SectionFields:
    """Mixin for a section inline: wide question and answer boxes, the Markdown help panel, the
    answer's Preview button and the ordering buttons (the page's template names the preview's
    address in <meta name="answer-preview-url">)."""

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


def answer_preview_view(model_admin, request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    section = Section(anchor="preview", answer=request.POST.get("text", ""))
    html, section.citations, _ = answer_rendered(section.answer, section.anchor)
    notes_attach([section])
    return HttpResponse(html + render_to_string("articles/includes/sources_list.html", {"section": section}))
