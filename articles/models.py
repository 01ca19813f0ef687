import functools
import hashlib
import json
import math
import re
import unicodedata
from datetime import timedelta
from typing import NamedTuple

import reversion
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from articles import citations, meaning, stems
from articles.markdown import RENDERER, html_to_text, markdown_to_html

ANCHOR_MAX_LENGTH = 80
WORDS_PER_MINUTE = 200
SHARE_LINK_DAYS = 7
SHARE_LINK_MAX_DAYS = 30
# An article's admin page edits all its sections at once (articles/formsets.py): the import and
# the page itself stop there. The demo's longest article has 15.
MAX_SECTIONS = 200
MAX_SHARE_LINKS = 20  # per article
# Element ids the article page uses itself; a section anchor must not take them.
RESERVED_ANCHORS = frozenset(
    {
        "top",
        "main",
        "contents",
        "contents-heading",
        "related-articles",
        "related-heading",
        "site-search-q",
    }
)
# What other apps add to an article page (articles.signals.article_page_extras) uses ids that
# start with this; no section anchor does, so the two never clash.
EXTRA_ID_PREFIX = "extra-"


# What readers see is announced by its writers, these models' save() and delete() among them
# (services.articles_changed): imported when called, as the services import this module.
def _articles_changed(**kwargs):
    from articles.services import articles_changed

    articles_changed(**kwargs)


def _pages_changed():
    from articles.services import pages_changed

    pages_changed()


def is_reserved_anchor(anchor):
    return anchor in RESERVED_ANCHORS or anchor.startswith(EXTRA_ID_PREFIX)


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="One or two sentences shown on the topic's page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    # Its name and address are on its articles' pages: they are rendered again with it.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        article_ids = list(self.articles.values_list("pk", flat=True))
        _articles_changed(article_ids=article_ids, using=self._state.db)

    def get_absolute_url(self):
        return reverse("articles:topic_detail", args=[self.slug])

    def delete(self, *args, **kwargs):
        article_ids = list(self.articles.values_list("pk", flat=True))
        deleted = super().delete(*args, **kwargs)
        _articles_changed(article_ids=article_ids, using=self._state.db)
        return deleted


def readers_see(prefix=""):
    """The condition on an article (through `prefix`, as "article__") that readers may see it:
    published, with a publication time that has come (page_for_reader asks the same in SQL)."""
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see."""
        return self.filter(readers_see())

    def next_publication(self):
        """When the next scheduled article comes out (a datetime), or None if none is scheduled."""
        scheduled = self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.aggregate(first=Min("published_at"))["first"]

    def with_question_count(self):
        """Each article's number of questions, as a subquery: worked out only for the rows a page
        shows, and left out of the paginator's count (an aggregate would group every article)."""
        sections = Section.objects.filter(article=OuterRef("pk")).order_by().values("article")
        return self.annotate(
            question_count=Coalesce(Subquery(sections.annotate(n=Count("pk")).values("n")), 0)
        )

    def for_listing(self):
        """What an article list shows: topics and the number of questions, newest first."""
        return self.with_question_count().prefetch_related("topics").order_by("-published_at", "-pk")

    def review_overdue(self, today=None):
        return self.filter(review_due__lt=today or timezone.localdate())

    def review_due_soon(self, days=30, today=None):
        """Articles whose review falls due from today to `days` ahead."""
        today = today or timezone.localdate()
        return self.filter(review_due__gte=today, review_due__lte=today + timedelta(days=days))

    def related_to(self, article):
        """Other published articles sharing the most topics with `article`, newest first."""
        topic_ids = Article.topics.through.objects.filter(article_id=article.pk).values("topic_id")
        return (
            self.published()
            .filter(topics__in=topic_ids)
            .exclude(pk=article.pk)
            .annotate(shared_topics=Count("topics"))
            .order_by("-shared_topics", "-published_at")
            .only("title", "slug", "published_at")  # a link each
        )


