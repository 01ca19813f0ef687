from django.conf import settings
from django.core.exceptions import DisallowedHost


def site_url(request):
    """The site's public address, without a trailing slash: FAQSITE_URL, else the one this
    request came to. For links that leave the page: canonical URLs, feeds, share links."""
    if settings.SITE_URL:
        return settings.SITE_URL
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        # The request is being refused for its Host (a 400 whose page is drawn with this
        # request): its links stay on the paths of whatever site the browser is on.
        return ""
