"""Mail sent off the request path: a request that sends mail takes no longer than one that doesn't
(a password reset for an address with an account must not answer slower than one without)."""

import logging
from concurrent.futures import ThreadPoolExecutor

logger = logging.getLogger(__name__)

_sender = ThreadPoolExecutor(max_workers=2, thread_name_prefix="accounts-mail")
_pending = []


def send_later(send, *args, **kwargs):
    """Call `send(*args, **kwargs)` in a worker thread; a failure is logged, never raised."""
    _pending[:] = [future for future in _pending if not future.done()]
    _pending.append(_sender.submit(_send, send, *args, **kwargs))


def _send(send, *args, **kwargs):
    try:
        send(*args, **kwargs)
    except Exception:
        logger.exception("Sending mail failed.")


def wait_for_sent(timeout=10):
    """Until the mail handed over so far is sent (for tests, and for commands that exit)."""
    for future in list(_pending):
        future.result(timeout=timeout)
