"""Search's SQLite part: FTS5 over each section's question and plain-text answer, with the Porter
stemmer (the index and the triggers that keep it in step: articles/fts.py, migration 0012), its
matches scored by bm25. What is found and how well; the order is articles.search.rank's."""

import json

from django.db import connection
from django.db.models.expressions import RawSQL

from articles import stems
from articles.search import ANSWER_WEIGHT, QUESTION_WEIGHT, SNIPPET_WORDS, START, STOP, Candidate

# Every value is a parameter; the SQL around them is this module's, and "{published}" is Django's
# own SQL: for measure(), whether a candidate is among the published sections (checked on its
# article, by a join); for words_present(), the published articles' ids. A list of sections is
# one parameter (a JSON array read by json_each), so that no search comes near SQLite's limit on
# parameters.

# How many sections there are, counted in their own table (counting the index reads every
# answer), and how many of them each word is in: every section while their ids span fewer than 2 ×
# SAMPLE, else those of the newest SAMPLE ids, from the id _START gives on (the index then seeks
# each of them: slower than counting every match of a word in a few thousand sections, quicker in
# 100,000).
SAMPLE = 1000
_START = """SELECT CASE WHEN newest - oldest >= 2 * %s THEN newest - %s + 1 END
    FROM (SELECT (SELECT max(id) FROM articles_section) AS newest,
        (SELECT min(id) FROM articles_section) AS oldest)"""
_COUNTS = "SELECT (SELECT count(*) FROM articles_section{newest}){mentioned}"
_MENTIONED = "(SELECT count(*) FROM articles_section_fts WHERE articles_section_fts MATCH %s{newest})"
# The best `limit` sections by bm25 among the newest `read` that the words find, drafts too (a
# word in 18,000 sections is scored in `read` of them: what every search reads stays bounded,
# however many sections the site has); looking up each hit's article cost three times the match
# at 10,000 articles, and measure() leaves out what is not published (a draft among the best
# takes the place of a section the meaning may find).
_FOUND = """SELECT rowid FROM (
        SELECT rowid, bm25(articles_section_fts, %s, %s) AS score FROM articles_section_fts
        WHERE articles_section_fts MATCH %s ORDER BY rowid DESC LIMIT %s
    ) ORDER BY score LIMIT %s"""
# What the words find in each of the given sections (bit n: thing n), and how well.
_IN_MATCH = """(section.id IN (SELECT rowid FROM articles_section_fts
    WHERE articles_section_fts MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))))"""
_SCORE = """(SELECT rowid, bm25(articles_section_fts, %s, %s) AS score FROM articles_section_fts
    WHERE articles_section_fts MATCH %s AND +rowid IN (SELECT value FROM json_each(%s)))"""
_MEASURED = """SELECT section.id, article.title, section.position, {own}, section.search_stems,
        {in_question}, coalesce(-own.score, 0)
    FROM articles_section AS section
    CROSS JOIN articles_article AS article
    LEFT JOIN {score} AS own ON own.rowid = section.id
    WHERE section.id IN (SELECT value FROM json_each(%s)) AND article.id = section.article_id
        AND EXISTS ({published})"""
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
        FROM articles_section_fts WHERE articles_section_fts MATCH %s AND rowid IN ({ids})
    ) SELECT found.snippet FROM found WHERE found.id = articles_section.id"""


def own_syntax_matches(sections, query, limit):
    """None: FTS5's syntax is not offered to readers; every query is read as words."""
    return None


