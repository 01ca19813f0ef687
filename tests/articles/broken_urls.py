"""A URLconf with a view that fails, to see the 500 page (tests only)."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("A deliberate failure for the 500 page test.")


urlpatterns = [path("boom/", boom), path("", include("faqsite.urls"))]
