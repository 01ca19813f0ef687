"""Share links on the article's form: a preview for reviewers without an account."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from articles.formsets import BoundedInline
from articles.models import MAX_SHARE_LINKS, ShareLink
from articles.site import site_url


class NewRowCountsForm(forms.ModelForm):
    def has_changed(self):
        # A new share link row needs no typing (its expiry has a default): adding it is the change.
        return self.instance.pk is None or super().has_changed()


class ShareLinkInline(BoundedInline, admin.StackedInline):
    """Links for reviewers without an account. "Add another" makes one; saving shows its address.
    Stacked, not a table: a row of six columns was wider than a phone."""

    model = ShareLink
    form = NewRowCountsForm
    max_num = MAX_SHARE_LINKS
    fields = ["address", "expires_at", "revoked", "created_by", "created_at"]
    readonly_fields = ["address", "created_by", "created_at"]
    extra = 0
    verbose_name = "share link"
    verbose_name_plural = (
        f"Share links (a preview for reviewers without an account; up to {MAX_SHARE_LINKS}, "
        "revoked ones too: delete old ones to add more)"
    )

    def get_formset(self, request, obj=None, **kwargs):
        self.request = request  # inline instances are made for each request
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="Address")
    def address(self, link):
        if not link.pk:
            return "Shown after saving."
        url = site_url(self.request) + link.get_absolute_url()
        state = " (revoked)" if link.revoked else ""
        return format_html('<a href="{}">{}</a>{}', url, url, state)


def share_links_save(request, formset):
    """Save the inline's rows (a new link records who made it) and delete those ticked "Delete"."""
    for link in formset.save(commit=False):
        if link.pk is None:
            link.created_by = request.user
        link.save()
    for link in formset.deleted_objects:
        link.delete()