def mentioned(groups):
    """(how many sections were looked at, how many of them each group's own words find), drafts
    too: every section while their ids span fewer than 2 × SAMPLE, else those of the newest SAMPLE
    ids. Only the share is used (is a thing in most sections?), and counting a common word's every
    section took 3 ms of a search at 100,000 sections."""
    with connection.cursor() as cursor:
        cursor.execute(_START, [SAMPLE, SAMPLE])
        (start,) = cursor.fetchone()
        if start is None:  # every section
            where, match, since = "", "", []
        else:
            where, match, since = " WHERE id >= %s", " AND rowid >= %s", [start]
        mentioned = "".join(", " + _MENTIONED.format(newest=match) for _ in groups)
        params = [*since, *(value for group in groups for value in (_phrases(group.own), *since))]
        cursor.execute(_COUNTS.format(newest=where, mentioned=mentioned), params)
        total, *counts = cursor.fetchone()
    return total, counts


def found(sections, groups, limit, read):
    """The ids of the sections, drafts too, that the groups' own words find best (at most `limit`)
    among the newest `read` they find; `sections` is not used here (see _FOUND)."""
    if not groups:
        return []
    words = _any(_phrases(group.own) for group in groups)
    with connection.cursor() as cursor:
        cursor.execute(_FOUND, [QUESTION_WEIGHT, ANSWER_WEIGHT, words, read, limit])
        return [pk for (pk,) in cursor.fetchall()]


def measure(sections, pks, groups, telling):
    """A Candidate for each of `sections` among `pks`: what each group finds in it (only the
    `telling` groups, by their numbers: the others tell nothing apart; at least one). The
    reader's and the editors' words are matched in the index, which follows every write; the
    thesaurus's are looked for in the sections' stems (Section.search_stems, made on save): the
    index lists every section that has a word ("start", one of its words for "boundaries", is in
    18,000 sections at 10,000 articles), where only the candidates' are needed."""
    if not pks:
        return []
    ids = json.dumps(list(pks))
    own = [_phrases(groups[n].own) for n in telling]
    thesaurus = {n: stems.phrases(groups[n].more) for n in telling}
    # Each candidate is checked against `sections` on its own (a lookup by id), not by listing them.
    each = sections.filter(pk=RawSQL("section.id", ())).order_by().values("pk")  # noqa: S611 - no values
    published, published_params = each.query.sql_with_params()
    mask = " + ".join(f"{_IN_MATCH} * {1 << n}" for n in telling)
    sql = _MEASURED.format(own=mask, in_question=mask, score=_SCORE, published=published)
    params = [
        *(value for phrases in own for value in (phrases, ids)),
        *(value for phrases in own for value in (f"question : {phrases}", ids)),
        QUESTION_WEIGHT,
        ANSWER_WEIGHT,
        _any(own),
        ids,
        ids,
        *published_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    candidates = []
    for pk, title, position, found, stored, in_question, score in rows:
        words = stems.words_of(stored)
        wide = found | sum(1 << n for n in telling if stems.has_any(words, thesaurus[n]))
        candidates.append(Candidate(pk, title, position, found, wide, in_question, score))
    return candidates


def highlight(groups):
    """What snippets mark: the reader's and the editors' words (the thesaurus's are many, and
    marking them cost more than the rest of a search at 10,000 articles)."""
    return _any(_phrases(group.own) for group in groups) if groups else None


def snippets(sections, pks, highlight):
    """{pk: (section, its answer's snippet with the words the FTS5 query `highlight` finds marked,
    or None where they find nothing)}."""
    if not pks:
        return {}
    if highlight is None:
        return {section.pk: (section, None) for section in sections.filter(pk__in=pks)}
    sql = _SNIPPETS.format(ids=", ".join(["%s"] * len(pks)))
    snippet = RawSQL(sql, (START, STOP, SNIPPET_WORDS, highlight, *pks))  # noqa: S611 - placeholders only
    return {
        section.pk: (section, section.snippet)
        for section in sections.filter(pk__in=pks).order_by().annotate(snippet=snippet)
    }


def _any(queries):
    return " OR ".join(queries)


def _phrases(phrases):
    """Phrases as FTS5 reads them: each a quoted string (so that no word is taken as an
    operator), any of them."""
    return "(" + " OR ".join('"' + phrase.replace('"', '""') + '"' for phrase in phrases) + ")"


def words_present(articles, words):
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
