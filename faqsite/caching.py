"""The anonymous page cache and the HTTP caching headers.

Pages that are the same for every visitor who is not logged in (PUBLIC_PAGES) are kept whole in the
"pages" cache and served from it before any other middleware runs: no session, no query, no
template. The rules, in one place:

- `CacheHeadersMiddleware` decides what a response is. A public page answered to a visitor with no
  session and no pending message, that sets no cookie, is `public, max-age=...` (a browser, a
  shared cache or a CDN may keep it). Every other page is `private, no-store` unless its view said
  otherwise. Search is the exception (COUNTED_PAGES): each search must reach the site to be
  counted, so it is `private, no-cache` instead, cookie or not. Django's ConditionalGetMiddleware
  then adds an ETag, and GZipMiddleware compresses.
- `PageCacheMiddleware` keeps the responses marked public (one copy compressed, one not) and serves
  them, answering `304 Not Modified` to a matching `If-None-Match`. It never looks at a request that
  carries a session or a message: a logged-in reader, staff looking at a preview and a guest with
  quiz answers all go through the whole site, and never fill the cache.
- Correct across processes and machines: every stored page records the content generation it was
  made in (articles/freshness.py), shared by every process through the cache (a folder of files on
  one machine, Redis across machines) and dropped whenever content that readers see changes; it
  also ends by itself when the next scheduled article is due, so that article appears on time
  without a cron job.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from articles.freshness import Remembered, current_generation

# The pages kept whole for visitors who are not logged in, by URL name. Not search, nor the
# questions suggested as a reader types: their addresses are whatever visitors type, so caching
# them would let anyone push the articles out of the cache (suggestions still send public headers
# for browsers and CDNs and are kept apart, bounded: articles/suggestions.py; no CDN may keep a
# search: see COUNTED_PAGES).
PUBLIC_PAGES = {
    "articles:article_list",
    "articles:article_detail",
    "articles:topic_list",
    "articles:topic_detail",
    "articles:feed",
    "articles:search",
    "articles:search_suggest",
    "quizzes:quiz_list",
    "sitemap_index",
    "django.contrib.sitemaps.views.sitemap",
    "robots_txt",
}
SERVER_CACHED_PAGES = PUBLIC_PAGES - {"articles:search", "articles:search_suggest"}
# Public pages each of whose requests must reach the site: searches are counted per week, without
# knowing who searched (articles/search_log.py), and a search a CDN answered would not be. They
# are `private, no-cache`: no shared cache keeps them, a browser asks again for each new search
# (a 304 if nothing changed) and shows the page it has on Back without asking.
COUNTED_PAGES = {"articles:search"}
# The kept pages that are lists: only they are kept with `?page=N`.
PAGINATED_PAGES = {"articles:article_list", "articles:topic_detail", "quizzes:quiz_list"}

logger = logging.getLogger(__name__)


def page_cache():
    return caches["pages"]


def _personal(request):
    """Does the request carry anything personal: a session (a log-in, a guest's quiz answers) or a
    message waiting to be shown?"""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def _key(request):
    """The cache key for a request that may be served from the cache, else None: a GET with no
    query string but `page`, from a visitor with nothing personal (whether the page is one that
    is kept is asked only when this process has no copy: see _kept_page)."""
    if request.method != "GET" or _personal(request):
        return None
    page = ""
    if request.META.get("QUERY_STRING"):
        query = request.GET
        page = query.get("page", "")
        if list(query) != ["page"] or len(query.getlist("page")) != 1 or not page.isdigit():
            return None
        if page.startswith("0") or _view_name(request) not in PAGINATED_PAGES:
            return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None  # SecurityMiddleware redirects it
    host = _allowed_host(request)
    if host is None:
        return None  # CommonMiddleware answers it with a 400
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    where = f"{request.scheme}://{host}{request.path}?page={page}&gzip={gzip:d}"
    return "faqsite:page:" + hashlib.sha256(where.encode()).hexdigest()


_allowed_hosts = set()  # Host headers already checked against ALLOWED_HOSTS by this process


def _allowed_host(request):
    """The request's host if ALLOWED_HOSTS allows it, else None (Django's check, once per host)."""
    raw = request.META.get("HTTP_HOST", "")
    if raw and raw in _allowed_hosts:
        return raw
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if raw == host and len(_allowed_hosts) < 100:
        _allowed_hosts.add(raw)
    return host


def _view_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _kept_page(request):
    return _view_name(request) in SERVER_CACHED_PAGES


# Pages this process has served lately, used while the shared generation is current: a hit reads
# no page from the shared cache.
PROCESS_COPIES = 200


class PageCacheMiddleware:
    """First in MIDDLEWARE: serves cached public pages, and stores the responses marked public."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.copies = Remembered(PROCESS_COPIES)  # key -> (expiry timestamp, headers, content)

    def __call__(self, request):
        seconds = settings.FAQSITE_PAGE_CACHE_SECONDS
        key = _key(request) if seconds > 0 else None
        if key is None:
            return self.get_response(request)
        try:
            page, generation = self._lookup(request, key)
        except Exception:  # the cache is down: serve the page as if there were no cache
            logger.warning("Page cache unavailable: serving %s without it.", request.path, exc_info=True)
            return self.get_response(request)
        if page is not None:
            return self._from_cache(request, page)
        response = self.get_response(request)
        if generation is not None and self._keep(response):
            page = (timezone.now().timestamp() + seconds, list(response.headers.items()), response.content)
            try:
                page_cache().set(key, (generation[0], page), timeout=seconds)
            except Exception:
                logger.warning("Page cache unavailable: %s not kept.", request.path, exc_info=True)
            else:
                self.copies.put(key, generation[0], page)
            response["X-Page-Cache"] = "miss"
        return response

    def _lookup(self, request, key):
        """(the kept page, the generation) for a hit; (None, the current generation) for a page to
        make and keep; (None, None) for a page that is not kept."""
        if key not in self.copies and not _kept_page(request):
            return None, None
        generation = current_generation()
        page = self.copies.get(key, generation[0])
        if page is None:
            token, page = page_cache().get(key, (None, None))
            if token != generation[0]:
                return None, generation
            self.copies.put(key, token, page)
        if timezone.now().timestamp() >= page[0]:
            return None, generation
        return page, generation

    @staticmethod
    def _keep(response):
        return (
            response.status_code == 200
            and not response.streaming
            and "public" in response.get("Cache-Control", "")
            and not response.cookies
        )

    @staticmethod
    def _from_cache(request, page):
        _, headers, content = page
        response = HttpResponse(content)
        # The kept headers were checked when the page was made: copy them in one go (setting
        # them one by one checks each again).
        response.headers._store = {name.lower(): (name, value) for name, value in headers}
        if "HTTP_IF_NONE_MATCH" in request.META:
            response = get_conditional_response(request, etag=response.get("ETag"), response=response)
        response["X-Page-Cache"] = "hit"
        return response


