"""Requests the site refuses before any view sees them."""

from django.template.response import TemplateResponse

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
