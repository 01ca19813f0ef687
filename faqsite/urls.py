from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, PageSitemap, TopicSitemap
from faqsite.views import healthz, robots_txt
from quizzes.sitemaps import QuizSitemap

admin.site.site_header = "Therapy Ethics Q&A: editors"
admin.site.site_title = "Editors"
admin.site.index_title = "Articles, topics and quizzes"

sitemaps = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "quizzes": QuizSitemap,
}

urlpatterns = [
    path("", include("articles.urls")),
    path("", include("quizzes.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="django.contrib.sitemaps.views.sitemap"),
]
