"""What readers searched for, counted per week without knowing who: the editors' "Searches without
an answer" page (articles/admin/search_log.py) lists the words that found nothing, or found
answers nobody clicked.

- **Counted**: the first page of each search (a later page is the same search) with words in it,
  by the search's words made plain (WeeklySearch.text_for), in the week (Monday to Sunday) it was
  made: searches, readers, how many found nothing, and how many were followed by a click on a
  result (sent by static/articles/search-clicks.js, so not without JavaScript). Searches by staff
  are not counted (editors trying search would drown readers), nor those past SEARCH_LOG_RATE an
  hour from one address (a script's flood would). Counting never stops a search: a write that
  fails is logged and the results are shown.
- **Readers without identity**: no account, address, session or visitor key is stored. A reader
  is counted once per search and week by a cookie in their own browser: a signed list of short
  keyed hashes (HMAC under SECRET_KEY, so nobody can read back what was searched) of the searches
  already counted this week, at most MAX_COUNTED of them, sent only to /search/, and gone at the
  end of the week. A browser that refuses cookies is counted as a new reader at each search.
- **Never a shared cache**: a search must reach the server to be counted, so search pages are
  `private, no-cache` (faqsite/caching.py): no CDN answers them, a browser asks again for a new
  search, and Back shows the page it kept without counting it again.
- **Shown**: words searched by fewer than MIN_READERS readers in a week only as counts, never
  their words (weekly_report).
- **Kept**: deleted once their week began more than FAQSITE_GUEST_DATA_DAYS days ago
  (`clear_guest_data`).
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import http_date
from django_ratelimit.core import is_ratelimited

from articles.models import NO_CLICK, UNANSWERED, WeeklySearch
from articles.services import search_record

COOKIE_NAME = "searched"
COOKIE_SALT = "articles.search_log"
MAX_COUNTED = 50  # searches a browser remembers as counted in one week (the cookie stays small)
MARK_LENGTH = 8  # hex characters of each search's hash in the cookie
SEARCH_LOG_RATE = "120/h"  # searches counted per address: more is not one reader
MIN_READERS = 3  # words searched by fewer readers in a week are shown only as counts
ROWS_PER_WEEK = 50  # words shown for each week, those most often left without an answer first

logger = logging.getLogger(__name__)


def log_search(request, response, *, query, found):
    """Count the search for `query`, which found `found` answers, and remember in the reader's
    browser (on `response`) that it was counted for them this week. The search view's one call,
    for the first page of results."""
    text = WeeklySearch.text_for(query)
    if not text or request.method != "GET" or request.user.is_staff:
        return
    if is_ratelimited(request, group="articles.search_log", key="ip", rate=SEARCH_LOG_RATE, increment=True):
        return
    today = timezone.localdate()
    week = WeeklySearch.week_for(today)
    counted = _counted(request, week)
    mark = _mark(week, text)
    new_reader = mark not in counted
    try:
        search_record(text=text, week=week, found=found, new_reader=new_reader)
    except DatabaseError:
        logger.warning("A search could not be counted; its results were shown.", exc_info=True)
        return
    if new_reader:
        counted = [*counted, mark][-MAX_COUNTED:]
        # Gone when the week ends, by the site's clock (Django would count from the machine's).
        week_ends = datetime.combine(week + timedelta(days=7), time(), tzinfo=timezone.get_current_timezone())
        response.set_signed_cookie(
            COOKIE_NAME,
            f"{week.isoformat()}:{'.'.join(counted)}",
            salt=COOKIE_SALT,
            max_age=int((week_ends - timezone.now()).total_seconds()),
            expires=http_date(week_ends.timestamp()),
            path=reverse("articles:search"),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _mark(week, text):
    """The short keyed hash that stands for a search in the reader's cookie."""
    digest = salted_hmac(COOKIE_SALT, f"{week.isoformat()}\n{text}", algorithm="sha256").hexdigest()
    return digest[:MARK_LENGTH]


_MARKS = re.compile(rf"[0-9a-f]{{{MARK_LENGTH}}}")


def _counted(request, week):
    """The marks of the searches this browser was counted for in `week` (none for a cookie that
    is missing, forged, or of another week)."""
    value = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT)
    cookie_week, _, marks = value.partition(":")
    if cookie_week != week.isoformat():
        return []
    return [mark for mark in marks.split(".") if _MARKS.fullmatch(mark)][-MAX_COUNTED:]


@dataclass
class Week:
    """One week of the report: its totals, the words shown, and what is shown only as counts."""

    week: date
    searches: int
    found_nothing: int
    no_click: int
    rows: list = field(default_factory=list)  # WeeklySearch rows, most often unanswered first
    more_rows: int = 0  # rows that could be shown beyond ROWS_PER_WEEK
    # Searches of words fewer than MIN_READERS readers made, left without an answer at least once.
    few_readers_searches: int = 0
    few_readers_found_nothing: int = 0
    few_readers_no_click: int = 0

    @property
    def last_day(self):
        return self.week + timedelta(days=6)


def weekly_report():
    """The searches readers made that found nothing or were followed by no click, week by week,
    newest first: the words of those that MIN_READERS readers or more made (the ROWS_PER_WEEK
    most often left without an answer), and the rest only as counts. Two queries."""
    shown = UNANSWERED & Q(readers__gte=MIN_READERS)
    hidden = UNANSWERED & Q(readers__lt=MIN_READERS)
    totals = (
        WeeklySearch.objects.values("week")
        .annotate(
            total=Sum("searches"),
            total_found_nothing=Sum("found_nothing"),
            total_no_click=Sum(NO_CLICK),
            shown=Count("pk", filter=shown),
            hidden_searches=Sum("searches", filter=hidden, default=0),
            hidden_found_nothing=Sum("found_nothing", filter=hidden, default=0),
            hidden_no_click=Sum(NO_CLICK, filter=hidden, default=0),
        )
        .order_by("-week")
    )
    weeks = {
        row["week"]: Week(
            week=row["week"],
            searches=row["total"],
            found_nothing=row["total_found_nothing"],
            no_click=row["total_no_click"],
            more_rows=max(row["shown"] - ROWS_PER_WEEK, 0),
            few_readers_searches=row["hidden_searches"],
            few_readers_found_nothing=row["hidden_found_nothing"],
            few_readers_no_click=row["hidden_no_click"],
        )
        for row in totals
    }
    unanswered = F("searches") - F("clicked")
    rows = (
        WeeklySearch.objects.unanswered()
        .filter(readers__gte=MIN_READERS)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("week")],
                order_by=[unanswered.desc(), F("searches").desc(), F("text").asc()],
            )
        )
        .filter(place__lte=ROWS_PER_WEEK)
        .order_by("-week", "place")
    )
    for row in rows:
        weeks[row.week].rows.append(row)
    return list(weeks.values())
