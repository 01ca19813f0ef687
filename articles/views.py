from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from articles.forms import HelpfulVoteForm, SearchClickForm
from articles.freshness import remembered
from articles.models import Article, ArticleRedirect, Section, ShareLink, Source, Topic
from articles.pagination import page_or_404
from articles.search import (
    MAX_QUERY_LENGTH,
    clean_query,
    in_distress,
    popular_sections,
    search_articles,
    search_sections,
)
from articles.search.spelling import corrected
from articles.search_log import log_search
from articles.services import (
    VISITOR_SESSION_KEY,
    article_body,
    article_head,
    body_renderer,
    helpful_vote_cast,
    search_click_record,
)
from articles.signals import article_page_extras, home_page_extras, page_extras
from articles.suggestions import suggestions
from articles.visitors import Reader

ARTICLES_PER_PAGE = 20
HOME_TOPICS = 12  # the rest are on /topics/
HITS_PER_PAGE = 10
SUGGESTED_TOPICS = 12  # on the "nothing found" page, with a link to all of them
MAX_DISTRESS_LENGTH = 2000  # of a query, read for words of distress (searched: the first 200)
VOTE_RATE = "60/h"  # per address: more is likely not one reader
SEARCH_CLICK_RATE = "60/h"  # clicks on search results counted per address


def _page(request, items, per_page=ARTICLES_PER_PAGE):
    return page_or_404(request, items, per_page)


def article_list(request):
    """The home page: a search box, the articles newest first, the first topics, and what other
    apps add (the newest quizzes). Every part is bounded, however much content there is."""
    page = _page(request, Article.objects.published().for_listing())
    context = {"page_obj": page}
    if page.number == 1:
        topics = list(Topic.objects.all()[: HOME_TOPICS + 1])  # one more: are there others?
        context |= {
            "topics": topics[:HOME_TOPICS],
            "more_topics": len(topics) > HOME_TOPICS,
            "extras": page_extras(home_page_extras, request=request),
        }
    return render(request, "articles/article_list.html", context)


def _render_article(request, article, *, preview=False, shared=False):
    """An article's page: its body and head as stored when it was saved (one query for the article,
    none for them), or made now: for a preview, when the stored one was made by other templates, and in
    debug (so that template edits show at once)."""
    stored = None if preview or settings.DEBUG else getattr(article, "body", None)
    if stored is not None and stored.rendered_with == body_renderer():
        head, body = stored.head, stored.html
    else:
        head, body = article_head(article), article_body(article, preview=preview)
    context = {
        "article": article,
        "head": head,
        "body": body,
        "related_articles": [] if shared else _related(article),
        "is_preview": preview,
        "is_shared_preview": shared,
        "extras": page_extras(article_page_extras, article=article, request=request),
    }
    response = render(request, "articles/article_detail.html", context)
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _related(article):
    """Up to four related articles, as (title, address): the same for every reader, so worked out
    once per process in each content generation (it costs more than the rest of the page)."""

    def links():
        return [
            (related.title, related.get_absolute_url()) for related in Article.objects.related_to(article)[:4]
        ]

    return remembered(f"related:{article.pk}", links)


def article_detail(request, slug):
    if request.user.is_staff:  # staff also see drafts and scheduled articles, as previews
        article = Article.objects.select_related("body").filter(slug=slug).first()
        if article is None:
            return _old_address(slug, ArticleRedirect.objects.all())
        return _render_article(request, article, preview=not article.is_public)
    article = Article.objects.page_for_reader(slug)
    if article is None:
        return _old_address(slug, ArticleRedirect.objects.to_published())
    return _render_article(request, article)


def _old_address(slug, redirects):
    """A 301 from an address an article had to the one it has now, or a 404. Asked only when no
    article is shown at `slug`, so a page view asks nothing more."""
    found = redirects.select_related("article").filter(old_slug=slug).first()
    if found is None:
        raise Http404("There is no published article at this address.")
    return redirect(found.article, permanent=True)


def shared_preview(request, token):
    """An article as it is saved now, for a reviewer with a share link (no account needed)."""
    link = ShareLink.from_token(token)
    if link is None:
        return render(request, "articles/share_link_invalid.html", status=404)
    return _render_article(request, link.article, preview=True, shared=True)


def topic_list(request):
    topics = Topic.objects.annotate(
        article_count=Count("articles", filter=Q(articles__in=Article.objects.published()))
    )
    return render(request, "articles/topic_list.html", {"topics": topics})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    page = _page(request, topic.articles.published().for_listing())
    return render(request, "articles/topic_detail.html", {"topic": topic, "page_obj": page})


SOURCE_ANSWERS_SHOWN = 50


