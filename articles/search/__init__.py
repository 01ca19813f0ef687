"""Search over the questions and answers of published articles, written once for both databases.

The pipeline (search_sections): read the reader's query (query_groups: whole words only, each
found in its other forms, "crying" finds "cry", the common words left out, British and American
spellings searched together, and the editors' and the thesaurus's other words for each thing asked
about, articles/synonyms.py); take two lists of candidates, the sections the words find best and
those nearest in meaning (articles/meaning.py, articles/search/nearest.py); measure what the words
find in each (Matches); decide whether any is a real answer (confident) and rank them (rank: every
rule of the order and of what is shown is there); and show a page of them with snippets: the plain
text of each answer around the matched words, never Markdown or HTML (Hits).

The database's part is a backend (chosen by connection.vendor): articles/search/sqlite.py (FTS5,
its index in articles/fts.py) and articles/search/postgres.py (the stored vector of migration
0004, and PostgreSQL's web syntax). A backend answers only "which sections do these words find,
and how well": mentioned(groups), how many sections each thing asked about is in; found(sections,
groups, limit, read), the words' best candidates by the database's own score (the one read that
orders and cuts); measure(sections, pks, groups, telling), a Candidate for each; highlight(groups) and
snippets(sections, pks, highlight), the snippets of the sections shown; own_syntax_matches(sections,
query), a query in the database's own syntax, or None; and words_present(articles, words), for
spelling.
"""

import functools
import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import meaning
from articles.models import Article, Section
from articles.search import nearest
from articles.synonyms import STOP_WORDS, editors_groups, thesaurus

MAX_QUERY_LENGTH = 200
MAX_HITS = 200  # enough pages for anyone; keeps every search bounded
# How many sections each signal hands to the ranking, at most: the words' best by score, and the
# meaning's nearest (articles/search/nearest.py). A search measures only these, however many
# sections the site has.
WORD_CANDIDATES = MEANING_CANDIDATES = 100
# The words' candidates are the best among at most this many of the newest sections they find (a
# word in 18,000 sections at 10,000 articles is scored in this many): every search reads a
# bounded number of sections. With fewer matches than this, as on the demo, they are all scored.
# (1,000 cost PostgreSQL 6 ms more at 10,000 articles, for its scores of each one's vector.)
WORDS_READ = 500
# The ranking's weights, tuned on the tuning half of the reader questions
# (tests/articles/search_questions/tuning.json), never on the test half.
COVERAGE_WEIGHT, QUESTION_SHARE_WEIGHT, MEANING_WEIGHT = 0.5, 0.25, 1.0
CONFIDENT = 0.40  # a search finds nothing when no section means this much, or has every word asked
# A section is shown if it means at least SHOWN and has a word asked about that tells sections
# apart, or means at least SHOWN_BY_MEANING_ALONE.
SHOWN, SHOWN_BY_MEANING_ALONE = 0.25, 0.50
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


# Words of distress: a search with any of them shows the crisis lines above any result (whole
# words, any case; "self-harm" and "self harm" alike).
DISTRESS = re.compile(
    r"\b(suicid\w*|kill(ing)? (my ?self|me)|end(ing)? (my|it) (life|all)|want(ed)? to die|"
    r"hurt(ing)? my ?self|harm(ing)? my ?self|self ?harm\w*|cut(ting)? my ?self|overdos\w*|"
    r"abus\w*|assault\w*|raped?|rapist)\b"
)


def in_distress(query):
    """Does the query have words of distress (DISTRESS)?"""
    return bool(DISTRESS.search(" ".join(re.findall(r"[^\W_]+", query.casefold()))))


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
    # How well the reader's and editors' words match (higher is better; 0 when none do), with
    # QUESTION_WEIGHT and ANSWER_WEIGHT. (How well the thesaurus's words match is not measured: as
    # a tie-break after this it changed no top ten of 275 searches, and at 10,000 articles it cost
    # a third of a search.)
    own_score: float


@dataclass
class Matches:
    """A backend's answer: the sections found and, for each thing asked about, how many sections
    mention it in the reader's or the editors' words, out of `total` (all sections, drafts too)."""

    candidates: list
    mentioned: list
    total: int
    highlight: object  # the backend's own, for its snippets


def telling(mentioned, total):
    """The numbers of the things asked about that tell sections apart: those that at most
    COMMON_SHARE of the sections mention ("therapist" is in most here, so it tells nothing); all
    of them when none does."""
    found = [n for n, count in enumerate(mentioned) if count <= COMMON_SHARE * total]
    return found or list(range(len(mentioned)))


def rank(matches, meanings):
    """The order of the results, for both databases, from two signals: the words (how much of what
    the reader asked about a section covers, of the things that tell sections apart: each found in
    the reader's own words or the editors' synonyms counts 1, or half when only the thesaurus's
    words find it; and how much of it its question has) and the meaning (`meanings`: {pk: how close
    the section's vector is to the query's}, articles/meaning.py). Scored COVERAGE_WEIGHT × the
    share of what was asked that it covers + QUESTION_SHARE_WEIGHT × the share its question has +
    MEANING_WEIGHT × its meaning; ties by the words' score, then by article title and position.
    Shown: a section that has every thing asked about in the reader's or the editors' words, one
    that has any and means at least SHOWN, and one that means at least SHOWN_BY_MEANING_ALONE.
    At most MAX_HITS."""
    asked = telling(matches.mentioned, matches.total)
    every = sum(1 << n for n in asked)

    @functools.cache  # few combinations of things found, however many sections
    def words(own, wide, in_question):
        covered = sum(1.0 if own >> n & 1 else 0.5 if wide >> n & 1 else 0.0 for n in asked)
        in_it = sum(1.0 for n in asked if in_question >> n & 1)
        return (COVERAGE_WEIGHT * covered + QUESTION_SHARE_WEIGHT * in_it) / len(asked)

    def shown(c, meant):
        return (
            c.own & every == every
            or meant >= SHOWN_BY_MEANING_ALONE
            or (meant >= SHOWN and (c.own | c.wide) & every)
        )

    # The candidate itself is never compared: its pk, before it, is unique.
    scored = [
        (
            -(words(c.own, c.wide, c.in_question) + MEANING_WEIGHT * meanings.get(c.pk, 0.0)),
            -c.own_score,
            c.title,
            c.position,
            c.pk,
            c,
        )
        for c in matches.candidates
        if shown(c, meanings.get(c.pk, 0.0))
    ]
    return [row[-1] for row in heapq.nsmallest(MAX_HITS, scored)]


