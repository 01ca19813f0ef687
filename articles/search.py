"""Search over the questions and answers of published articles.

On PostgreSQL: full-text search on each section's stored, weighted vector (question A, answer
C; a generated column with a GIN index, migration 0004), ranked, with a highlighted headline. On SQLite:
the words of the query matched with LIKE, ranked in Python with the same weighting, which gives
the same top hits on a small site.
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
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Section

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_HITS = 200  # enough pages for anyone; keeps every search bounded
QUESTION_WEIGHT, ANSWER_WEIGHT = 4, 1  # SQLite's ranking, like the A and C weights below
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


def words(query):
    """The words worth matching: one-letter words ("I", "a") match nearly everything."""
    return [w.casefold() for w in re.findall(r"\w+", query) if len(w) > 1][:20]


def search_sections(query):
    """Ranked hits for `query` among published articles' sections (at most MAX_HITS)."""
    if not words(query):
        return []
    sections = Section.objects.filter(article__in=Article.objects.published()).select_related("article")
    if connection.vendor == "postgresql":
        return _postgres(sections, query)
    return _simple(sections, query)


def search_articles(query, limit=5):
    """Published articles whose title contains every word of the query."""
    terms = words(query)
    if not terms:
        return []
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term)
    return list(Article.objects.published().filter(condition).order_by("-published_at")[:limit])


def _postgres(sections, query):
    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    rows = (
        sections.annotate(
            rank=SearchRank(section_vector(), search),
            headline=SearchHeadline(
                "answer",
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
    return [Hit(row, _markup(_plain(row.headline))) for row in rows]


def _simple(sections, query):
    """Whole words at the start of a word ("cry" finds "crying"), ranked by how many of the
    query's words the question has, then the answer, then how often they occur."""
    terms = words(query)
    condition = Q()
    for term in terms:
        condition |= Q(question__icontains=term) | Q(answer__icontains=term)
    patterns = [re.compile(rf"\b{re.escape(term)}", re.IGNORECASE) for term in terms]
    scored = []
    for section in sections.filter(condition):
        in_question = [len(p.findall(section.question)) for p in patterns]
        in_answer = [len(p.findall(section.answer)) for p in patterns]
        if not any(in_question) and not any(in_answer):
            continue  # only inside other words
        score = (
            sum(map(bool, in_question)),
            sum(map(bool, in_answer)),
            QUESTION_WEIGHT * sum(in_question) + ANSWER_WEIGHT * sum(in_answer),
        )
        scored.append(((-score[0], -score[1], -score[2], section.article.title, section.position), section))
    scored.sort(key=lambda row: row[0])
    return [Hit(section, _snippet(section.answer, patterns)) for _, section in scored[:MAX_HITS]]


def _plain(text):
    """Markdown's marks taken out of a snippet of an answer."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    return " ".join(re.sub(r"[*_#>`]+", "", text).split())


def _snippet(answer, patterns):
    """About SNIPPET_WORDS words of the answer around the first matched word, with marks."""
    text_words = _plain(answer).split()

    def matches(word):
        return any(p.match(word.lstrip("\"'“‘(")) for p in patterns)

    first = next((i for i, word in enumerate(text_words) if matches(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    chosen = text_words[start : start + SNIPPET_WORDS]
    marked = " ".join(f"{_START}{word}{_STOP}" if matches(word) else word for word in chosen)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(text_words) else ""
    return _markup(prefix + marked + suffix)


def _markup(text):
    """Escape everything, then turn the markers into <mark> elements."""
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added