BODY_PARTS = ("html", "head", "rendered_with")


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def page_for_reader(self, slug):
        """The published article at `slug` with its stored page parts (`.body`), for a reader's
        page view; None if there is none. It asks what published() asks, in SQL written out once
        per process: building the same query with the ORM took 0.33 ms of a 1 ms page, this takes
        0.05 (tests/articles/test_reader_page.py holds the two equal)."""
        now = connections[self.db].ops.adapt_datetimefield_value(timezone.now())
        rows = self.raw(_reader_page_sql(self.db), [slug, Article.Status.PUBLISHED, now])
        article = next(iter(rows), None)
        if article is not None:
            article.body = ArticleBody(**{part: article.__dict__.pop(f"body_{part}") for part in BODY_PARTS})
        return article


@functools.cache
def _reader_page_sql(using):
    """Article.objects.page_for_reader's query: every column of the article, and its stored body's
    parts as body_html, body_head and body_rendered_with (None when it has none yet: the page is
    then made at once, as for a body made by other templates)."""
    article, body = Article._meta, ArticleBody._meta
    quote = connections[using].ops.quote_name
    columns = ", ".join(f"a.{quote(field.column)}" for field in article.concrete_fields)
    parts = ", ".join(f"b.{quote(body.get_field(name).column)} AS body_{name}" for name in BODY_PARTS)
    column = {name: quote(article.get_field(name).column) for name in ("slug", "status", "published_at")}
    join = f"b.{quote(body.get_field('article').column)} = a.{quote(article.pk.column)}"
    # Only names from the models' own metadata, quoted, go into the text; values are parameters.
    return (
        f"SELECT {columns}, {parts} FROM {quote(article.db_table)} a "  # noqa: S608
        f"LEFT JOIN {quote(body.db_table)} b ON {join} "
        f"WHERE a.{column['slug']} = %s AND a.{column['status']} = %s AND a.{column['published_at']} <= %s"
    )


@reversion.register(follow=["sections"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The end of the article's address: /articles/this-part/."
    )
    summary = models.TextField(
        help_text="One or two plain sentences, shown under the title, in lists and to search engines."
    )
    topics = models.ManyToManyField(Topic, related_name="articles", blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Readers see a published article from this time on. "
        "Left empty, it is set to the moment of publishing.",
    )
    last_reviewed = models.DateField(
        "page last reviewed",
        null=True,
        blank=True,
        help_text="When someone qualified last checked the article's facts. Shown to readers.",
    )
    review_due = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="When the facts should be checked again. Shown to readers; the article list "
        "can filter articles whose review is due.",
    )
    imported_unreviewed = models.BooleanField(
        "imported, not yet reviewed",
        default=False,
        help_text="Set when the article is imported from a document; cleared when an editor saves it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The sitemap index's "last changed": the newest published row read in index order,
            # not every article sorted.
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A published article always has a publication time, so "published" can be one query.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        _articles_changed(article_ids=[self.pk], using=self._state.db)

    def get_absolute_url(self):
        return reverse("articles:article_detail", args=[self.slug])

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        _pages_changed()
        return deleted

    def as_faq_page(self, sections=None):
        """schema.org FAQPage data: one Question with its acceptedAnswer per section, in plain text
        (`sections`: the article's, when the caller has them already)."""
        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "name": self.title,
            "description": self.summary,
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": section.question,
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": section.answer_text,
                        **({"citation": [note.as_creative_work() for note in notes]} if notes else {}),
                    },
                }
                for section in (self.sections.all() if sections is None else sections)
                for notes in [getattr(section, "notes", None)]
            ],
        }

    @property
    def is_scheduled(self):
        """Published with a publication time still to come: it appears by itself at that time."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @staticmethod
    def reading_minutes(sections):
        """About how long the answers take to read, at 200 words a minute (at least 1)."""
        words = sum(len(section.answer.split()) + len(section.question.split()) for section in sections)
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @property
    def is_public(self):
        """True when a reader without an account can see the article now (one query)."""
        return Article.objects.published().filter(pk=self.pk).exists()

    def live_version(self):
        """A digest of what readers see of the article (its title, summary, status, last update and
        sections), for ArticleDraft.is_stale: any change to them changes it (one query)."""
        sections = self.sections.order_by("pk").values_list("pk", "question", "answer", "position")
        data = [self.title, self.summary, self.status, self.updated_at.isoformat(), list(sections)]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def next_position(siblings):
    """The position after the last of `siblings`: where a row left without a position goes."""
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def unique_anchor(question, taken):
    """A URL fragment for `question` that is not in `taken` (e.g. "red-flags", "red-flags-2")."""
    base = slugify(question)[: ANCHOR_MAX_LENGTH - 4].strip("-") or "question"
    if base.startswith(EXTRA_ID_PREFIX):  # "Extra sessions?" -> "q-extra-sessions"
        base = f"q-{base}"[: ANCHOR_MAX_LENGTH - 4].strip("-")
    anchor, n = base, 2
    while anchor in taken or is_reserved_anchor(anchor):
        anchor, n = f"{base}-{n}", n + 1
    return anchor


class ArticleRedirectQuerySet(models.QuerySet):
    def to_published(self):
        """Redirects a reader may follow: to an article readers may see (a draft's old address
        would tell them it exists)."""
        return self.filter(article__in=Article.objects.published())


class ArticleRedirect(models.Model):
    """An address an article had: /articles/<old_slug>/ redirects to where the article is now,
    unless a published article has that address (services.article_redirect_record writes them)."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"

    def __str__(self):
        return f"/articles/{self.old_slug}/ → {self.article}"


