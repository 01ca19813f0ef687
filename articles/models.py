from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from articles.markdown import markdown_to_html, markdown_to_text

ANCHOR_MAX_LENGTH = 80
# Element ids the article page uses itself; a section anchor must not take them.
RESERVED_ANCHORS = frozenset({"main", "contents", "related-articles", "test-yourself"})


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="One or two sentences shown on the topic's page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic_detail", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, with a publication time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff also see drafts and scheduled articles (as previews); everyone else, published ones."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def with_question_count(self):
        return self.annotate(question_count=Count("sections", distinct=True))

    def for_listing(self):
        """What an article list shows: topics and the number of questions, newest first."""
        return (
            self.with_question_count()
            .prefetch_related("topics")
            .order_by("-published_at", "-pk")
        )

    def related_to(self, article, topic_ids):
        """Other published articles sharing the most topics with `article`, newest first."""
        return (
            self.published()
            .filter(topics__in=topic_ids)
            .exclude(pk=article.pk)
            .annotate(shared_topics=Count("topics"))
            .order_by("-shared_topics", "-published_at")
        )


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A published article always has a publication time, so "published" can be one query.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article_detail", args=[self.slug])

    def as_faq_page(self):
        """schema.org FAQPage data: one Question with its acceptedAnswer per section, in plain text."""
        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "name": self.title,
            "description": self.summary,
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": section.question,
                    "acceptedAnswer": {"@type": "Answer", "text": section.answer_text},
                }
                for section in self.sections.all()
            ],
        }

    @property
    def is_public(self):
        """True when a reader without an account can see the article now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def next_position(siblings):
    """The position after the last of `siblings`: where a row left without a position goes."""
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def unique_anchor(question, taken):
    """A URL fragment for `question` that is not in `taken` (e.g. "red-flags", "red-flags-2")."""
    base = slugify(question)[: ANCHOR_MAX_LENGTH - 4].strip("-") or "question"
    anchor, n = base, 2
    while anchor in taken or anchor in RESERVED_ANCHORS:
        anchor, n = f"{base}-{n}", n + 1
    return anchor


class Section(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown: blank line between paragraphs, “- ” for list items.")
    position = models.PositiveIntegerField(
        default=0, blank=True, help_text="Sections are shown in this order. Left empty: last."
    )
    anchor = models.SlugField(
        max_length=ANCHOR_MAX_LENGTH,
        blank=True,
        help_text="The question's address in the page (#anchor). Made from the question when empty; "
        "keep it when you reword the question so that links keep working.",
    )

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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def clean(self):
        if self.anchor in RESERVED_ANCHORS:
            raise ValidationError(
                {"anchor": f"“{self.anchor}” is used by the page itself; choose another anchor."}
            )

    @property
    def answer_html(self):
        return markdown_to_html(self.answer)

    @property
    def answer_text(self):
        return markdown_to_text(self.answer)
