"""Search over the questions and answers of published articles.

A plain question is read the same way on both databases (query_groups): whole words only, each
found in its other forms ("crying" finds "cry"), the common words left out, British and American
spellings searched together, and the editors' and the thesaurus's other words for each thing asked
about (articles/synonyms.py). Sections are ranked by how much of the question they cover, then by
how much of it their own question has, then by rank (see the comment above _FTS_HITS); a section
that shares only words most sections have is left out when others cover what was asked.

On PostgreSQL: each section's stored, weighted vector (question A, answer C; a generated column
with a GIN index, migration 0004); a query in its web syntax (quotes, -word, or) is searched as
websearch_to_tsquery reads it. On SQLite: FTS5 (migration 0012, articles/fts.py) over the question
and the plain-text answer, with the Porter stemmer, ranked by bm25.

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
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Section
from articles.synonyms import STOP_WORDS, editors_groups, thesaurus

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_HITS = 200  # enough pages for anyone; keeps every search bounded
QUESTION_WEIGHT, ANSWER_WEIGHT = 10.0, 1.0  # SQLite's bm25 weights for the two columns
SNIPPET_WORDS = 30
THESAURUS_WORDS = 8  # words of a query whose everyday synonyms are searched too
COMMON_SHARE = 0.5  # a thing asked about that more than this share of sections mention: rank only
# Markers the databases put around matched words; they can't occur in text typed into a form.
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


def search_sections(query):
    """Ranked hits for `query` among published articles' sections (at most MAX_HITS)."""
    if not re.search(r"\w", query):
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


# PostgreSQL's own syntax for searchers who use it: "a phrase", -word, or.
_WEBSEARCH = re.compile(r'"|(?:^|\s)-\w|\sor\s', re.IGNORECASE)


def _postgres(sections, query):
    """A query in websearch syntax is searched as PostgreSQL reads it; a plain question is ranked
    as on SQLite (see below): by how much of it a section covers, then by rank."""
    sections = sections.annotate(vector=section_vector())
    if _WEBSEARCH.search(query):
        search = SearchQuery(query, search_type="websearch", config=CONFIG)
        rows = (
            sections.filter(vector=search)
            .annotate(rank=SearchRank(F("vector"), search), headline=_headline(search))
            .order_by("-rank", "article__title", "position")[:MAX_HITS]
        )
        return [Hit(row, _markup(row.headline)) for row in rows]
    groups = query_groups(query)
    if not groups:
        return []
    own = [_tsquery(group.own) for group in groups]
    wide = [_tsquery(group.own + group.more) for group in groups]
    counts = Section.objects.annotate(vector=section_vector()).aggregate(
        total=Count("pk"),
        **{f"thing_{n}": Count("pk", filter=Q(vector=query)) for n, query in enumerate(own)},
    )
    total = counts.pop("total")
    weights = [0.0 if total and counts[f"thing_{n}"] / total > COMMON_SHARE else 1.0 for n in range(len(own))]
    coverage = sum(
        (
            Case(When(vector=o, then=Value(w)), When(vector=wd, then=Value(w / 2)), default=Value(0.0))
            for o, wd, w in zip(own, wide, weights, strict=True)
        ),
        Value(0.0),
    )
    in_question = sum(
        (
            Case(When(vector=_tsquery(group.own, weight="A"), then=Value(w)), default=Value(0.0))
            for group, w in zip(groups, weights, strict=True)
        ),
        Value(0.0),
    )
    any_own, any_wide = _either(own), _either(wide)
    rows = (
        sections.filter(vector=any_wide)
        .annotate(
            coverage=coverage,
            in_question=in_question,
            own_rank=SearchRank(F("vector"), any_own),
            wide_rank=SearchRank(F("vector"), any_wide),
            headline=_headline(any_wide),
        )
        .order_by("-coverage", "-in_question", "-own_rank", "-wide_rank", "article__title", "position")[
            :MAX_HITS
        ]
    )
    return [Hit(row, _markup(row.headline)) for row in _answering(rows, lambda row: row.coverage)]


def _answering(rows, coverage):
    """The rows that cover something asked about, when there are any: a section that only shares a
    word most sections have ("can my therapist hug me": "therapist") is not an answer."""
    if any(coverage(row) > 0 for row in rows):
        return [row for row in rows if coverage(row) > 0]
    return rows


def _tsquery(phrases, weight=""):
    """Phrases as to_tsquery reads them (words of letters and digits only, so nothing is taken as
    an operator): any of them, each a phrase; with `weight` "A", in the question only."""
    label = f":{weight}" if weight else ""
    text = " | ".join(
        " <-> ".join(word + label for word in words)
        for words in (re.findall(r"[^\W_]+", p) for p in phrases)
        if words
    )
    return SearchQuery(f"({text})", search_type="raw", config=CONFIG)