class SourceQuerySet(models.QuerySet):
    def short_names(self):
        """{key: how an answer's plain text names it, "US: APA"} of every source: what rendering an
        answer needs of them ("" for a source without a short name)."""
        return {
            key: f"{citations.COUNTRY_BRIEFLY[country]}: {short}" if short and country else short
            for key, short, country in self.values_list("key", "short_name", "country")
        }


class Source(models.Model):
    """A document that answers cite: a code of ethics, a framework, a study. Editors keep them in
    the admin; an answer cites one with a marker naming its key and a place in it
    (articles/citations.py), which readers see as a numbered note under the answer."""

    class Country(models.TextChoices):
        US = "US", "United States"
        CA = "CA", "Canada"
        GB = "GB", "United Kingdom"
        IE = "IE", "Ireland"
        AU = "AU", "Australia"
        NZ = "NZ", "New Zealand"

    key = models.CharField(
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(
                f"^{citations.KEY}$",
                "Use small letters, digits and hyphens, starting and ending with a letter or digit.",
            )
        ],
        help_text="What answers cite it by, as in [^apa-2017:10.08]. It can't be changed once saved, "
        "since answers cite it.",
    )
    short_name = models.CharField(
        "short name",
        max_length=30,
        blank=True,
        help_text="How answers name it in brief, such as “APA”: their plain text (what search reads) "
        "says “(US: APA 10.05)” for a note. Empty: the note is left out of the plain text.",
    )
    issuer = models.CharField(
        "issued by", max_length=200, help_text="Such as “American Psychological Association”."
    )
    title = models.CharField(max_length=300)
    edition = models.CharField(
        "edition or year", max_length=100, blank=True, help_text="Such as “2002, amended 2010 and 2016”."
    )
    country = models.CharField(
        max_length=2,
        choices=Country,
        blank=True,
        help_text="Whose rules these are; empty for none or several.",
    )
    url = models.URLField("link", max_length=500, blank=True)
    places_are = models.CharField(
        "a place in it is",
        max_length=30,
        blank=True,
        help_text="What the place in a citation names, such as “standard” (“standard 10.08”), "
        "“paragraph” or “page”; empty to show the place as written.",
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["issuer", "title", "edition"]

    def __str__(self):
        return f"{self.issuer}: {self.title}" + (f" ({self.edition})" if self.edition else "")

    def place(self, place):
        """A place in it as readers read it: “standard 10.08”."""
        return f"{self.places_are} {place}" if self.places_are and place else place


class Note(NamedTuple):
    """A numbered note under an answer: the source it cites and where in it."""

    number: int
    source: Source
    place: str
    element_id: str  # in the article's page (citations.note_id)

    @property
    def where(self):
        return self.source.place(self.place)

    def as_creative_work(self):
        """schema.org's CreativeWork for the JSON-LD's `citation`."""
        work = {
            "@type": "CreativeWork",
            "name": self.source.title + (f", {self.where}" if self.where else ""),
            "author": {"@type": "Organization", "name": self.source.issuer},
        }
        if self.source.edition:
            work["version"] = self.source.edition
        if self.source.url:
            work["url"] = self.source.url
        return work


class ArticleBody(models.Model):
    """Rendered on write: an article's own part of its page (title, contents, answers with their
    vote buttons, JSON-LD) and of the page's <head> (description, Open Graph), made again whenever
    the article, its sections or its topics change (services.articles_changed), so a
    reader's page view only reads them. In a table of its own, so that lists of articles never
    load it. Not in revisions: restoring one renders it."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="body")
    html = models.TextField()
    head = models.TextField(blank=True)
    rendered_with = models.CharField(max_length=16, help_text="Which templates made it.")

    def __str__(self):
        return f"Body of {self.article_id}"


class SectionQuerySet(models.QuerySet):
    def citing(self, key):
        """Sections whose answer cites the source `key` (a key, or an expression giving one: a
        source's OuterRef("key"))."""
        if isinstance(key, str):
            return self.filter(citations__contains=citations.stored_key(key))
        stored = Concat(Value(citations.STORED_KEY_BEFORE), key, Value(citations.STORED_KEY_AFTER))
        return self.filter(citations__contains=stored)

    def published(self):
        """Sections of articles readers may see, checked on each section's article (a join):
        asking for sections whose article is among the published ones lists every published
        article's id, 10,000 of them at 10,000 articles, for a page of ten hits."""
        return self.filter(readers_see("article__"))


# What Section.render_answer() makes from what editors write. Revisions keep only the latter; the
# rest is made again on restore (signals.py: a restore is a raw save, which skips save()).
SECTION_RENDERED_FIELDS = (
    "answer_html",
    "answer_text",
    "citations",
    "meaning",
    "meaning_signs",
    "search_stems",
    "rendered_with",
)


@reversion.register(exclude=SECTION_RENDERED_FIELDS)
class Section(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    question = models.CharField(max_length=300)
    # May be left empty while writing; the admin warns about it on saving.
    answer = models.TextField(
        blank=True, help_text="Markdown: blank line between paragraphs, “- ” for list items."
    )
    # Rendered on write: what readers get, made from `answer` on every save (render_answer), so a
    # page view only reads it.
    answer_html = models.TextField(editable=False, blank=True)
    answer_text = models.TextField(editable=False, blank=True)
    # The sources the answer cites, as its numbered notes: JSON, a [source key, place] pair each
    # (articles/citations.py). Rendered with the answer.
    citations = models.TextField(editable=False, blank=True, default="[]")
    rendered_with = models.CharField(max_length=16, editable=False, blank=True)
    # What the section means, for search (articles/meaning.py): its vector, and the vector's signs
    # for search's quick first pass. Made with the answer, on write.
    meaning = models.BinaryField(editable=False, blank=True, default=b"")
    meaning_signs = models.BinaryField(editable=False, blank=True, default=b"")
    # The stems of its question's and answer's words, in order (articles/stems.py): search reads
    # which words a candidate has here, not in the full-text index. Made with the answer, on write.
    search_stems = models.TextField(editable=False, blank=True, default="")
    position = models.PositiveIntegerField(
        default=0, blank=True, help_text="Sections are shown in this order. Left empty: last."
    )
    anchor = models.SlugField(
        max_length=ANCHOR_MAX_LENGTH,
        blank=True,
        help_text="The question's address in the page (#anchor). Made from the question when empty; "
        "keep it when you reword the question so that links keep working.",
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "question"],
                name="section_question_unique_in_article",
                violation_error_message="This article already has a section with this question.",
            ),
            models.UniqueConstraint(
                fields=["article", "anchor"],
                name="section_anchor_unique_in_article",
                violation_error_message="This article already has a section with this anchor.",
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        siblings = Section.objects.filter(article_id=self.article_id).exclude(pk=self.pk)
        if not self.anchor:
            self.anchor = unique_anchor(self.question, set(siblings.values_list("anchor", flat=True)))
        if not self.position:
            self.position = next_position(siblings)
        self.render_answer()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"answer", "question"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *self.RENDERED_FIELDS}
        super().save(*args, **kwargs)
        _articles_changed(article_ids=[self.article_id], using=self._state.db)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def delete(self, *args, **kwargs):
        # Not called for the sections of an article being deleted (the deletion takes them in
        # bulk), so no body is made for an article that is going.
        deleted = super().delete(*args, **kwargs)
        _articles_changed(article_ids=[self.article_id], using=self._state.db)
        return deleted

    def clean(self):
        check_citations(self.answer)
        if self.anchor and is_reserved_anchor(self.anchor):
            raise ValidationError(
                {
                    "anchor": f"“{self.anchor}” is used by the page itself (as are anchors starting "
                    f"with “{EXTRA_ID_PREFIX}”); choose another anchor."
                }
            )

    RENDERED_FIELDS = SECTION_RENDERED_FIELDS

    def render_answer(self, sources=None):
        """Store the answer as readers get it: rendered and cleaned HTML (markdown.py) with its
        citation markers as numbered notes, and the sources they cite (citations.py), its plain
        text (for JSON-LD and summaries), what the section means (meaning.py) and its words'
        stems (stems.py), for search, and which renderer made them. `sources`: as for
        answer_rendered."""
        self.answer_html, self.citations, self.answer_text = answer_rendered(
            self.answer, self.anchor, sources
        )
        vector = meaning.section_vector(self.question, self.answer_text)
        self.meaning, self.meaning_signs = meaning.to_bytes(vector), meaning.signs(vector)
        self.search_stems = stems.section_stems(self.question, self.answer_text)
        self.rendered_with = RENDERER


class ArticleDraftQuerySet(models.QuerySet):
    def open(self):
        """Drafts still being worked on: neither published nor discarded (at most one per article)."""
        return self.exclude(state__in=ArticleDraft.CLOSED_STATES)


class ArticleDraft(models.Model):
    """Proposed changes to a published article: its title, summary and sections (DraftSection),
    edited here while the article and its sections stay the live version, until the draft is
    published over it or discarded (services.article_draft_publish, article_draft_discard). Kept
    afterwards, for history. An article has at most one open draft.

    Its sections are rows of their own, not a list in one field: the admin edits them in an ordered
    inline with the bound every inline has (formsets.py), each question's length and uniqueness in
    the draft are checked by the database as a Section's are, and a later review can point at one."""

    class State(models.TextChoices):
        # A review would add "submitted" and "approved" here: open states, which the constraint
        # below already counts as open (it names the closed ones).
        EDITING = "editing", "Being edited"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    CLOSED_STATES = (State.PUBLISHED, State.DISCARDED)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(max_length=Article._meta.get_field("title").max_length)
    summary = models.TextField(help_text=Article._meta.get_field("summary").help_text)
    state = models.CharField(max_length=16, choices=State, default=State.EDITING)
    based_on = models.DateTimeField(
        "article last updated",
        help_text="The article's “last updated” time when this draft was started: if the article has "
        "changed since, the draft is not published over that change.",
    )
    # Article.live_version() when this draft was started: a section edited or deleted on its own
    # page changes no article's "last updated", but changes this.
    based_on_version = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("started", auto_now_add=True)
    updated_at = models.DateTimeField("last saved", auto_now=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="published or discarded by",
    )
    closed_at = models.DateTimeField("published or discarded", null=True, blank=True)

    objects = ArticleDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "draft of a published article"
        verbose_name_plural = "drafts of published articles"
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=~models.Q(state__in=["published", "discarded"]),
                name="one_open_draft_per_article",
                violation_error_message="This article already has an open draft.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (draft)"

    @property
    def is_open(self):
        return self.state not in self.CLOSED_STATES

    @property
    def is_stale(self):
        """The article changed since this draft was started (an editor saved it, an import replaced
        it, it was published or unpublished, a section was edited or deleted on its own page):
        publishing would overwrite that change."""
        return self.article.live_version() != self.based_on_version


class DraftSection(models.Model):
    """One question of a draft, with its answer in Markdown. Publishing keeps the live section with
    the same question (its id and anchor, and so the quiz questions and votes linked to it)."""

    draft = models.ForeignKey(ArticleDraft, on_delete=models.CASCADE, related_name="sections")
    question = models.CharField(max_length=Section._meta.get_field("question").max_length)
    answer = models.TextField(blank=True, help_text=Section._meta.get_field("answer").help_text)
    position = models.PositiveIntegerField(
        default=0, blank=True, help_text="Sections are shown in this order. Left empty: last."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "question"],
                name="draft_section_question_unique_in_draft",
                violation_error_message="This draft already has a section with this question.",
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        if not self.position:
            self.position = next_position(
                DraftSection.objects.filter(draft_id=self.draft_id).exclude(pk=self.pk)
            )
        super().save(*args, **kwargs)

    def clean(self):
        check_citations(self.answer)


def answer_rendered(answer, anchor, sources=None):
    """(the answer's cleaned HTML, with its citation markers as numbered notes; the notes as a
    section stores them; its plain text) for the section at `anchor`. `sources`: every source's
    {key: short name} (Source.objects.short_names()), when the caller has them (else they are
    read, if the answer has a marker)."""
    if sources is None:
        sources = Source.objects.short_names() if "[^" in answer else {}
    cited = citations.CitationsExtension(sources, anchor)
    html = markdown_to_html(answer, cited)
    text = html_to_text(citations.plain_notes(html, cited.notes, sources))
    return html, citations.dumps(cited.notes), text


def check_citations(answer):
    """Refuse an answer whose citation markers name no known source or are not quite markers, in
    words, next to the answer (the editor's text is kept: the form is shown again)."""
    if "[^" in (answer or ""):
        problems = citations.problems(answer, Source.objects.short_names())
        if problems:
            raise ValidationError({"answer": problems})


def notes_attach(sections):
    """Give each of `sections` its numbered notes (`notes`, a list of Note) from its stored
    citations: one query for every source they cite, none when they cite nothing."""
    cited = [citations.loads(section.citations) for section in sections]
    keys = {key for notes in cited for key, _ in notes}
    sources = Source.objects.in_bulk(keys, field_name="key") if keys else {}
    for section, notes in zip(sections, cited, strict=True):
        section.notes = [
            Note(number, sources[key], place, citations.note_id(section.anchor, number))
            for number, (key, place) in enumerate(notes, start=1)
            if key in sources
        ]


class ShareLinkQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked=False, expires_at__gt=timezone.now())


def _default_share_expiry():
    return timezone.now() + timedelta(days=SHARE_LINK_DAYS)


class ShareLink(models.Model):
    """A link for a reviewer without an account: it shows one article as it is saved now,
    draft or scheduled, until it expires or is revoked."""

    SALT = "articles.share-link"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_share_expiry)
    revoked = models.BooleanField(default=False, help_text="Tick to stop the link working.")

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Share link for “{self.article}”"

    def get_absolute_url(self):
        return reverse("articles:shared_preview", args=[self.token])

    def clean(self):
        if self.expires_at and self.expires_at > timezone.now() + timedelta(days=SHARE_LINK_MAX_DAYS):
            raise ValidationError(
                {"expires_at": f"A share link can last {SHARE_LINK_MAX_DAYS} days at most."}
            )

    @property
    def token(self):
        # Signed, so a link can't be guessed or made up; it still has to exist and be valid.
        return signing.Signer(salt=self.SALT).sign_object(self.pk)

    @classmethod
    def from_token(cls, token):
        """The valid link a token stands for, or None (forged, expired, revoked or deleted)."""
        try:
            pk = signing.Signer(salt=cls.SALT).unsign_object(token)
        except signing.BadSignature:
            return None
        return cls.objects.valid().select_related("article").filter(pk=pk).first()


