"""Search over the questions and answers of published articles, written once for both databases.

The pipeline (search_sections): read the reader's query (query_groups: whole words only, each
found in its other forms, "crying" finds "cry", the common words left out, British and American
spellings searched together, and the editors' and the thesaurus's other words for each thing asked
about, articles/synonyms.py); ask the database which sections the words find and what it measured
for each (Matches); rank them (rank: every rule of the order is there); keep the first MAX_HITS;
and show each with a snippet: the plain text of its answer around the matched words, never
Markdown or HTML.

The database's part is a backend (chosen by connection.vendor): articles/search/sqlite.py (FTS5,
its index in articles/fts.py) and articles/search/postgres.py (the stored vector of migration
0004, and PostgreSQL's web syntax). A backend answers only "which sections do these words find,
and how well": it neither orders, cuts nor weighs what it finds. Each has three functions:
own_syntax_matches(sections, query), the Matches of a query in the database's own syntax, or None
for a plain question; word_matches(sections, groups), the Matches of query_groups' words; and
snippets(sections, pks, highlight), {pk: (section, snippet)} for the sections shown.
"""

import functools
import heapq
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Section
from articles.synonyms import STOP_WORDS, editors_groups, thesaurus

MAX_QUERY_LENGTH = 200
MAX_HITS = 200  # enough pages for anyone; keeps every search bounded
# A word in the question counts ten times one in the answer (SQLite's bm25; PostgreSQL's ts_rank
# has its own weights: WEIGHTS in articles/search/postgres.py).
QUESTION_WEIGHT, ANSWER_WEIGHT = 10.0, 1.0
SNIPPET_WORDS = 30
THESAURUS_WORDS = 8  # words of a query whose everyday synonyms are searched too
COMMON_SHARE = 0.5  # a thing asked about that more than this share of sections mention: rank only
# Markers the databases put around matched words; they can't occur in text typed into a form.
START, STOP = "\x02", "\x03"


@dataclass
class Hit:
    section: Section
    snippet: str  # safe HTML: escaped text with <mark> around matched words


def clean_query(raw):
    """The query as searched: control characters (NUL included) out, spaces squeezed, shortened."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", raw or "").split())[:MAX_QUERY_LENGTH]


# One spelling on each side of the Atlantic: a query's word is searched in both.
_SPELLINGS = """behaviour behavior, behaviours behaviors, behavioural behavioral, counsellor counselor,
counsellors counselors, counselling counseling, licence license, licences licenses, licenced
licensed, practise practice, practised practiced, practising practicing, colour color, honour
honor, favour favor, favourite favorite, organisation organization, organise
organize, recognise recognize, apologise apologize, apologised apologized, realise realize,
criticise criticize, centre center, defence defense, offence offense, judgement judgment,
programme program, travelling traveling, cancelled canceled, analyse analyze, paediatric pediatric,
paediatrician pediatrician, anaesthetic anesthetic, mum mom, fulfil fulfill, enrol enroll,
sceptical skeptical, labelled labeled, modelling modeling, humour humor, neighbour neighbor,
emphasise emphasize, prioritise prioritize, minimise minimize, summarise summarize"""
SPELLINGS = {}
for _pair in _SPELLINGS.split(","):
    _british, _american = _pair.split()
    SPELLINGS[_british] = SPELLINGS[_american] = (_british, _american)


@dataclass
class Group:
    """One thing the reader asked about: their word or phrase with its other spellings and the
    editors' synonyms (`own`), and the thesaurus's synonyms (`more`)."""

    own: list
    more: list


def query_groups(query):
    """What the query asks about, group by group: the editors' phrases found in it first (as whole
    words), then each remaining word that is not a common one."""
    text = " ".join(re.findall(r"[^\W_]+", query.casefold()))
    groups = []
    for phrases in editors_groups():
        for phrase in sorted(phrases, key=len, reverse=True):
            pattern = rf"\b{re.escape(phrase)}\b"
            if re.search(pattern, text):
                groups.append(Group(own=phrases, more=[]))
                text = re.sub(pattern, " ", text)
                break
    for n, word in enumerate(dict.fromkeys(words(text))):
        own = list(SPELLINGS.get(word, (word,)))
        # The thesaurus for the first THESAURUS_WORDS words only: a long query stays quick.
        more = thesaurus(word) if n < THESAURUS_WORDS else ()
        groups.append(Group(own=own, more=[synonym for synonym in more if synonym not in own]))
    return groups[:20]


def words(query):
    """The words worth matching, without the common ones; one-letter words ("I", "a") match nearly
    everything."""
    found = [w.casefold() for w in re.findall(r"[^\W_]+", query) if len(w) > 1]
    return [w for w in found if w not in STOP_WORDS][:20]


class Candidate(NamedTuple):
    """A section the words found, with what the database measured; nothing here is ranked or
    weighed. A tuple, as the database's row is: searches find thousands."""

    pk: int
    title: str  # its article's title and its position there: ties are broken by them
    position: int
    # Bit n set: thing n asked about (query_groups' order) is found by the reader's or the
    # editors' words for it (own); by any of its words, the thesaurus's too (wide); by the
    # reader's or the editors' words in the section's question (in_question).
    own: int
    wide: int
    in_question: int
    # How well the words match (higher is better; 0 when none do), with QUESTION_WEIGHT and
    # ANSWER_WEIGHT: the reader's and editors' words, then all of them.
    own_score: float
    wide_score: float


