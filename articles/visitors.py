"""Who a visitor without an account is, from their first request on.

A visitor's key is kept in their session. A visitor's first requests can arrive together (a double
click, a script, a slow phone sending again), each without a session cookie yet, and each would
make its own session with its own key: one visitor, several identities (several attempts at one
quiz, several votes on one section). So the first key is not drawn at random but derived from what
every one of those requests already carries:

- the visitor cookie: a random seed that a browser gets with the first page that shows it a form
  (VisitorSeedMiddleware), so before it can send one (starting a quiz). It is HttpOnly, never in a
  page, and `__Host-` with HTTPS, so no other site or subdomain can set it;
- else, for a browser that carries no cookie at all (a first vote from an article page, which
  sets none so that it can be cached), its address, browser and languages in the same ten
  seconds (counted from the clock's whole tens): requests that close together from the same
  address and browser are one visitor's. A burst that spans the turn of ten seconds is two
  visitors, never more. Two people behind one address, with the same browser, voting for the
  first time in the same ten seconds would share a key, and so their votes: the first of them to
  log in takes both into their account.

Keys are HMACs under SECRET_KEY with a purpose of their own, so neither reveals what it came from,
and a key for votes is not a key for quiz attempts. Only the session is ever read to find a
visitor's things: the seed only makes the key the first time.
"""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

# How close together a cookieless visitor's first requests must be to count as one visitor's.
FIRST_REQUESTS_SECONDS = 10


def seed_cookie_name():
    # `__Host-`: browsers take it only from this host, over HTTPS, for the whole site.
    return "__Host-visitor" if settings.SESSION_COOKIE_SECURE else "visitor"


def visitor_key(request, purpose, *, create=False):
    """The key of this visitor (not logged in) for `purpose`, which is also where their session
    keeps it; "" if it has none. With `create`, a visitor without one is given it (derived from
    their seed cookie, else from the request: see above) and it is kept in the session."""
    key = request.session.get(purpose, "")
    if key or not create or request.user.is_authenticated:
        return key
    seed = request.COOKIES.get(seed_cookie_name(), "")
    if not 32 <= len(seed) <= 64:
        seed = _first_requests(request)
    key = request.session[purpose] = salted_hmac(purpose, seed, algorithm="sha256").hexdigest()[:32]
    return key


@dataclass(frozen=True)
class Reader:
    """Who is reading: a signed-in reader (`user`), or a visitor without an account (`visitor_key`,
    the key kept in their session for one purpose), or, with neither, someone the site knows nothing
    of yet. Built once per request and purpose (Reader.of) and given to every query and service
    that asks whose something is: attempts, votes."""

    user: object = None
    visitor_key: str = ""

    @classmethod
    def of(cls, request, purpose, *, create=False):
        """The reader making `request`, their visitor key being the one kept for `purpose`; with
        `create`, a visitor without one is given it (visitor_key). Made once per request."""
        made = request.__dict__.setdefault("_readers", {})
        user = request.user if request.user.is_authenticated else None
        reader = made.get(purpose)
        # Made again when the request logged someone in or out meanwhile, or a key is now wanted.
        if reader is None or reader.user != user or (create and not reader):
            key = "" if user is not None else visitor_key(request, purpose, create=create)
            reader = made[purpose] = cls(user=user, visitor_key=key)
        return reader

    def __bool__(self):
        return self.user is not None or bool(self.visitor_key)

    def owner(self, prefix=""):
        """The fields that say a row is this reader's, e.g. {"user": user} or {"user": None,
        "visitor_key": key}, each name after `prefix` ("attempt__"). None for an unknown reader,
        whose things are none."""
        if self.user is not None:
            fields = {"user": self.user}
        elif self.visitor_key:
            fields = {"user": None, "visitor_key": self.visitor_key}
        else:
            return None
        return {prefix + name: value for name, value in fields.items()}

    def filter(self, queryset, prefix=""):
        """`queryset`'s rows that are this reader's (by the fields `owner` names); none if unknown."""
        owner = self.owner(prefix)
        return queryset.none() if owner is None else queryset.filter(**owner)


def _first_requests(request):
    window = int(time.time() // FIRST_REQUESTS_SECONDS)
    meta = request.META
    parts = ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE")
    return "\n".join([f"first-requests:{window}", *(meta.get(name, "") for name in parts)])


class VisitorSeedMiddleware:
    """Gives a visitor's browser its seed with the first page that shows it a form (one with a
    CSRF token: never a page kept for everyone), so that the first POSTs it sends carry it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        name = seed_cookie_name()
        if (
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page used a CSRF token
            and name not in request.COOKIES
            and not request.user.is_authenticated
        ):
            response.set_cookie(
                name,
                secrets.token_urlsafe(32),
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
