"""Writes that touch several models, each in one transaction."""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from articles.importer import ImportProblem, ParsedArticle
from articles.models import Article, Section, unique_anchor


def slug_for_title(title):
    return slugify(title)[:200].strip("-") or "article"


@transaction.atomic
def article_import(
    *, parsed: ParsedArticle, author=None, publish=False, replace=False, slug=None
) -> Article:
    """Create an article with its sections from a parsed document.

    An article with the same slug is an error unless `replace` is set; then its title, summary and
    sections are replaced (its topics, author and address stay).
    """
    slug = slug or slug_for_title(parsed.title)
    article = Article.objects.select_for_update().filter(slug=slug).first()
    if article is not None and not replace:
        raise ImportProblem(
            f"An article with the slug “{slug}” already exists; use --replace to overwrite it."
        )
    if article is None:
        article = Article(slug=slug, author=author)
    article.title = parsed.title
    article.summary = parsed.summary
    if publish:
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or timezone.now()
    article.save()
    article.sections.all().delete()
    taken = set()
    sections = []
    for position, parsed_section in enumerate(parsed.sections, start=1):
        anchor = unique_anchor(parsed_section.question, taken)
        taken.add(anchor)
        sections.append(
            Section(
                article=article,
                question=parsed_section.question[:300],
                answer=parsed_section.answer,
                position=position,
                anchor=anchor,
            )
        )
    Section.objects.bulk_create(sections)
    return article


def articles_publish(*, articles) -> int:
    """Publish the given articles; ones without a publication time get the present moment."""
    now = timezone.now()
    return articles.update(
        status=Article.Status.PUBLISHED,
        published_at=Coalesce("published_at", Value(now)),
        updated_at=now,
    )


def articles_unpublish(*, articles) -> int:
    """Turn the given articles back into drafts (their publication time is kept)."""
    return articles.update(status=Article.Status.DRAFT, updated_at=timezone.now())
