from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from articles.models import Article, Topic

# Addresses per sitemap page: search engines take up to 50,000, but a page this size stays quick
# to make and to read however many articles there are.
SITEMAP_PAGE_SIZE = 1000


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every article read (Django's default).
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        published = Q(articles__in=Article.objects.published())
        return (
            Topic.objects.annotate(last_change=Max("articles__updated_at", filter=published))
            .filter(last_change__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, topic):
        return topic.last_change

    def get_latest_lastmod(self):
        return (
            Article.objects.published()
            .filter(topics__isnull=False)
            .aggregate(latest=Max("updated_at"))["latest"]
        )