class HelpfulVoteQuerySet(models.QuerySet):
    def for_reader(self, reader):
        """The votes of `reader` (articles.visitors.Reader); none for a reader not known yet."""
        return reader.filter(self)

    def of_visitors(self):
        """Votes of visitors without an account (and of deleted accounts, anonymised)."""
        return self.filter(user__isnull=True)


class HelpfulVote(models.Model):
    """A reader's answer to "Was this answer helpful?" under a section: one per reader and section,
    whose like an attempt at a quiz (a signed-in reader's, or a visitor's by the key in their
    session)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="helpful_votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="helpful_votes",
    )
    visitor_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now=True)

    objects = HelpfulVoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "user"],
                condition=models.Q(user__isnull=False),
                name="one_vote_per_reader_and_section",
            ),
            models.UniqueConstraint(
                fields=["section", "visitor_key"],
                condition=models.Q(user__isnull=True),
                name="one_vote_per_visitor_and_section",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(visitor_key=""), name="vote_has_an_owner"
            ),
        ]

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.section}"


class SearchSynonym(models.Model):
    """Words and phrases readers use for the same thing in this field ("hug, touch, physical
    contact"): a search for any of them finds the others (articles/synonyms.py)."""

    words = models.CharField(
        max_length=300,
        unique=True,
        help_text="Two or more words or phrases, separated by commas: hug, touch, physical contact.",
    )

    class Meta:
        ordering = ["words"]
        verbose_name = "search synonym"

    def __str__(self):
        return self.words

    # Search remembers the groups (articles/synonyms.py) for as long as the pages are current.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _pages_changed()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        _pages_changed()
        return deleted

    def clean(self):
        phrases = self.phrases()
        if len(phrases) < 2:
            raise ValidationError({"words": "Give at least two words or phrases, separated by commas."})
        self.words = ", ".join(phrases)

    def phrases(self):
        """The group's phrases, lowercased, each with its words separated by single spaces."""
        found = (" ".join(re.findall(r"[^\W_]+", part.casefold())) for part in self.words.split(","))
        return list(dict.fromkeys(phrase for phrase in found if phrase))


# What a search is counted under: its words, at most this long (articles/search_log.py).
SEARCH_TEXT_LENGTH = 100


# A week's row left without an answer at least once (found nothing, or found answers and no click
# followed), and how many of its searches found answers and had no click: in SQL once, for the
# QuerySet and the editors' report (articles/search_log.py); WeeklySearch.no_click is one row's.
UNANSWERED = models.Q(clicked__lt=models.F("searches"))
NO_CLICK = models.F("searches") - models.F("found_nothing") - models.F("clicked")


class WeeklySearchQuerySet(models.QuerySet):
    def older_than(self, moment):
        """Weeks that began before `moment`'s day: every search counted in them is older than it
        (clear_guest_data deletes them)."""
        return self.filter(week__lt=timezone.localdate(moment))

    def unanswered(self):
        """Rows with a search that found nothing, or found answers and was followed by no click."""
        return self.filter(UNANSWERED)

    def awaiting_click(self):
        """Rows with a search that found something and has no click counted for it yet."""
        return self.filter(clicked__lt=models.F("searches") - models.F("found_nothing"))


class WeeklySearch(models.Model):
    """What readers searched for in one week (Monday to Sunday), by the search's words made plain
    (`text_for`): how many searches, by how many readers, how many found nothing, and how many
    were followed by a click on a result. Nothing here says who searched: there is no field for
    an account, an address, a session or a visitor, and a test keeps it so. Written by the
    services search_record and search_click_record; deleted by clear_guest_data."""

    text = models.CharField(max_length=SEARCH_TEXT_LENGTH)
    week = models.DateField(help_text="The Monday the week began.")
    searches = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(
        default=0, help_text="Browsers that made this search this week, each counted once."
    )
    found_nothing = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0, help_text="Searches followed by a click on a result.")

    objects = WeeklySearchQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "text"]
        verbose_name = "search readers made"
        verbose_name_plural = "searches readers made"
        constraints = [
            models.UniqueConstraint(fields=["week", "text"], name="one_row_per_search_and_week"),
            models.CheckConstraint(
                condition=models.Q(readers__lte=models.F("searches")), name="search_readers_at_most_searches"
            ),
            models.CheckConstraint(
                condition=models.Q(clicked__lte=models.F("searches") - models.F("found_nothing")),
                name="search_clicks_only_after_results",
            ),
        ]

    def __str__(self):
        return f"“{self.text}”, week of {self.week:%-d %B %Y}"

    @property
    def no_click(self):
        """Searches that found something and were followed by no click."""
        return self.searches - self.found_nothing - self.clicked

    @staticmethod
    def text_for(query):
        """The words a search is counted under: in one case, without punctuation (an apostrophe
        joins its word: "don't" is "dont"), single spaces, at most SEARCH_TEXT_LENGTH characters
        (cut at a space where one is near). "" for a search with no words."""
        text = unicodedata.normalize("NFKC", query or "").casefold()
        text = " ".join(re.findall(r"[^\W_]+", re.sub(r"['‘’`]", "", text)))
        if len(text) > SEARCH_TEXT_LENGTH:
            text = text[: SEARCH_TEXT_LENGTH + 1]
            space = text.rfind(" ")
            text = text[:space] if space > SEARCH_TEXT_LENGTH // 2 else text[:SEARCH_TEXT_LENGTH]
        return text

    @staticmethod
    def week_for(day):
        """The Monday that began `day`'s week."""
        return day - timedelta(days=day.weekday())
