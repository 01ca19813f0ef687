from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.sitemaps import ArticleSitemap, TopicSitemap
from quizzes.sitemaps import QuizSitemap


class PageSitemap(Sitemap):
    """The site's fixed pages, from every app."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["articles:article_list", "articles:topic_list", "quizzes:quiz_list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "quizzes": QuizSitemap,
}
