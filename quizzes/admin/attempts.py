"""Certificates (readers' passed attempts), for administrators: open one, withdraw or restore it."""

from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from quizzes.certificates import certificate_token
from quizzes.models import Attempt


@admin.register(Attempt)
class CertificateAdmin(admin.ModelAdmin):
    """The Editors group has no permission on attempts (readers' data), so editors don't see this."""

    list_display = ["quiz", "user", "finished_at", "score", "certificate_withdrawn_at", "certificate_link"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "user"]
    search_fields = ["user__username", "quiz__title"]
    actions = ["withdraw", "restore"]
    fields = ["quiz", "user", "finished_at", "score", "total", "certificate_withdrawn_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).certified()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Certificate")
    def certificate_link(self, attempt):
        return format_html(
            '<a href="{}">Open</a>', reverse("quizzes:certificate", args=[certificate_token(attempt)])
        )

    @admin.action(description="Withdraw the selected certificates", permissions=["change"])
    def withdraw(self, request, queryset):
        count = queryset.filter(certificate_withdrawn_at__isnull=True).update(
            certificate_withdrawn_at=timezone.now()
        )
        self.message_user(request, f"Withdrew {count} certificate{pluralize(count)}.", messages.SUCCESS)

    @admin.action(description="Restore the selected certificates", permissions=["change"])
    def restore(self, request, queryset):
        count = queryset.exclude(certificate_withdrawn_at=None).update(certificate_withdrawn_at=None)
        self.message_user(request, f"Restored {count} certificate{pluralize(count)}.", messages.SUCCESS)
