from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("sources/", views.source_list, name="source_list"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("search/clicks/", views.search_click, name="search_click"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("sections/<int:pk>/feedback/", views.section_vote, name="section_vote"),
]
