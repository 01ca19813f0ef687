from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery

from articles.models import Article, Topic

# Addresses per sitemap page: search engines take up to 50,000, but a page this size stays quick
# to make and to read however many articles there are.
SITEMAP_PAGE_SIZE = 1000


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Article.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # For the index: the newest change by the (status, updated_at) index, not every article
        # read (Django's default) or sorted. Scheduled articles count: a hint a little early.
        return _latest_change(Article.objects.all())


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        # Topics with a published article, each with that article's latest change: EXISTS and a
        # subquery per topic shown, so counting the pages groups no article rows.
        published = Article.objects.published().filter(topics=OuterRef("pk"))
        latest = published.order_by("-updated_at").values("updated_at")[:1]
        return Topic.objects.filter(Exists(published)).annotate(last_change=Subquery(latest)).order_by("pk")

    def lastmod(self, topic):
        return topic.last_change

    def get_latest_lastmod(self):
        return _latest_change(
            Article.objects.filter(Exists(Topic.articles.through.objects.filter(article=OuterRef("pk"))))
        )


def _latest_change(articles):
    published = articles.filter(status=Article.Status.PUBLISHED).order_by("-updated_at")
    return published.values_list("updated_at", flat=True).first()
