from django.conf import settings


def site_url(request):
    """The site's public address, without a trailing slash: FAQSITE_URL, else the one this
    request came to. For links that leave the page: canonical URLs, feeds, share links."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