@dataclass
class Matches:
    """A backend's answer: the sections found and, for each thing asked about, how many sections
    mention it in the reader's or the editors' words, out of `total` (all sections, drafts too)."""

    candidates: list
    mentioned: list
    total: int
    highlight: object  # the backend's own, for its snippets


def rank(matches):
    """The order of the results, for both databases: first by how much of what the reader asked
    about a section covers (each thing found in the reader's own words or the editors' synonyms
    counts 1, or half when only the thesaurus's words find it; a thing more than COMMON_SHARE of
    the sections mention, like "therapist" on this site, counts 0: it tells them apart by score
    only), then by how many of those things (as weighted) the section's question has, then by the
    score of the reader's and editors' words, so that the thesaurus's words help find a section
    but don't decide the order, then by the score of all the words, then by article title and
    position. At most MAX_HITS; a section that covers nothing asked about (it shares only a word
    most sections have: "can my therapist hug me", "therapist") is left out when others cover
    something."""
    weights = [
        0.0 if matches.total and mentioned / matches.total > COMMON_SHARE else 1.0
        for mentioned in matches.mentioned
    ]

    @functools.cache  # few combinations of things found, however many sections
    def coverage(own, wide):
        return sum(
            weight if own >> n & 1 else weight / 2 if wide >> n & 1 else 0.0
            for n, weight in enumerate(weights)
        )

    @functools.cache
    def in_question(asked):
        return sum(weight for n, weight in enumerate(weights) if asked >> n & 1)

    # The candidate itself is never compared: its pk, before it, is unique.
    scored = [
        (
            -coverage(c.own, c.wide),
            -in_question(c.in_question),
            -c.own_score,
            -c.wide_score,
            c.title,
            c.position,
            c.pk,
            c,
        )
        for c in matches.candidates
    ]
    ranked = heapq.nsmallest(MAX_HITS, scored)
    if any(row[0] < 0 for row in ranked):
        ranked = [row for row in ranked if row[0] < 0]
    return [row[-1] for row in ranked]


def search_sections(query):
    """Ranked hits for `query` among published articles' sections (at most MAX_HITS)."""
    if not re.search(r"\w", query):
        return []
    backend = _backend()
    sections = Section.objects.filter(article__in=Article.objects.published())
    matches = backend.own_syntax_matches(sections, query)
    if matches is None:
        groups = query_groups(query)
        if not groups:
            return []
        matches = backend.word_matches(sections, groups)
    # The one place the order is decided: a second signal (what a section means, not only its
    # words) would be ranked beside this one and the two lists combined here.
    ranked = [candidate.pk for candidate in rank(matches)]
    shown = backend.snippets(sections.select_related("article"), ranked, matches.highlight)
    return [Hit(shown[pk][0], _markup(shown[pk][1])) for pk in ranked if pk in shown]


def _backend():
    """The database's own part of search."""
    from articles.search import postgres, sqlite  # they use this module's types: imported once it is

    return postgres if connection.vendor == "postgresql" else sqlite


def search_articles(query, limit=5):
    """Published articles whose title contains every word of the query."""
    terms = words(query)
    if not terms:
        return []
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term)
    return list(Article.objects.published().filter(condition).order_by("-published_at")[:limit])


def popular_sections(limit=5):
    """Questions to suggest when a search finds nothing: those readers found most helpful, then
    those of the newest articles."""
    return list(
        Section.objects.filter(article__in=Article.objects.published())
        .select_related("article")
        .annotate(helpful=Count("helpful_votes", filter=Q(helpful_votes__helpful=True)))
        .order_by("-helpful", "-article__published_at", "position")[:limit]
    )


def _markup(text):
    """Escape everything, then turn the markers into <mark> elements."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added
