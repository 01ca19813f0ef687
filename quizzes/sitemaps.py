from django.contrib.sitemaps import Sitemap

from quizzes.models import Quiz


class QuizSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Quiz.objects.published().order_by("pk")

    def lastmod(self, quiz):
        return quiz.updated_at
