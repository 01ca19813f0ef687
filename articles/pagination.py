from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def page_or_404(request, items, per_page):
    """The page of a list that `?page=N` asks for. A page that doesn't exist is a 404, not the
    last page again: each page of a list has one address (and one copy in the page cache)."""
    try:
        return Paginator(items, per_page).page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("There is no such page of this list.") from None
