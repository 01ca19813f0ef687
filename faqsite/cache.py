"""Django's Redis cache, made to fail soft: with Redis unreachable the site goes on serving.

Everything the site keeps in Redis can be done without: pages are made again, sessions are read
from the database, per-address limits let requests through (RATELIMIT_FAIL_OPEN), a generation is
started afresh. So every operation that fails to reach Redis is answered as by a cache that holds
nothing and keeps nothing, and an error is logged, at most once a minute per process, so that a
lost Redis is noticed without filling the log. /healthz says which cache is unavailable.
"""

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
# After an operation fails, this process leaves Redis alone for a moment: a Redis that drops
# packets would otherwise cost every operation its whole socket timeout.
PAUSE_SECONDS = 5
_last_logged = {}  # cache location -> when its last error was logged (time.monotonic())
_paused_until = {}  # cache location -> until when this process doesn't try it


def _soft(answer):
    """Run the method; if Redis can't be reached, log (now and then) and return `answer(...)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < _paused_until.get(self._location, 0):
                return answer(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                _paused_until[self._location] = time.monotonic() + PAUSE_SECONDS
                self._log_unavailable(method.__name__, error)
                return answer(*args, **kwargs)

        return wrapper

    return decorate


def _not_counted(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' can't be counted: the cache is unavailable.")


class ForgivingRedisCache(RedisCache):
    @property
    def _location(self):
        return str(self._servers)

    def _log_unavailable(self, operation, error):
        now = time.monotonic()
        if now - _last_logged.get(self._location, -LOG_EVERY_SECONDS) >= LOG_EVERY_SECONDS:
            _last_logged[self._location] = now
            logger.error("Redis cache unavailable (%s: %s); serving without it.", operation, error)

    get = _soft(lambda key, default=None, *args, **kwargs: default)(RedisCache.get)
    get_many = _soft(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _soft(lambda *args, **kwargs: False)(RedisCache.has_key)
    add = _soft(lambda *args, **kwargs: False)(RedisCache.add)
    set = _soft(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _soft(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _soft(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _soft(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _soft(lambda *args, **kwargs: None)(RedisCache.delete_many)
    clear = _soft(lambda *args, **kwargs: False)(RedisCache.clear)
    # A count that can't be kept is the error a missing key is (django-ratelimit then lets the
    # request through: RATELIMIT_FAIL_OPEN).
    incr = _soft(_not_counted)(RedisCache.incr)


class SessionsRedisCache(ForgivingRedisCache):
    """The cache sessions are read through (they are kept in the database). A session is kept here
    at most SESSION_SECONDS at a time: if Redis misses the deletion of a session (a log-out while it
    was unreachable), the copy it still holds stops being read within that time."""

    SESSION_SECONDS = 300

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        seconds = super().get_backend_timeout(timeout)
        return self.SESSION_SECONDS if seconds is None else min(seconds, self.SESSION_SECONDS)
