"""How fresh what readers see is: one *generation* token for all published content, shared by every
process through a cache, that changes whenever content readers see changes. Whatever is made from
that content and is the same for everyone (the project's kept pages, the related articles and quiz
links on an article page) is kept with the generation it was made in, and used only while that
generation is current.

- The generation is dropped by `content_changed`, which the writers of what readers see call
  through `articles.services.articles_changed` / `pages_changed` (and `migrate` and a restored
  backup call directly), at once and again when the transaction commits, so no process can keep
  something made from rows as they were before.
- It ends by itself when the next scheduled article is due, so that article appears on time.
- It lives in the cache named by the ARTICLES_CONTENT_CACHE setting ("default" if unset), which must
  be shared by every process that serves pages: files on one machine, Redis across machines.
"""

import functools
import logging
import os
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "faqsite:pages:generation"
# However it ends, a generation lasts no longer than this: if the cache missed a drop (it was down),
# what was kept is made again within ten minutes.
GENERATION_SECONDS = 600
logger = logging.getLogger(__name__)


def content_cache():
    return caches[getattr(settings, "ARTICLES_CONTENT_CACHE", "default")]


def is_current(generation, now=None):
    """Is this generation (token, the time it ends or None) still current?"""
    if generation is None:
        return False
    return generation[1] is None or (now or timezone.now().timestamp()) < generation[1]


_read = {}  # file path -> (the file's identity when read, the generation it held)


@functools.cache
def _generation_file(cache):
    return cache._key_to_file(GENERATION_KEY)


def shared_generation(cache=None):
    """The generation as the shared cache has it (None when there is none). Kept in a file (no
    Redis), it is read again only when the file has changed: one stat() instead of an open and an
    unpickle. (The file cache replaces a file on every write, so its inode and time change.)"""
    cache = cache or content_cache()
    if not isinstance(cache, FileBasedCache):
        return cache.get(GENERATION_KEY)
    path = _generation_file(cache)
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    known = _read.get(path)
    if known is not None and known[0] == identity:
        return known[1]
    generation = cache.get(GENERATION_KEY)
    _read[path] = (identity, generation)
    return generation


def new_generation():
    """Start a generation (one query: when the next scheduled article comes out)."""
    from articles.models import Article

    due = Article.objects.next_publication()
    generation = (secrets.token_hex(8), due.timestamp() if due else None)
    content_cache().set(GENERATION_KEY, generation, timeout=GENERATION_SECONDS)
    return generation


def current_generation():
    generation = shared_generation()
    return generation if is_current(generation) else new_generation()


def _drop():
    try:
        content_cache().delete(GENERATION_KEY)
    except Exception:  # the cache is down: the save goes on; a generation ends within minutes anyway
        logger.exception("The content cache could not be told that content changed.")


def content_changed(**kwargs):
    """Everything kept is out of date (called by services.pages_changed, and as a `post_migrate`
    receiver). Dropped now (for this transaction's own reads) and again once it commits."""
    _drop()
    transaction.on_commit(_drop)


class Remembered:
    """Values this process worked out, each kept with the content generation it was made in and
    used only while that generation is current. At most `size` of them; the oldest go first."""

    def __init__(self, size):
        self.size = size
        self._values = {}  # key -> (generation token, value)

    def __contains__(self, key):
        return key in self._values

    def get(self, key, token, default=None):
        kept = self._values.get(key)
        return kept[1] if kept is not None and kept[0] == token else default

    def put(self, key, token, value):
        self._values.pop(key, None)
        if len(self._values) >= self.size:
            del self._values[next(iter(self._values))]
        self._values[key] = (token, value)


_fragments = Remembered(500)
_MISSING = object()


def remembered(key, make, *, store=None):
    """`make()`, or what it returned earlier in this process in the current generation. For small
    things that are the same for everyone. In debug (template edits show at once) or if the cache
    is down, `make()` every time. `store`: a Remembered of the caller's own, for a value that
    costs too much to be pushed out by the many small ones."""
    if settings.DEBUG:
        return make()
    try:
        token = current_generation()[0]
    except Exception:
        logger.warning("Content cache unavailable: %s made anew.", key, exc_info=True)
        return make()
    store = _fragments if store is None else store
    value = store.get(key, token, _MISSING)
    if value is _MISSING:
        value = make()
        store.put(key, token, value)
    return value
