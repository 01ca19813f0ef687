"""Questions suggested under a search box as the reader types (`/search/suggest/?q=`, read by
static/articles/suggest.js): the first SUGGESTIONS hits of the search itself, so what is suggested
is what a search would list first.

Kept in memory? A search's address is whatever visitors type, so search pages are never kept in
the shared page cache (faqsite/caching.py): anyone could push the articles out of it with made-up
queries. Suggestions are asked for at every pause in typing, and readers type the same beginnings
("can my", "can my ther"), so they are kept, but apart from the pages and bounded: in this
process's memory only (never the shared cache), at most KEPT of them, only for queries of at most
KEPT_LENGTH characters, keyed by the query exactly as searched, and each used only while the
content generation it was made in is current (articles/freshness.py's `remembered`, in a store of
its own: dropped whenever what readers see changes; not kept in debug or with the cache down).
Made-up queries can push out only other suggestions, which are then made again.
Browsers and CDNs may keep the answers too: they are public, like the search page's.
"""

import re

from articles.freshness import Remembered, remembered
from articles.search import search_sections

SUGGESTIONS = 6  # questions under the box: enough to choose from, few enough to read
MIN_LETTERS = 2  # a shorter query finds too much to suggest anything useful: nothing is searched
KEPT = 500  # about 4 KB each (8 KB for the longest questions): at most 4 MB a process
KEPT_LENGTH = 60  # the beginnings readers share; longer queries are searched every time

_kept = Remembered(KEPT)


def suggestions(query):
    """Up to SUGGESTIONS questions for `query` (cleaned by articles.search.clean_query): each a
    dict of the question, its article's title and the section's address."""
    if len(re.findall(r"[^\W_]", query)) < MIN_LETTERS:
        return []
    if len(query) > KEPT_LENGTH:
        return _suggest(query)
    return remembered(query, lambda: _suggest(query), store=_kept)


def _suggest(query):
    return [
        {
            "question": hit.section.question,
            "article": hit.section.article.title,
            "url": hit.section.get_absolute_url(),
        }
        for hit in search_sections(query)[:SUGGESTIONS]
    ]
