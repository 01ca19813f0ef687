from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from articles import importer
from articles.models import Article, unique_anchor
from articles.services import slug_for_title


class FeedbackForm(forms.Form):
    """ "Was this answer helpful?": Yes or No, sent by the button pressed."""

    helpful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Yes or No.", "invalid_choice": "Choose Yes or No."},
    )


class SectionInlineFormSet(BaseInlineFormSet):
    """Sections of one article: fills in missing anchors, and says in plain words what is wrong
    when two sections clash. (Sections left without a position go last: Section.save.)"""

    def clean(self):
        forms_kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]
        # Anchors are filled in here, not only in Section.save, so that two new sections with
        # similar questions don't both claim the same anchor in the uniqueness check below.
        taken = {form.cleaned_data.get("anchor") for form in forms_kept} - {"", None}
        for form in forms_kept:
            if not form.cleaned_data.get("anchor") and form.cleaned_data.get("question"):
                anchor = unique_anchor(form.cleaned_data["question"], taken)
                taken.add(anchor)
                form.cleaned_data["anchor"] = form.instance.anchor = anchor
        super().clean()

    def get_unique_error_message(self, unique_check):
        if "question" in unique_check:
            return "Two sections ask the same question. Each question in an article must be different."
        if "anchor" in unique_check:
            return "Two sections have the same anchor. Each anchor in an article must be different."
        return super().get_unique_error_message(unique_check)


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False, help_text="A page saved as text (.txt), a Markdown file (.md) or HTML."
    )
    text = forms.CharField(
        label="Or paste the text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
    )
    format = forms.ChoiceField(
        choices=[
            ("", "Detect automatically"),
            ("text", "Plain text"),
            ("markdown", "Markdown"),
            ("html", "HTML"),
        ],
        required=False,
    )
    publish = forms.BooleanField(required=False, help_text="Publish at once instead of as a draft.")
    replace = forms.BooleanField(
        required=False,
        label="Replace an existing article",
        help_text="If an article with the same address exists, replace its title, summary and sections.",
    )

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("text", "")
        if upload and pasted.strip():
            raise ValidationError("Choose a file or paste the text, not both.")
        if not upload and not pasted.strip():
            raise ValidationError("Choose a file or paste the text of an article.")
        try:
            source = importer.decode(upload.read()) if upload else pasted
            parsed = importer.parse(
                source, format=cleaned.get("format") or None, filename=upload and upload.name
            )
        except importer.ImportProblem as problem:
            raise ValidationError(str(problem)) from None
        slug = slug_for_title(parsed.title)
        if not cleaned.get("replace") and Article.objects.filter(slug=slug).exists():
            raise ValidationError(
                f"An article with the address “{slug}” already exists. Tick “Replace an existing "
                "article” to overwrite it, or change the title."
            )
        cleaned["source"] = source
        cleaned["parsed"] = parsed
        cleaned["slug"] = slug
        return cleaned
