from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from articles.sitemaps import SITEMAP_PAGE_SIZE
from quizzes.models import Quiz


class QuizSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Quiz.objects.published().order_by("pk")

    def lastmod(self, quiz):
        return quiz.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every quiz read (Django's default).
        return self.items().aggregate(latest=Max("updated_at"))["latest"]
