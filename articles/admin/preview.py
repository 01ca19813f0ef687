"""The answer field's "Preview" button: Markdown rendered and cleaned exactly as readers see it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed

from articles.markdown import markdown_to_html


def answer_preview_view(model_admin, request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    return HttpResponse(markdown_to_html(request.POST.get("text", "")))