def confident(matches, meanings):
    """Is any section found (published: the candidates measured) a real answer: does one mean at
    least CONFIDENT, or have every thing asked about in the reader's or the editors' words ("what
    is an LPC")?"""
    every = sum(1 << n for n in telling(matches.mentioned, matches.total))
    return any(c.own & every == every or meanings.get(c.pk, 0.0) >= CONFIDENT for c in matches.candidates)


def search_sections(query):
    """Ranked hits for `query` among published articles' sections (at most MAX_HITS); none when no
    section is a real answer (`confident`): the reader is told that nothing was found rather than
    shown sections that merely share a word with the question."""
    if not re.search(r"\w", query):
        return []
    backend = _backend()
    sections = Section.objects.published()
    matches = backend.own_syntax_matches(sections, query, MAX_HITS)
    if matches is not None:  # the database's own syntax: what it finds, by its score
        best = heapq.nsmallest(
            MAX_HITS, matches.candidates, key=lambda c: (-c.own_score, c.title, c.position)
        )
        return _hits(backend, sections, best, matches.highlight)
    groups = query_groups(query)
    if not groups:
        return []
    total, mentioned = backend.mentioned(groups)
    # The things that tell sections apart find the candidates, and only they are measured.
    asked = telling(mentioned, total)
    vector = meaning.embed(query)
    by_words = backend.found(sections, [groups[n] for n in asked], WORD_CANDIDATES, WORDS_READ)
    pks = dict.fromkeys(by_words)
    pks.update(dict.fromkeys(nearest.sections(vector, MEANING_CANDIDATES)))
    meanings = nearest.scores(vector, pks)
    matches = Matches(backend.measure(sections, list(pks), groups, asked), mentioned, total, highlight=None)
    if not confident(matches, meanings):
        return []
    cut = len(by_words) >= WORD_CANDIDATES
    return _hits(backend, sections, rank(matches, meanings), backend.highlight(groups), capped=cut)


def _hits(backend, sections, ranked, highlight, capped=False):
    """Hits of the `ranked` candidates."""
    capped = capped or len(ranked) >= MAX_HITS
    shown = functools.partial(_shown, backend, sections, highlight=highlight)
    return Hits([c.pk for c in ranked], shown, capped, titles={c.title for c in ranked})


class Hits(Sequence):
    """The ranked hits of a search, made when they are looked at: a page of results (a slice)
    reads its sections and makes its snippets in one query, whatever the length of the list.
    `capped`: more sections may answer than are listed (a list of candidates was cut); `titles`:
    the titles of their articles."""

    def __init__(self, ranked, shown, capped=False, titles=frozenset()):
        self._ranked, self._shown, self.capped, self.titles = ranked, shown, capped, titles

    def __len__(self):
        return len(self._ranked)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._shown(self._ranked[index])
        return self._shown([self._ranked[index]])[0]

    def __iter__(self):
        return iter(self[:])


def _shown(backend, sections, pks, *, highlight):
    """The hits of `pks`, in their order, each with the snippet of its answer around the words
    found (or its beginning)."""
    shown = backend.snippets(sections.select_related("article"), pks, highlight)
    hits = []
    for pk in pks:
        if pk in shown:
            section, snippet = shown[pk]
            hits.append(Hit(section, _markup(snippet or _beginning(section.answer_text))))
    return hits


def _beginning(text):
    words = text.split()
    return " ".join(words[:SNIPPET_WORDS]) + ("…" if len(words) > SNIPPET_WORDS else "")


def _backend():
    """The database's own part of search."""
    from articles.search import postgres, sqlite  # they use this module's types: imported once it is

    return postgres if connection.vendor == "postgresql" else sqlite


def search_articles(query, hits, limit=5):
    """Published articles whose title contains every word of the query, among the articles of
    `hits` (search_sections'): the titles of at most MAX_HITS sections' articles are looked in,
    not every title the site has (which took 4 ms of a search at 10,000 articles)."""
    terms = words(query)
    titles = [title for title in getattr(hits, "titles", ()) if all(t in title.casefold() for t in terms)]
    if not terms or not titles:
        return []
    return list(Article.objects.published().filter(title__in=titles).order_by("-published_at")[:limit])


def popular_sections(limit=5):
    """Questions to suggest when a search finds nothing: those readers found most helpful, then
    those of the newest articles."""
    return list(
        Section.objects.published()
        .select_related("article")
        .annotate(helpful=Count("helpful_votes", filter=Q(helpful_votes__helpful=True)))
        .order_by("-helpful", "-article__published_at", "position")[:limit]
    )


def _markup(text):
    """Escape everything, then turn the markers into <mark> elements."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added
