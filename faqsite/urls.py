from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from accounts.views import failed_log_ins_limited
from faqsite.sitemaps import SITEMAPS
from faqsite.views import healthz, privacy, robots_txt

admin.site.site_header = "Therapy Ethics Q&A: editors"
admin.site.site_title = "Editors"
admin.site.index_title = "Articles, topics and quizzes"
# The side list of every model took 280 px of a 1,280 px screen and made the lists scroll sideways;
# the home page and the breadcrumbs lead to the same places.
admin.site.enable_nav_sidebar = False
# The admin's log-in counts failures per address as the readers' does (password spraying).
admin.site.login = failed_log_ins_limited(admin.site.login)

handler400 = "faqsite.views.bad_request"
handler500 = "faqsite.views.server_error"

urlpatterns = [
    path("", include("articles.urls")),
    path("", include("quizzes.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("privacy/", privacy, name="privacy"),
    # An index of per-kind sitemaps, each in pages of at most SITEMAP_PAGE_SIZE addresses.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]
