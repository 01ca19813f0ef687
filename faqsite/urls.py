from django.contrib import admin
from django.urls import include, path

from faqsite.views import healthz

admin.site.site_header = "Therapy Ethics Q&A: editors"
admin.site.site_title = "Editors"
admin.site.index_title = "Articles and topics"

urlpatterns = [
    path("", include("articles.urls")),
    path("", include("quizzes.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
