import functools

from django.conf import settings
from django.shortcuts import resolve_url
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from articles.site import site_url

# What base.html links to on every page. Here a {% url %} costs about 80 µs and a {% static %}
# 35, and the header had fourteen: a millisecond a page. They never change while a process runs,
# so they are worked out once (`links` in templates).
PAGE_LINKS = {
    "home": "articles:article_list",
    "topics": "articles:topic_list",
    "search": "articles:search",
    "feed": "articles:feed",
    "quizzes": "quizzes:quiz_list",
    "progress": "quizzes:progress",
    "signup": "accounts:signup",
    "account": "accounts:account",
    "privacy": "privacy",
    "sources": "articles:source_list",
    "logout": "accounts:logout",
}
PAGE_ASSETS = {
    "favicon": "favicon.svg",
    "bootstrap_css": "bootstrap/css/bootstrap.min.css",
    "site_css": "css/site.css",
}


@functools.cache
def page_links(script_prefix):
    """The links, for a site served under `script_prefix` (reverse() and static() include it)."""
    links = {key: reverse(name) for key, name in PAGE_LINKS.items()}
    links["login"] = resolve_url(settings.LOGIN_URL)
    return links | {key: static(path) for key, path in PAGE_ASSETS.items()}


def page_links_forget(setting, **kwargs):
    """`setting_changed` receiver (tests change settings while a process runs; sites don't)."""
    if setting in ("STORAGES", "STATIC_URL", "ROOT_URLCONF", "LOGIN_URL"):
        page_links.cache_clear()


def site(request):
    """The site's name and public address (for the header, canonical URLs and Open Graph), and
    where to log in or sign up: the apps' templates link there without naming the accounts app."""
    links = page_links(get_script_prefix())
    return {
        "site_title": settings.SITE_NAME,
        "site_url": site_url(request),
        "login_url": links["login"],
        "signup_url": links["signup"],
        "links": links,
    }
