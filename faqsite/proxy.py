from django.conf import settings

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder address, never bound to


def client_ip(request):
    """The client's address. Behind one trusted proxy (DJANGO_BEHIND_PROXY), the last address in
    X-Forwarded-For, which that proxy appended; anything before it came from the client.

    Named in settings (AXES_CLIENT_IP_CALLABLE, RATELIMIT_IP_META_KEY), so the log-in pauses and
    the per-address limits count the same address."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        address = forwarded.split(",")[-1].strip()
    else:
        address = request.META.get("REMOTE_ADDR", "")
    # No address at all (a Unix socket without a proxy's header): all such clients share one count.
    return address or UNKNOWN
