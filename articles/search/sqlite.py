"""Search's SQLite part: FTS5 over each section's question and plain-text answer, with the Porter
stemmer (the index and the triggers that keep it in step: articles/fts.py, migration 0012), its
matches scored by bm25. What is found and how well; the order is articles.search.rank's."""

from django.db import connection
from django.db.models.expressions import RawSQL

from articles.search import ANSWER_WEIGHT, QUESTION_WEIGHT, SNIPPET_WORDS, START, STOP, Candidate, Matches

# Every value is a parameter; the SQL around them is this module's, and "{published}" is Django's
# own SQL for the published sections' ids ("+rowid": SQLite matches once and then checks each hit,
# instead of matching again for each published section: 13 s against 0.09 s for a long query over
# 1,000 sections; CROSS JOIN keeps that order when the hits' sections and articles are joined).
# The IN lists and counts are computed once per search, not per hit.
_IN_MATCH = "(wide.rowid IN (SELECT rowid FROM articles_section_fts WHERE articles_section_fts MATCH %s))"
_MENTIONED = "(SELECT count(*) FROM articles_section_fts WHERE articles_section_fts MATCH %s)"
_FOUND = """
    SELECT wide.rowid, article.title, section.position, {own}, {wide}, {in_question},
        coalesce(-own.score, 0), -wide.score, (SELECT count(*) FROM articles_section_fts), {mentioned}
    FROM (
        SELECT rowid, bm25(articles_section_fts, %s, %s) AS score
        FROM articles_section_fts
        WHERE articles_section_fts MATCH %s AND +rowid IN ({published})
    ) AS wide
    CROSS JOIN articles_section AS section
    CROSS JOIN articles_article AS article
    LEFT JOIN (
        SELECT rowid, bm25(articles_section_fts, %s, %s) AS score
        FROM articles_section_fts WHERE articles_section_fts MATCH %s
    ) AS own ON own.rowid = wide.rowid
    WHERE section.id = wide.rowid AND article.id = section.article_id"""
# Which words (as FTS5 phrases) the published sections have: the published articles' ids are
# listed once, and each word matched in the index until a match is in one of them.
_MENTIONED_WORDS = """WITH published AS MATERIALIZED ({published}), asked(phrase) AS (VALUES {asked})
    SELECT phrase FROM asked WHERE EXISTS (
        SELECT 1 FROM articles_section_fts CROSS JOIN articles_section AS section
        WHERE articles_section_fts MATCH asked.phrase AND section.id = articles_section_fts.rowid
            AND section.article_id IN (SELECT pk FROM published))"""
# The snippets of the hits shown, made in one match ("+rowid" again: matching once for each hit
# took longer than the search); MATERIALIZED, so that it is not matched again for each row.
_SNIPPETS = """WITH found AS MATERIALIZED (
        SELECT rowid AS id, snippet(articles_section_fts, 1, %s, %s, '…', %s) AS snippet
        FROM articles_section_fts WHERE articles_section_fts MATCH %s AND +rowid IN ({ids})
    ) SELECT found.snippet FROM found WHERE found.id = articles_section.id"""


def own_syntax_matches(sections, query):
    """None: FTS5's syntax is not offered to readers; every query is read as words."""
    return None


def word_matches(sections, groups):
    """The published `sections` that any word of `groups` finds, with what FTS5 measured."""
    own = [_phrases(group.own) for group in groups]
    wide = [_phrases(group.own + group.more) for group in groups]
    published, published_params = sections.values("pk").query.sql_with_params()
    mask = " + ".join(f"{_IN_MATCH} * {1 << n}" for n in range(len(groups)))  # bit n: thing n
    sql = _FOUND.format(
        own=mask,
        wide=mask,
        in_question=mask,
        mentioned=", ".join([_MENTIONED] * len(groups)),
        published=published,
    )
    params = [
        *own,
        *wide,
        *(f"question : {o}" for o in own),
        *own,
        QUESTION_WEIGHT,
        ANSWER_WEIGHT,
        " OR ".join(wide),
        *published_params,
        QUESTION_WEIGHT,
        ANSWER_WEIGHT,
        " OR ".join(own),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return Matches(
        candidates=[Candidate._make(row[:8]) for row in rows],
        mentioned=list(rows[0][9:]) if rows else [0] * len(groups),
        total=rows[0][8] if rows else 0,
        highlight=" OR ".join(wide),
    )


def snippets(sections, pks, highlight):
    """{pk: (section, its answer's snippet with the words the FTS5 query `highlight` finds marked)}."""
    if not pks:
        return {}
    sql = _SNIPPETS.format(ids=", ".join(["%s"] * len(pks)))
    snippet = RawSQL(sql, (START, STOP, SNIPPET_WORDS, highlight, *pks))  # noqa: S611 - placeholders only
    return {
        section.pk: (section, section.snippet)
        for section in sections.filter(pk__in=pks).order_by().annotate(snippet=snippet)
    }


def _phrases(phrases):
    """Phrases as FTS5 reads them: each a quoted string (so that no word is taken as an
    operator), any of them."""
    return "(" + " OR ".join('"' + phrase.replace('"', '""') + '"' for phrase in phrases) + ")"


def mentioned(articles, words):
    """Which of `words` a section of `articles` has, in any form (the index's stems), in its
    question or answer: one query, for spelling correction (articles/search/spelling.py). Each
    word's matches are read until one is in `articles`: 50 words take 4 ms in 100,000 sections."""
    phrases = {_phrases([word]): word for word in words}
    if not phrases:
        return set()
    published, published_params = articles.order_by().values("pk").query.sql_with_params()
    sql = _MENTIONED_WORDS.format(published=published, asked=", ".join(["(%s)"] * len(phrases)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*published_params, *phrases])
        return {phrases[phrase] for (phrase,) in cursor.fetchall()}
