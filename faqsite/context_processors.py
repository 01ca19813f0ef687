from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from articles.site import site_url


def site(request):
    """The site's name and public address (for the header, canonical URLs and Open Graph), and
    where to log in or sign up: the apps' templates link there without naming the accounts app."""
    return {
        "site_title": settings.SITE_NAME,
        "site_url": site_url(request),
        "login_url": resolve_url(settings.LOGIN_URL),
        "signup_url": reverse("accounts:signup"),
    }
