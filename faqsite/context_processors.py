from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse_lazy
from django.utils.functional import lazy

from articles.site import site_url

# Worked out only when a template uses them (the quiz pages), not for every page.
LOGIN_URL = lazy(resolve_url, str)(settings.LOGIN_URL)
SIGNUP_URL = reverse_lazy("accounts:signup")


def site(request):
    """The site's name and public address (for the header, canonical URLs and Open Graph), and
    where to log in or sign up: the apps' templates link there without naming the accounts app."""
    return {
        "site_title": settings.SITE_NAME,
        "site_url": site_url(request),
        "login_url": LOGIN_URL,
        "signup_url": SIGNUP_URL,
    }
