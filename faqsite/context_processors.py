from django.conf import settings


def site(request):
    """The site's name and public address, for the header, canonical URLs and Open Graph."""
    return {
        "site_title": settings.SITE_NAME,
        "site_url": settings.SITE_URL or f"{request.scheme}://{request.get_host()}",
    }
