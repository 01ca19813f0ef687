from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from articles import importer
from articles.formsets import BoundedInlineFormSet
from articles.models import Article, WeeklySearch, unique_anchor
from articles.search import clean_query
from articles.services import slug_for_title


class HelpfulVoteForm(forms.Form):
    """ "Was this answer helpful?": Yes or No, sent by the button pressed."""

    helpful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Yes or No.", "invalid_choice": "Choose Yes or No."},
    )


class SearchClickForm(forms.Form):
    """A click on a search's result (sent by static/articles/search-clicks.js): the search's words
    as the reader typed them, made plain as the search counted them."""

    q = forms.CharField(
        max_length=2000,
        strip=False,
        error_messages={
            "required": "Say which search the click followed: send its words as q.",
            "max_length": "A search's words are at most 2,000 characters.",
        },
    )

    def clean_q(self):
        text = WeeklySearch.text_for(clean_query(self.cleaned_data["q"]))
        if not text:
            raise ValidationError("The search's words (q) have no letters or digits: none is counted.")
        return text


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


# Uploads are read up to this size, so that a file's first reading is bounded.
IMPORT_MAX_BYTES = 1_000_000
# The review page posts the document back as a form field (application/x-www-form-urlencoded), and
# Django refuses a form bigger than DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with a bare 400, every
# choice made on the review lost. Encoded, a document can be 9 times longer than its characters
# (each byte of a Cyrillic letter is sent as %D0...), so the size checked is the encoded one,
# leaving room for the review's other fields.
REVIEW_FIELDS_ROOM = 16_384
_SENT_AS_IS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._ "


def check_upload_size(upload):
    """ValidationError, in one line, for an upload larger than an import reads."""
    if upload is not None and upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(
            f"This file is {upload.size / 1_000_000:.1f} MB; an import reads up to "
            f"{IMPORT_MAX_BYTES // 1_000_000} MB at a time: split it into smaller files."
        )


def form_encoded_size(text):
    """The bytes a browser sends for `text` in a form field: line breaks as CRLF, each UTF-8 byte
    but letters, digits and `*-._` (a space is `+`) as three (`%D0`)."""
    encoded = text.encode("utf-8", "surrogatepass")
    escaped = len(encoded.translate(None, _SENT_AS_IS))
    lone_breaks = text.count("\n") + text.count("\r") - 2 * text.count("\r\n")  # each gains %0D or %0A
    return len(encoded) + 2 * escaped + 3 * lone_breaks


def check_review_size(text):
    """ValidationError, in one line, for a document the review page could not send back."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - REVIEW_FIELDS_ROOM
    size = form_encoded_size(text)
    if size > limit:
        raise ValidationError(
            f"This document would be {size / 1_000_000:.1f} MB when the review page sends it back "
            f"(letters outside English take several bytes each); an import takes up to "
            f"{limit / 1_000_000:.1f} MB: split it into smaller files."
        )


class UploadOrPasteForm(forms.Form):
    """A document to import, chosen as a file (`file`) or pasted (`text`), one or the other: clean()
    checks its size, reads it (importer.decode) and gives its text to read(), whose problems
    (`problems`) are shown as the form's error. The article import and the question banks' use it."""

    expected = "a text, Markdown or HTML document"  # what a file should be, for decode's messages
    missing = "Choose a file or paste the text."
    problems = (importer.ImportProblem,)

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("text", "")
        if upload and pasted.strip():
            raise ValidationError("Choose a file or paste the text, not both.")
        if not upload and not pasted.strip():
            raise ValidationError(self.missing)
        check_upload_size(upload)
        try:
            source = importer.decode(upload.read(), expected=self.expected) if upload else pasted
            check_review_size(source)
            cleaned |= self.read(source, upload)
        except (importer.NotText, *self.problems) as problem:
            raise ValidationError(str(problem)) from None
        cleaned["source"] = source
        return cleaned

    def read(self, source, upload) -> dict:
        """What the document says, as cleaned data."""
        raise NotImplementedError


class ImportForm(UploadOrPasteForm):
    missing = "Choose a file or paste the text of an article."

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

    def read(self, source, upload):
        format = self.cleaned_data.get("format") or None
        parsed = importer.parse(source, format=format, filename=upload and upload.name)
        return {"parsed": parsed, "slug": slug_for_title(parsed.title)}


class ImportReviewForm(forms.Form):
    """The review step: publish at once or not, and the free address a new draft goes to. Which
    button was pressed says what to do (admin/importing.py)."""

    publish = forms.BooleanField(
        label="Publish at once",
        required=False,
        help_text="Left unticked, the article is saved as a draft for you to check first.",
    )
    new_slug = forms.SlugField(
        max_length=Article._meta.get_field("slug").max_length, required=False, widget=forms.HiddenInput
    )
