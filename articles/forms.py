from django import forms
from django.core.exceptions import ValidationError

from articles import importer
from articles.formsets import BoundedInlineFormSet
from articles.models import unique_anchor
from articles.services import slug_for_title


class FeedbackForm(forms.Form):
    """ "Was this answer helpful?": Yes or No, sent by the button pressed."""

    helpful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Yes or No.", "invalid_choice": "Choose Yes or No."},
    )


class SectionInlineFormSet(BoundedInlineFormSet):
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


# The review page posts the document back as a form field, and Django refuses a form bigger than
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with a bare 400: form encoding can make a page's HTML 1.7
# times longer. An upload up to this size always comes back.
IMPORT_MAX_BYTES = 1_000_000


def check_upload_size(upload):
    """ValidationError, in one line, for an upload the review page could not send back."""
    if upload is not None and upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(
            f"This file is {upload.size / 1_000_000:.1f} MB; an import reads up to "
            f"{IMPORT_MAX_BYTES // 1_000_000} MB at a time: split it into smaller files."
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False, help_text="A page saved as text (.txt), a Markdown file (.md) or HTML."
    )
    text = forms.CharField(
        label="Or paste the text",
        required=False,
        strip=False,  # kept as it is, in the review page's hidden copy too
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

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("text", "")
        if upload and pasted.strip():
            raise ValidationError("Choose a file or paste the text, not both.")
        if not upload and not pasted.strip():
            raise ValidationError("Choose a file or paste the text of an article.")
        check_upload_size(upload)
        try:
            source = importer.decode(upload.read()) if upload else pasted
            parsed = importer.parse(
                source, format=cleaned.get("format") or None, filename=upload and upload.name
            )
        except importer.ImportProblem as problem:
            raise ValidationError(str(problem)) from None
        cleaned["source"] = source
        cleaned["parsed"] = parsed
        cleaned["slug"] = slug_for_title(parsed.title)
        return cleaned


class ImportReviewForm(forms.Form):
    """The review step: publish at once or not, and the free address a new draft goes to. Which
    button was pressed says what to do (admin/importing.py)."""

    publish = forms.BooleanField(
        label="Publish at once",
        required=False,
        help_text="Left unticked, the article is saved as a draft for you to check first.",
    )
    new_slug = forms.SlugField(max_length=200, required=False, widget=forms.HiddenInput)
