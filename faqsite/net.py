from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address. Behind one trusted proxy (DJANGO_BEHIND_PROXY), the last address in
    X-Forwarded-For, which that proxy appended; anything before it came from the client."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def over_limit(request, action, per_hour):
    """Count one `action` from the request's address; True once it passes `per_hour` in an hour.
    The counts live in the cache: in memory by default, in Redis with REDIS_URL (settings)."""
    key = f"limit:{action}:{client_ip(request)}"
    cache.add(key, 0, timeout=60 * 60)
    return cache.incr(key) > per_hour
