"""A reader's article page reads its article with Article.objects.page_for_reader: SQL written out
once per process instead of a query the ORM builds on every view. These hold it to what the ORM
says: the same articles (published(), nothing more or less) with the same values."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import BODY_PARTS, Article, ArticleBody


@pytest.fixture
def every_kind_of_article(make_article):
    now = timezone.now()
    return [
        make_article(status="draft"),
        make_article(status="draft", published_at=now - timedelta(days=3)),  # unpublished again
        make_article(status="published", published_at=now - timedelta(days=2)),
        make_article(status="published", published_at=now - timedelta(seconds=1)),
        make_article(status="published", published_at=now + timedelta(hours=1)),  # scheduled
        make_article(status="published", published_at=now + timedelta(days=30)),
    ]


def test_it_finds_exactly_the_published_articles(every_kind_of_article):
    published = set(Article.objects.published().values_list("slug", flat=True))
    assert 0 < len(published) < len(every_kind_of_article)
    for article in every_kind_of_article:
        assert (Article.objects.page_for_reader(article.slug) is not None) == (article.slug in published)
    assert Article.objects.page_for_reader("no-such-article") is None


def test_it_reads_the_same_values_as_the_orm(every_kind_of_article):
    for expected in Article.objects.published().select_related("body"):
        article = Article.objects.page_for_reader(expected.slug)
        assert article.get_deferred_fields() == set()
        for field in Article._meta.concrete_fields:
            assert getattr(article, field.attname) == getattr(expected, field.attname), field.name
        for part in BODY_PARTS:
            assert getattr(article.body, part) == getattr(expected.body, part)
        assert not hasattr(article, "body_html")  # moved into .body, not left beside it


def test_a_scheduled_article_is_found_from_its_time(make_article):
    article = make_article(status="published", published_at=timezone.now() + timedelta(minutes=5))
    assert Article.objects.page_for_reader(article.slug) is None
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert Article.objects.page_for_reader(article.slug).pk == article.pk


def test_an_article_without_a_stored_body_is_found_and_its_page_made_at_once(client, make_article):
    article = make_article(sections=2)
    ArticleBody.objects.filter(article=article).delete()
    found = Article.objects.page_for_reader(article.slug)
    assert found.pk == article.pk and found.body.html is None
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and article.sections.first().question in page.content.decode()


def test_readers_get_404_for_drafts_and_scheduled_articles(client, every_kind_of_article):
    hidden = [a for a in every_kind_of_article if not Article.objects.published().filter(pk=a.pk).exists()]
    for article in hidden:
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
