"""The "Searches without an answer" page: what readers searched for that found nothing, or found
answers nobody clicked, week by week (articles/search_log.py counts them).

Wired by ArticleAdmin.get_urls as `partial(searches_view, self)`, named
"admin:articles_article_searches", and linked from the article and quiz lists (beside "Content
health"). For whoever may view the counts (the Editors group: faqsite/editors.py). The counts have
no admin pages of their own: a row's page would show the words of a search fewer than MIN_READERS
readers made. Nobody adds, changes or deletes them here; clear_guest_data deletes them."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from articles.admin.pages import admin_page
from articles.search_log import MIN_READERS, ROWS_PER_WEEK, weekly_report


def searches_view(model_admin, request):
    if not request.user.has_perm("articles.view_weeklysearch"):
        raise PermissionDenied
    return admin_page(
        model_admin,
        request,
        "admin/articles/unanswered_searches.html",
        title="Searches without an answer",
        crumb="Searches without an answer",
        weeks=weekly_report(),
        min_readers=MIN_READERS,
        rows_per_week=ROWS_PER_WEEK,
        kept_days=settings.FAQSITE_GUEST_DATA_DAYS,
    )
