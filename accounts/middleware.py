"""How long a signed-in session lasts when it is not used; staff's second log-in step."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts import two_step


class IdleSessionMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE without a visit (14 days for readers), or
    FAQSITE_STAFF_SESSION_SECONDS for staff (8 hours: their account can change what every reader
    sees). Each visit moves the end on, but the session is written again only once half of that
    time has gone, not on every page (a write costs a query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            idle = (
                settings.FAQSITE_STAFF_SESSION_SECONDS
                if request.user.is_staff
                else settings.SESSION_COOKIE_AGE
            )
            session = request.session
            ends = session.get_expiry_date() if session.get("_session_expiry") else None
            now = timezone.now()
            if (
                ends is None
                or ends - now < timedelta(seconds=idle / 2)
                or ends - now > timedelta(seconds=idle)
            ):
                session.set_expiry(now + timedelta(seconds=idle))
        return self.get_response(request)


class StaffTwoStepMiddleware:
    """A staff member who must log in in two steps (accounts/two_step.py) and has given only the
    password is sent to the second step from any page but that one and log-out: until then the
    session is not an editor's (no admin, no previews of drafts, nothing staff see)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # no one is logged in
        user = request.user
        if user.is_authenticated and user.is_staff and not user.is_verified() and two_step.required_for(user):
            step = reverse("accounts:two_step")
            if request.path not in (step, reverse("accounts:logout")):
                return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
