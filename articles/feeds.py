from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """An Atom feed of the newest published articles."""

    feed_type = Atom1Feed
    title = settings.SITE_NAME
    author_name = settings.SITE_NAME  # Atom requires an author
    subtitle = "New and updated answers to questions about therapy and therapists' ethics."
    link = reverse_lazy("articles:article_list")

    def items(self):
        return Article.objects.published().prefetch_related("topics").order_by("-published_at")[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [topic.name for topic in article.topics.all()]