class CacheHeadersMiddleware:
    """After SessionMiddleware and CsrfViewMiddleware in the response's path (so it sees the cookies
    they set): public headers for public pages answered to visitors with nothing personal
    (`private, no-cache` for the counted ones), and `private, no-store` for every other page whose
    view set no Cache-Control of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        match = request.resolver_match
        user = getattr(request, "user", None)
        same_for_everyone = (
            match is not None
            and match.view_name in PUBLIC_PAGES
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not _personal(request)
            and not (user and user.is_authenticated)
        )
        if same_for_everyone and match.view_name in COUNTED_PAGES:
            patch_cache_control(response, private=True, no_cache=True)
            _vary_not_on_cookies(response)
        elif same_for_everyone and not response.cookies:
            patch_cache_control(response, public=True, max_age=settings.FAQSITE_BROWSER_CACHE_SECONDS)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response


def _vary_not_on_cookies(response):
    """A counted page answered to a visitor with nothing personal is the same whatever cookies
    they send: the search's own cookie changes only what is counted. Said so, a browser whose Back
    cache (bfcache) let the page go shows it again from its HTTP cache, without asking (so without
    counting the search again) even though the search added to that cookie; any other visit
    still asks (`no-cache`) and gets the page again unless its ETag matches."""
    kept = [part.strip() for part in response.get("Vary", "").split(",") if part.strip()]
    kept = [part for part in kept if part.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]
