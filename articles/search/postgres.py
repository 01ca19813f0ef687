"""Search's PostgreSQL part: each section's stored, weighted vector (question A, answer C; a
generated column with a GIN index, migration 0004), its matches scored by ts_rank; a query in
PostgreSQL's web syntax (quotes, -word, or) is searched as websearch_to_tsquery reads it. What is
found and how well; the order is articles.search.rank's."""

import functools
import operator
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.expressions import RawSQL

from articles.search import SNIPPET_WORDS, START, STOP, Candidate, Matches

CONFIG = "english"
SAMPLE = 1000  # sections looked at to tell whether a word is in most of them (standard error 1.6 %)
# ts_rank's weights for the labels D, C, B, A (its defaults): a match in the question (A) counts
# five times one in the answer (C), where SQLite's bm25 counts it QUESTION_WEIGHT (ten) times.
# Ten here too reorders the results of 4 of 76 searches tried on the demo content (the quality
# bar stays at 92 %): a change of behaviour, so not made in passing.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# The words' best candidates (found): the newest `read` sections they find, then scored;
# "{published}" is Django's SQL for the sections readers may see. The matches are looked for in
# the newest ids first, in windows of WINDOWS × `read` ids, each only if the one before found
# fewer than `read` (a one-time filter: a window not needed is not read), and at last in every
# section: a word in 18,000 sections reads about `read` of their rows, not all of them (collecting
# every match's id, 5,000 for "boundaries" at 10,000 articles, was most of a search). The windows
# nest, so the newest `read` are the same as if every match were read. MATERIALIZED: each window
# is read once, by the GIN index and the id's index together.
WINDOWS = (4, 32)
_MATCH = "search_vector @@ to_tsquery(%s::regconfig, %s)"
_FOUND = """WITH top AS MATERIALIZED (SELECT max(id) AS id FROM articles_section),
    near AS MATERIALIZED (
        SELECT id FROM articles_section WHERE {match} AND id > (SELECT id FROM top) - %s
    ), far AS MATERIALIZED (
        SELECT id FROM articles_section
        WHERE {match} AND id > (SELECT id FROM top) - %s AND (SELECT count(*) FROM near) < %s
    ), every AS MATERIALIZED (
        SELECT id FROM articles_section
        WHERE {match} AND (SELECT count(*) FROM near) < %s AND (SELECT count(*) FROM far) < %s
    ), newest AS MATERIALIZED (
        SELECT id FROM near UNION SELECT id FROM far UNION SELECT id FROM every ORDER BY id DESC LIMIT %s
    )
    SELECT section.id FROM newest JOIN articles_section AS section ON section.id = newest.id
    WHERE section.id IN ({published})
    ORDER BY ts_rank(%s::float4[], section.search_vector, to_tsquery(%s::regconfig, %s)) DESC, section.id
    LIMIT %s"""


# Which words the published sections have (articles/search/spelling.py): the published articles'
# ids are listed once, and each word looked up in the index.
_MENTIONED_WORDS = """WITH published AS MATERIALIZED ({published})
    SELECT word FROM unnest(%s::text[]) AS word WHERE EXISTS (
        SELECT 1 FROM articles_section WHERE article_id IN (SELECT pk FROM published)
            AND search_vector @@ plainto_tsquery(%s::regconfig, word))"""
# PostgreSQL's own syntax for searchers who use it: "a phrase" and -word (not "or": readers write
# it in plain questions, "a psychiatrist or a psychologist", which search reads as words).
_WEBSEARCH = re.compile(r'"|(?:^|\s)-\w')


def section_vector():
    """The section's stored search vector (the column is not on the model)."""
    return RawSQL('"articles_section"."search_vector"', (), output_field=SearchVectorField())


def own_syntax_matches(sections, query, limit):
    """A query in web syntax, as PostgreSQL reads it (one score: it asks no things one by one), its
    best `limit` by that score; None for a plain question."""
    if not _WEBSEARCH.search(query):
        return None
    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    rows = _rows(
        sections.annotate(vector=section_vector())
        .filter(vector=search)
        .annotate(score=SearchRank(F("vector"), search, weights=WEIGHTS))
        .order_by("-score", "pk")
        .values_list("pk", "article__title", "position", "score")[:limit]
    )
    return Matches(
        candidates=[Candidate(pk, title, position, 0, 0, 0, score) for pk, title, position, score in rows],
        mentioned=[],
        total=0,
        highlight=search,
    )


