import secrets
import sys

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.site import site_url

HEALTH_KEY = "faqsite:healthz"


@require_safe
@never_cache
def healthz(request):
    """For load balancers and uptime checks: each dependency on a line of its own ("database: ok",
    "cache pages: unavailable"). 503 only when the site can't serve pages: the database is down.
    A cache that is down is reported but is no reason to take the site out (faqsite/cache.py)."""
    database = "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        database = "unreachable"
    lines = [f"database: {database}"]
    lines += [f"cache {alias}: {_cache_state(caches[alias])}" for alias in settings.CACHES]
    status = 200 if database == "ok" else 503
    return HttpResponse("\n".join(lines) + "\n", status=status, content_type="text/plain")


def _cache_state(cache):
    probe = secrets.token_hex(8)
    key = f"{HEALTH_KEY}:{probe}"  # one of its own: probes at once don't read each other's
    try:
        cache.set(key, probe, 30)
        answered = cache.get(key)
        cache.delete(key)
        return "ok" if answered == probe else "unavailable"
    except Exception:  # noqa: BLE001 - any failure is the answer
        return "unavailable"


ROBOTS_DISALLOW = ["/admin/", "/accounts/", "/attempts/", "/progress/", "/preview/", "/search/"]


@require_safe
def robots_txt(request):
    sitemap = site_url(request) + reverse("sitemap_index")
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def privacy(request):
    """What the site keeps and for how long, with the numbers the settings say."""
    context = {
        "guest_days": settings.FAQSITE_GUEST_DATA_DAYS,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 3600),
        "pause_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "privacy.html", context)


TOO_BIG = (
    "The form sent was larger than the site takes at once ({limit}), so nothing in it was saved. "
    "Go back to keep what you typed, and send it in smaller parts."
)


def bad_request(request, exception):
    """The 400 page (Django's handler400), saying what was wrong when the site knows it: a form
    over the size or field caps (faqsite/settings.py) would otherwise be a bare "Bad request"."""
    problem = None
    if isinstance(exception, RequestDataTooBig):
        problem = TOO_BIG.format(limit=f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000:.1f} MB")
    elif isinstance(exception, TooManyFieldsSent):
        problem = TOO_BIG.format(limit=f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields")
    elif isinstance(exception, TooManyFilesSent):
        problem = TOO_BIG.format(limit=f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} files")
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"problem": problem}, request))


# What a database that can't be reached raises: a restart, a failover, a dropped connection.
UNREACHABLE = (OperationalError, InterfaceError)


def server_error(request):
    """Django's handler500, called while the exception is being handled: a database that can't be
    reached for a moment is a calm 503 with Retry-After, never the bare 500. Both pages are drawn
    without the site's context (it needs the database)."""
    if isinstance(sys.exception(), UNREACHABLE):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
