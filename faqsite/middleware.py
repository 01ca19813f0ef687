"""Requests the site refuses before any view sees them."""

import functools
import re

from django.template.response import TemplateResponse
from django.urls import reverse

NUL_PROBLEM = (
    "The address has a NUL character (%00) in it, which the site does not accept. "
    "If you typed or pasted it, check it and try again."
)


class RefuseNulMiddleware:
    """A NUL character in the path or the query string is a 400 with words. PostgreSQL can't hold
    NUL in text, so `?status=%00` on an admin list, or in a search, ended as a 500; no page here
    has a use for it. (Forms refuse it in their own fields: Django's CharField does.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            response = TemplateResponse(request, "400.html", {"problem": NUL_PROBLEM}, status=400)
            return response.render()
        return self.get_response(request)


SOURCE_MODEL_PROBLEM = (
    "The form named the page that opened it in a way the site does not accept "
    "(“_source_model” must be an app and a model, such as articles.article). Close this window "
    "and open the form again from that page."
)
_SOURCE_MODEL = re.compile(r"[A-Za-z_]\w*\.[A-Za-z_]\w*", re.ASCII)


class AdminPopupGuardMiddleware:
    """A pop-up form of the admin ("+" beside a field) posts `_source_model`, the page that opened
    it. Django's admin splits it at the dot without checking, after saving: `x` was a 500 with
    the object saved. Such a post is a 400 with words here, before anything is saved (README,
    "Known issues upstream")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path.startswith(_admin_prefix()):
            source = request.POST.get("_source_model")
            if source is not None and not _SOURCE_MODEL.fullmatch(source):
                response = TemplateResponse(
                    request, "400.html", {"problem": SOURCE_MODEL_PROBLEM}, status=400
                )
                return response.render()
        return self.get_response(request)


@functools.cache
def _admin_prefix():
    return reverse("admin:index")
