"""“Save as new draft” on an unpublished article's change page: the form's content becomes a new
draft at a free address; the article being edited stays as it was, and its share links stay with
it. A published article is changed through its draft instead (article_drafts.py), which stays
linked to it and keeps its sections' ids when published.

Django's admin does the copying (`save_as`, the `_saveasnew` button); this module only turns the
copy into a draft, through the form, before the form checks that the address is free.
"""

from django.http import HttpResponseBadRequest

from articles.models import Article
from articles.services import draft_slug

BUTTON = "_saveasnew"


def is_save_as_draft(request):
    return request.method == "POST" and BUTTON in request.POST


def draft_form(form_class):
    """`form_class`, whose cleaned data describe a new draft at a free address."""

    class DraftForm(form_class):
        def clean(self):
            cleaned = super().clean()
            cleaned["slug"] = draft_slug(cleaned.get("slug") or "article")
            cleaned["status"] = Article.Status.DRAFT
            cleaned["published_at"] = None
            return cleaned

    return DraftForm


def refused_on_history(request):
    # A history page restores an old version into the article itself: a copy made from there
    # would also roll the article back, so it is refused rather than half done.
    return HttpResponseBadRequest(
        "“Save as new draft” works on the article's own page, not on its history. "
        "Open the article, then save it as a new draft.",
        content_type="text/plain; charset=utf-8",
    )


def refused_for_published(request):
    # A copy of a published article at another address has no link back to it, and publishing it
    # would leave quiz questions linked to the old one's sections: its draft is the way.
    return HttpResponseBadRequest(
        "A published article is changed through its draft: use “Edit as a draft” on its page. "
        "“Save as new draft” copies unpublished articles only.",
        content_type="text/plain; charset=utf-8",
    )
