"""The floor for `make bench`: the least a Django site can do to send the article page. One view,
no middleware, no database, the page's bytes read once from FAQSITE_FLOOR_BODY; served by the same
gunicorn with the same settings as the site, so the ratio between the two is what faqsite adds."""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY="floor-has-nothing-to-sign",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)
BODY = Path(os.environ["FAQSITE_FLOOR_BODY"]).read_bytes()


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", page)]
application = get_wsgi_application()