def source_list(request):
    """Every source the answers cite, each with the published answers citing it (the first
    SOURCE_ANSWERS_SHOWN, and how many there are): how a reader checks where an answer comes
    from. The same for everyone, so made once per content generation: one query for the sources,
    and one or two for each, each reading every section's stored notes."""

    def listed():
        sources = list(Source.objects.all())
        for source in sources:
            citing = Section.objects.published().citing(source.key)
            answers = citing.select_related("article").order_by("article__title", "position")
            source.answers = list(answers[:SOURCE_ANSWERS_SHOWN])
            shown = len(source.answers)
            source.answer_count = shown if shown < SOURCE_ANSWERS_SHOWN else citing.count()
        return sources

    return render(request, "articles/source_list.html", {"sources": remembered("sources", listed)})


def search(request):
    raw = request.GET.get("q", "")
    typed = clean_query(raw)
    # A misspelt word is searched as the word the reader most likely meant ("therapsit"), unless
    # they asked for their own words ("Search instead for ...": ?spelling=off).
    spelling = "off" if request.GET.get("spelling") == "off" else ""
    correction = None if spelling else corrected(typed)
    query = correction or typed
    hits = search_sections(query)
    page = _page(request, hits, per_page=HITS_PER_PAGE)
    context = {
        "query": query,
        "typed": typed,
        "correction": correction,
        "spelling": spelling,
        "page_obj": page,
        "capped": getattr(hits, "capped", False),
        "articles": search_articles(query, hits) if page.number == 1 else [],
        "shortened": len(" ".join(raw.split())) > MAX_QUERY_LENGTH,
        # Words of distress anywhere in what was typed, not only in the part searched.
        "distress": in_distress(raw[:MAX_DISTRESS_LENGTH]) or in_distress(query),
    }
    if query and not page.paginator.count:
        context |= {"topics": Topic.objects.all()[:SUGGESTED_TOPICS], "popular": popular_sections()}
    response = render(request, "articles/search.html", context)
    if page.number == 1:  # a later page is the same search
        # Counted under the words as typed: what readers asked (and what a click reports).
        log_search(request, response, query=typed, found=page.paginator.count)
    return response


@require_safe
def search_suggest(request):
    """The questions suggested under a search box as the reader types, as JSON (read by
    static/articles/suggest.js; the search form works without it)."""
    query = clean_query(request.GET.get("q", ""))
    response = JsonResponse({"query": query, "suggestions": suggestions(query)})
    response["X-Robots-Tag"] = "noindex"
    return response


def _cross_site(request):
    """Did a browser send this request from another site's page? Browsers say so in Sec-Fetch-Site,
    and older ones in Origin; a request with neither comes from no browser (or a very old one), so
    no visitor's browser was made to send it."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS


# The vote buttons are part of the article's stored body and of the page kept for visitors, so
# they carry no per-visitor CSRF token: a vote sent from another site's page is refused by
# _cross_site instead (and a logged-in reader's session cookie, SameSite=Lax, is not sent with it).
@csrf_exempt
@require_POST
def section_vote(request, pk):
    """ "Was this answer helpful?": one vote per reader and section; voting again changes it."""
    if _cross_site(request):
        return render(request, "articles/helpful_vote_invalid.html", {"cross_site": True}, status=403)
    section = get_object_or_404(
        Section.objects.published().select_related("article"),
        pk=pk,
    )
    form = HelpfulVoteForm(request.POST)
    if is_ratelimited(request, group="articles.votes", key="ip", rate=VOTE_RATE, increment=True):
        return render(
            request, "articles/helpful_vote_invalid.html", {"section": section, "too_many": True}, status=429
        )
    if not form.is_valid():
        return render(
            request, "articles/helpful_vote_invalid.html", {"section": section, "form": form}, status=400
        )
    reader = Reader.of(request, VISITOR_SESSION_KEY, create=True)
    helpful_vote_cast(section=section, reader=reader, helpful=form.cleaned_data["helpful"] == "yes")
    # To the section's thanks, which replace its buttons (by CSS): the page is the same for everyone.
    return redirect(f"{section.article.get_absolute_url()}#extra-thanks-{section.pk}")


def _plain(text, status):
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


# Sent by static/articles/search-clicks.js (navigator.sendBeacon) from the search page, which
# carries no CSRF token: a click sent from another site's page is refused as a vote is.
@csrf_exempt
@require_POST
def search_click(request):
    """A reader clicked a result of their search: counted for the search's words
    (articles/search_log.py). 204 when counted, and for staff, whose searches aren't counted."""
    if _cross_site(request):
        return _plain("Clicks are counted only when sent from this site's own search page.", 403)
    if request.user.is_staff:
        return HttpResponse(status=204)
    if is_ratelimited(
        request, group="articles.search_clicks", key="ip", rate=SEARCH_CLICK_RATE, increment=True
    ):
        return _plain("Too many clicks came from your address this hour: this one was not counted.", 429)
    form = SearchClickForm(request.POST)
    if not form.is_valid():
        return _plain(" ".join(form.errors["q"]), 400)
    if not search_click_record(text=form.cleaned_data["q"], day=timezone.localdate()):
        return _plain("No search for these words is waiting for a click this week, so none was counted.", 404)
    return HttpResponse(status=204)
