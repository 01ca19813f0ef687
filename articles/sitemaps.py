from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from articles.models import Article, Topic


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        published = Q(articles__in=Article.objects.published())
        return (
            Topic.objects.annotate(last_change=Max("articles__updated_at", filter=published))
            .filter(last_change__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, topic):
        return topic.last_change
