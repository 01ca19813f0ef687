from django.conf import settings


def site_url(request):
    """The site's public address: FAQSITE_URL, else the one this request came to."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def site(request):
    """The site's name and public address, for the header, canonical URLs and Open Graph."""
    return {"site_title": settings.SITE_NAME, "site_url": site_url(request)}
