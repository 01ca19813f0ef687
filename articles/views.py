from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from articles.models import Article, Topic

ARTICLES_PER_PAGE = 20


def _page(request, queryset):
    return Paginator(queryset, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def article_list(request):
    page = _page(request, Article.objects.published().for_listing())
    return render(request, "articles/article_list.html", {"page_obj": page})


def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).prefetch_related("topics", "sections"),
        slug=slug,
    )
    topics = list(article.topics.all())
    related = Article.objects.related_to(article, [t.pk for t in topics])[:4]
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "topics": topics,
            "sections": article.sections.all(),
            "related_articles": related,
            "is_preview": not article.is_public,
        },
    )


def topic_list(request):
    topics = Topic.objects.annotate(
        article_count=Count("articles", filter=Q(articles__in=Article.objects.published()))
    )
    return render(request, "articles/topic_list.html", {"topics": topics})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    page = _page(request, topic.articles.published().for_listing())
    return render(request, "articles/topic_detail.html", {"topic": topic, "page_obj": page})
