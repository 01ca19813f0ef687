from django.conf import settings

from articles.site import site_url


def site(request):
    """The site's name and public address, for the header, canonical URLs and Open Graph."""
    return {"site_title": settings.SITE_NAME, "site_url": site_url(request)}
