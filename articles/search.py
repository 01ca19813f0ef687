"""Search over the questions and answers of published articles.

On PostgreSQL: full-text search on each section's stored, weighted vector (question A, answer
C; a generated column with a GIN index, migration 0004), ranked, with a highlighted headline. On
SQLite: FTS5 (migration 0012) over the question and the plain-text answer, with the Porter
stemmer: whole words only, each reduced to its stem ("crying" finds "cry"), the query's common
words left out, British and American spellings of a word searched together ("counselor" finds
"counsellor"). Sections with all the query's words come first, then those with some; within each,
bm25 ranks a match in the question QUESTION_WEIGHT times one in the answer.

Snippets are the plain text of the answer around the matched words, never Markdown or HTML.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Section

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_HITS = 200  # enough pages for anyone; keeps every search bounded
QUESTION_WEIGHT, ANSWER_WEIGHT = 10.0, 1.0  # SQLite's bm25 weights for the two columns
SNIPPET_WORDS = 30
# Markers PostgreSQL puts around matched words; they can't occur in text typed into a form.
_START, _STOP = "\x02", "\x03"


def section_vector():
    """The section's stored search vector (PostgreSQL only; the column is not on the model)."""
    return RawSQL('"articles_section"."search_vector"', (), output_field=SearchVectorField())


@dataclass
class Hit:
    section: Section
    snippet: str  # safe HTML: escaped text with <mark> around matched words


def clean_query(raw):
    """The query as searched: control characters (NUL included) out, spaces squeezed, shortened."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", raw or "").split())[:MAX_QUERY_LENGTH]


# Words that say nothing about what a reader looks for ("can my therapist hug me": therapist, hug).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me might more most must my myself no nor not now of off on once only or other ought our
    ours ourselves out over own same shall she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    ok okay ever""".split()
)
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


def words(query):
    """The words worth matching, without the common ones; one-letter words ("I", "a") match nearly
    everything."""
    found = [w.casefold() for w in re.findall(r"\w+", query) if len(w) > 1]
    return [w for w in found if w not in STOP_WORDS][:20]


def search_sections(query):
    """Ranked hits for `query` among published articles' sections (at most MAX_HITS)."""
    if not words(query):
        return []
    sections = Section.objects.filter(article__in=Article.objects.published()).select_related("article")
    if connection.vendor == "postgresql":
        return _postgres(sections, query)
    return _sqlite(sections, query)


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
        .annotate(helpful=Count("feedback", filter=Q(feedback__helpful=True)))
        .order_by("-helpful", "-article__published_at", "position")[:limit]
    )


def _postgres(sections, query):
    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    rows = (
        sections.annotate(
            rank=SearchRank(section_vector(), search),
            headline=SearchHeadline(
                "answer_text",
                search,
                config=CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=1,
            ),
        )
        .annotate(vector=section_vector())
        .filter(vector=search)
        .order_by("-rank", "article__title", "position")[:MAX_HITS]
    )
    return [Hit(row, _markup(row.headline)) for row in rows]


# Sections with every word (tier 0), then sections with some (tier 1), each ranked by bm25 (lower
# is better), among the published ones. Every value is a parameter; "{published}" is Django's own
# SQL for the published sections' ids.
_FTS_HITS = """
    SELECT rowid, tier, score, snippet FROM (
        SELECT rowid, 0 AS tier, bm25(articles_section_fts, %s, %s) AS score,
            snippet(articles_section_fts, 1, %s, %s, '…', %s) AS snippet
        FROM articles_section_fts
        WHERE articles_section_fts MATCH %s AND rowid IN ({published})
        UNION ALL
        SELECT rowid, 1 AS tier, bm25(articles_section_fts, %s, %s) AS score,
            snippet(articles_section_fts, 1, %s, %s, '…', %s) AS snippet
        FROM articles_section_fts
        WHERE articles_section_fts MATCH %s AND rowid IN ({published})
            AND rowid NOT IN (SELECT rowid FROM articles_section_fts WHERE articles_section_fts MATCH %s)
    ) ORDER BY tier, score LIMIT %s"""


def _fts_term(word):
    """One word of the query as FTS5 reads it: a quoted string (so that no word is taken as an
    operator), with its other spelling."""
    spellings = SPELLINGS.get(word, (word,))
    return "(" + " OR ".join('"' + spelling.replace('"', '""') + '"' for spelling in spellings) + ")"


def _sqlite(sections, query):
    """FTS5: sections with every word of the query first, then those with some, each by bm25."""
    terms = [_fts_term(word) for word in dict.fromkeys(words(query))]
    every, some = " AND ".join(terms), " OR ".join(terms)
    published, published_params = sections.values("pk").query.sql_with_params()
    arm = [QUESTION_WEIGHT, ANSWER_WEIGHT, _START, _STOP, SNIPPET_WORDS]
    sql = _FTS_HITS.format(published=published)
    params = [*arm, every, *published_params, *arm, some, *published_params, every, MAX_HITS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    by_pk = sections.in_bulk([pk for pk, *_ in found])
    return [Hit(by_pk[pk], _markup(snippet)) for pk, _, _, snippet in found if pk in by_pk]


def _markup(text):
    """Escape everything, then turn the markers into <mark> elements."""
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added