def mentioned(groups):
    """(how many sections were looked at, how many of them each group's own words find), drafts
    too: every section up to 2 × SAMPLE of them, else about SAMPLE of them, the same pages each
    time (TABLESAMPLE SYSTEM ... REPEATABLE). Only the share is used (is a thing in most
    sections?), and counting every section's vector took 0.4 s at 100,000 sections."""
    texts = [_tsquery_text(group.own) for group in groups]
    found = "".join(", count(*) FILTER (WHERE search_vector @@ to_tsquery(%s::regconfig, %s))" for _ in texts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'articles_section'::regclass")
        (estimate,) = cursor.fetchone()
        percent = 100.0 if estimate < 2 * SAMPLE else 100.0 * SAMPLE / estimate
        cursor.execute(
            f"SELECT count(*){found} FROM articles_section TABLESAMPLE SYSTEM (%s) REPEATABLE (1)",  # noqa: S608 - placeholders only
            [*(value for text in texts for value in (CONFIG, text)), percent],
        )
        total, *counts = cursor.fetchone()
    return total, counts


def found(sections, groups, limit, read):
    """The ids of `sections` that the groups' own words find best (at most `limit`), among the
    newest `read` sections they find, drafts too: ts_rank reads each section's vector, and a word
    in 18,000 sections is scored in `read` of them, so what every search reads stays bounded."""
    if not groups:
        return []
    text = " | ".join(_tsquery_text(group.own) for group in groups)
    published, published_params = sections.order_by().values("pk").query.sql_with_params()
    near, far = (read * size for size in WINDOWS)
    words = [CONFIG, text]
    params = [*words, near, *words, far, read, *words, read, read, read]
    with connection.cursor() as cursor:
        cursor.execute(
            _FOUND.format(match=_MATCH, published=published),
            [*params, *published_params, WEIGHTS, *words, limit],
        )
        return [pk for (pk,) in cursor.fetchall()]


def measure(sections, pks, groups, telling):
    """A Candidate for each of `sections` among `pks`: what each group finds in it (only
    the `telling` groups, by their numbers: the others tell nothing apart; at least one)."""
    if not pks:
        return []
    own = {n: _tsquery(_tsquery_text(groups[n].own)) for n in telling}
    wide = {n: _tsquery(_tsquery_text(groups[n].own + groups[n].more)) for n in telling}
    question = {n: _tsquery(_tsquery_text(groups[n].own, weight="A")) for n in telling}
    rows = _rows(
        sections.filter(pk__in=pks)
        .annotate(vector=section_vector(), title=F("article__title"))
        .annotate(
            own=_mask(own),
            wide=_mask(wide),
            in_question=_mask(question),
            own_score=SearchRank(F("vector"), _either(list(own.values())), weights=WEIGHTS),
        )
        .order_by()
        .values_list(*Candidate._fields)
    )
    return [Candidate._make(row) for row in rows]


def highlight(groups):
    """What snippets mark: the reader's and the editors' words (the thesaurus's are many)."""
    return _either([_tsquery(_tsquery_text(group.own)) for group in groups]) if groups else None


def snippets(sections, pks, highlight):
    """{pk: (section, its answer's snippet with the words `highlight` matches marked, or its
    beginning where they match nothing)}."""
    if not pks:
        return {}
    if highlight is None:
        return {section.pk: (section, None) for section in sections.filter(pk__in=pks)}
    rows = (
        sections.filter(pk__in=pks)
        .order_by()
        .annotate(
            headline=SearchHeadline(
                "answer_text",
                highlight,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=1,
            )
        )
    )
    return {section.pk: (section, section.headline) for section in rows}


def _rows(queryset):
    """The rows as the database gives them: Django's converters, value by value, took longer than
    the search itself for thousands of hits (and change nothing here)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _mask(queries):
    """Bit n set when the section's vector matches queries[n] ({n: query})."""
    return sum(
        (
            Case(When(vector=query, then=Value(1 << n)), default=Value(0), output_field=IntegerField())
            for n, query in queries.items()
        ),
        Value(0),
    )


def _tsquery_text(phrases, weight=""):
    """Phrases as to_tsquery reads them (words of letters and digits only, so nothing is taken as
    an operator): any of them, each a phrase; with `weight` "A", in the question only."""
    label = f":{weight}" if weight else ""
    text = " | ".join(
        " <-> ".join(word + label for word in words)
        for words in (re.findall(r"[^\W_]+", p) for p in phrases)
        if words
    )
    return f"({text})"


def _tsquery(text):
    return SearchQuery(text, search_type="raw", config=CONFIG)


def _either(queries):
    return functools.reduce(operator.or_, queries)


def words_present(articles, words):
    """Which of `words` a section of `articles` has, in any form (the vector's stems), in its
    question or answer: one query, a lookup in the GIN index for each word, for spelling
    correction (articles/search/spelling.py)."""
    words = list(words)
    if not words:
        return set()
    published, published_params = articles.order_by().values("pk").query.sql_with_params()
    sql = _MENTIONED_WORDS.format(published=published)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*published_params, words, CONFIG])
        return {word for (word,) in cursor.fetchall()}