def _either(queries):
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def _headline(search):
    return SearchHeadline(
        "answer_text",
        search,
        config=CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=SNIPPET_WORDS,
        min_words=15,
        max_fragments=1,
    )


# Ranking on SQLite, as a librarian would: first by how much of what the reader asked about a
# section covers (each thing found in the reader's own words or the editors' synonyms counts 1, or
# half when only the thesaurus's words find it; a thing more than half the sections mention, like
# "therapist" on this site, tells them apart by rank only), then by how many of those things (as
# weighted) are in the section's question, then by bm25 of the reader's own words (lower is
# better), so that the thesaurus's words help find a section but don't decide the order.
# Every value is a parameter; the SQL around them is this module's, and "{published}" is
# Django's own SQL for the published sections' ids ("+rowid": SQLite matches once and then checks
# each hit, instead of matching again for each published section: 13 s against 0.09 s for a
# long query over 1,000 sections).
_IN_MATCH = "(SELECT rowid FROM articles_section_fts WHERE articles_section_fts MATCH %s)"
# A thing's weight: 0 when more than COMMON_SHARE of all sections mention it, else 1.
_WEIGHT = (
    f"(CASE WHEN (SELECT count(*) FROM {_IN_MATCH}) > %s * (SELECT count(*) FROM articles_section_fts)"  # noqa: S608
    " THEN 0.0 ELSE 1.0 END)"
)
_COVERS = (
    f"(CASE WHEN wide.rowid IN {_IN_MATCH} THEN {_WEIGHT}"
    f" WHEN wide.rowid IN {_IN_MATCH} THEN {_WEIGHT} / 2 ELSE 0 END)"
)
_FTS_HITS = """
    SELECT wide.rowid, {coverage} AS coverage, {in_question} AS in_question,
        coalesce(own.score, 0) AS own_score, wide.snippet
    FROM (
        SELECT rowid, bm25(articles_section_fts, %s, %s) AS score,
            snippet(articles_section_fts, 1, %s, %s, '…', %s) AS snippet
        FROM articles_section_fts
        WHERE articles_section_fts MATCH %s AND +rowid IN ({published})
    ) AS wide LEFT JOIN (
        SELECT rowid, bm25(articles_section_fts, %s, %s) AS score
        FROM articles_section_fts WHERE articles_section_fts MATCH %s
    ) AS own ON own.rowid = wide.rowid
    ORDER BY coverage DESC, in_question DESC, own_score, wide.score LIMIT %s"""
# A thing asked about, found in the section's question (in the reader's or the editors' words),
# weighted as in the coverage: "therapist" in a question tells nothing on this site.
_IN_QUESTION = f"(CASE WHEN wide.rowid IN {_IN_MATCH} THEN {_WEIGHT} ELSE 0 END)"


def _fts_phrases(phrases):
    """Phrases as FTS5 reads them: each a quoted string (so that no word is taken as an
    operator), any of them."""
    return "(" + " OR ".join('"' + phrase.replace('"', '""') + '"' for phrase in phrases) + ")"


def _sqlite(sections, query):
    groups = query_groups(query)
    if not groups:
        return []
    own = [_fts_phrases(group.own) for group in groups]
    wide = [_fts_phrases(group.own + group.more) for group in groups]
    published, published_params = sections.values("pk").query.sql_with_params()
    coverage = " + ".join([_COVERS] * len(groups))
    in_question = " + ".join([_IN_QUESTION] * len(groups))
    sql = _FTS_HITS.format(coverage=coverage, in_question=in_question, published=published)
    params = [
        *(
            value
            for o, w in zip(own, wide, strict=True)
            for value in (o, o, COMMON_SHARE, w, o, COMMON_SHARE)
        ),
        *(value for o in own for value in (f"question : {o}", o, COMMON_SHARE)),
        QUESTION_WEIGHT,
        ANSWER_WEIGHT,
        _START,
        _STOP,
        SNIPPET_WORDS,
        " OR ".join(wide),
        *published_params,
        QUESTION_WEIGHT,
        ANSWER_WEIGHT,
        " OR ".join(own),
        MAX_HITS,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    found = _answering(found, lambda row: row[1])
    by_pk = sections.in_bulk([pk for pk, *_ in found])
    return [Hit(by_pk[pk], _markup(snippet)) for pk, *_, snippet in found if pk in by_pk]


def _markup(text):
    """Escape everything, then turn the markers into <mark> elements."""
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added
