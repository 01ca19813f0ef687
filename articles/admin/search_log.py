"""The "Searches without an answer" page: what readers searched for that found nothing, or found
answers nobody clicked, week by week (articles/search_log.py counts them).

It is the list page of WeeklySearch, so the admin's index links to it for whoever may view the
model (the Editors group: faqsite/editors.py). No row has a page of its own: one would show the
words of a search fewer than MIN_READERS readers made. Nobody adds, changes or deletes rows here;
clear_guest_data deletes them."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from articles.search_log import MIN_READERS, ROWS_PER_WEEK, weekly_report


class WeeklySearchAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Searches without an answer",
            "opts": self.model._meta,
            "crumb": "Searches without an answer",
            "weeks": weekly_report(),
            "min_readers": MIN_READERS,
            "rows_per_week": ROWS_PER_WEEK,
            "kept_days": settings.FAQSITE_GUEST_DATA_DAYS,
        }
        return TemplateResponse(request, "admin/articles/unanswered_searches.html", context)
