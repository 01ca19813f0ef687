from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.site import site_url


@require_safe
@never_cache
def healthz(request):
    """200 when the database answers a query, 503 otherwise: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


ROBOTS_DISALLOW = ["/admin/", "/accounts/", "/attempts/", "/progress/", "/preview/", "/search/"]


@require_safe
def robots_txt(request):
    sitemap = site_url(request) + reverse("sitemap_index")
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
