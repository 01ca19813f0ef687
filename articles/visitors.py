"""Who a visitor without an account is, from their first request on.

A visitor's key is kept in their session. A visitor's first requests can arrive together (a double
click, a script, a slow phone sending again), each without a session cookie yet, and each would
make its own session with its own key: one visitor, several identities (several attempts at one
quiz, several votes on one section). So the first key is not drawn at random but derived from what
every one of those requests already carries:

- the CSRF cookie, which any form with a token has set before its first POST (starting a quiz);
- else, for a browser that carries no cookie at all (a first vote from an article page, which
  sets none so that it can be cached), its address, browser and languages in the same ten
  seconds (counted from the clock's whole tens): requests that close together from the same
  address and browser are one visitor's. A burst that spans the turn of ten seconds is two
  visitors, never more. Two people behind one address, with the same browser, voting for the
  first time in the same ten seconds would share a key; what they share is their votes.

Keys are HMACs under SECRET_KEY with a purpose of their own, so neither reveals the cookie or the
address it came from, and a key for votes is not a key for quiz attempts.
"""

import time

from django.utils.crypto import salted_hmac

# How close together a cookieless visitor's first requests must be to count as one visitor's.
FIRST_REQUESTS_SECONDS = 10


def visitor_key(request, purpose, *, create=False):
    """The key of this visitor (not logged in) for `purpose`, which is also its session key: the
    session's if it has one; else derived from the CSRF cookie; else "" (or, when `create`, derived
    from the request). A key made with `create` is kept in the session."""
    key = request.session.get(purpose, "")
    if key or request.user.is_authenticated:
        return key
    seed = _csrf_secret(request)
    if seed is None:
        if not create:
            return ""
        seed = _first_requests(request)
    key = salted_hmac(purpose, seed, algorithm="sha256").hexdigest()[:32]
    if create:
        request.session[purpose] = key
    return key


def _csrf_secret(request):
    """The secret of the CSRF cookie the request came with (CsrfViewMiddleware has checked its
    form), or None when it came without a usable one."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None  # a new secret, made during this request: not the browser's
    return request.META.get("CSRF_COOKIE")


def _first_requests(request):
    window = int(time.time() // FIRST_REQUESTS_SECONDS)
    meta = request.META
    parts = ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE")
    return "\n".join([f"first-requests:{window}", *(meta.get(name, "") for name in parts)])
