"""Sources in the admin: the documents answers cite (articles/citations.py). The list says how many
answers cite each; a source's page lists them, drafts too, so that an editor sees what a new
edition of a code touches. A cited source can't be deleted (its answers would show their markers
as plain text), and its key can't be changed once saved (the markers name it)."""

from django.contrib import admin
from django.db.models import Func, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.models import ArticleDraft, DraftSection, Section
from articles.services import pages_changed, source_changed

CITED_IN_SHOWN = 200


class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "short_name", "issuer", "title", "edition", "country", "cited_by"]
    list_filter = ["country", "issuer"]
    search_fields = ["key", "short_name", "issuer", "title", "edition"]
    fields = ["key", "short_name", "issuer", "title", "edition", "country", "url", "places_are", "cited_in"]

    def get_queryset(self, request):
        citing = Section.objects.citing(OuterRef("key")).order_by()
        count = Subquery(
            citing.annotate(n=Func("pk", function="COUNT")).values("n"), output_field=IntegerField()
        )
        return super().get_queryset(request).annotate(cited_count=count)

    def get_readonly_fields(self, request, obj=None):
        return ["key", "cited_in"] if obj is not None else ["cited_in"]

    @admin.display(description="Answers citing it", ordering="cited_count")
    def cited_by(self, source):
        return source.cited_count or 0

    @admin.display(description="Cited in")
    def cited_in(self, source):
        if source.pk is None:
            return "Nothing yet."
        sections = list(
            Section.objects.citing(source.key)
            .select_related("article")
            .order_by("article__title", "position")[: CITED_IN_SHOWN + 1]
        )
        if not sections:
            return "No answer cites it."
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {} <span class="help">({})</span></li>',
            (
                (
                    reverse("admin:articles_article_change", args=[section.article_id]),
                    section.article.title,
                    section.question,
                    section.article.get_status_display(),
                )
                for section in sections[:CITED_IN_SHOWN]
            ),
        )
        more = f" The first {CITED_IN_SHOWN} are listed." if len(sections) > CITED_IN_SHOWN else ""
        return format_html('<ul class="cited-in">{}</ul>{}', rows, more)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        source_changed(source=obj)

    # Only a source no answer cites is deleted (get_deleted_objects), but readers' list of sources
    # shows it: announced, as every writer of what readers see does.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pages_changed()

    def get_deleted_objects(self, objs, request):
        """A cited source is protected, by an answer or by an open draft of a published article:
        the admin names them and deletes nothing, as it does for any protected object."""
        deleted, count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for source in objs:
            for section in Section.objects.citing(source.key).select_related("article")[:20]:
                protected.append(f"{section.article.title}: {section.question} (cites {source.key})")
            drafts = DraftSection.objects.filter(
                draft__in=ArticleDraft.objects.open(), answer__contains=f"[^{source.key}"
            )
            for section in drafts.select_related("draft")[:20]:
                protected.append(f"{section.draft}: {section.question} (names {source.key})")
        return deleted, count, perms_needed, protected
