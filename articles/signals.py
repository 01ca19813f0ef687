from django.apps import apps as global_apps
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS
from django.dispatch import Signal

from articles.markdown import RENDERER
from articles.models import Article, ArticleBody, Section
from articles.services import (
    VISITOR_SESSION_KEY,
    article_redirect_record,
    articles_render_bodies,
    body_renderer,
    helpful_votes_claim,
    sections_render,
)


def section_render_on_raw_save(sender, instance, raw, **kwargs):
    """`pre_save` receiver: a raw save (restoring a revision, loading a fixture) skips
    Section.save(), and revisions don't keep the rendered answer: render it here. The one receiver
    that renders, since a raw save has no other hook; it renders the row being saved and announces
    nothing (the admin's restore saves its form afterwards, and that announces the article)."""
    if raw:
        instance.render_answer()


def sections_render_stale(sender, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """`post_migrate` receiver: answers rendered by another renderer (an upgraded nh3 or Markdown,
    a changed allowlist), or saved before answers were rendered on write, are rendered again; then
    so are the article bodies made by other templates. Nothing to do where the migrations leave no
    such column (migrating backwards). A database flush sends this signal without `apps`."""
    try:
        apps.get_model("articles", "Section")._meta.get_field("rendered_with")
        apps.get_model("articles", "ArticleBody")
    except (LookupError, FieldDoesNotExist):
        return
    sections_render(sections=Section.objects.using(using).exclude(rendered_with=RENDERER))
    fresh = ArticleBody.objects.using(using).filter(rendered_with=body_renderer()).values("article_id")
    articles_render_bodies(articles=Article.objects.using(using).exclude(pk__in=fresh))


def article_slug_before_save(sender, instance, using, update_fields=None, **kwargs):
    """`pre_save` receiver for Article: the address it had, for article_redirect_on_slug_change.
    A signal, not Article.save, so that restoring a version (a raw save) is seen too."""
    instance._slug_before_save = None
    if instance.pk is not None and (update_fields is None or "slug" in update_fields):
        saved = Article.objects.using(using).filter(pk=instance.pk).values_list("slug", flat=True)
        instance._slug_before_save = saved.first()


def article_redirect_on_slug_change(sender, instance, **kwargs):
    """`post_save` receiver for Article: a changed address leaves a redirect behind."""
    old_slug = getattr(instance, "_slug_before_save", None)
    if old_slug and old_slug != instance.slug:
        article_redirect_record(article=instance, old_slug=old_slug)


def visitor_votes_claim(sender, request, user, **kwargs):
    """`user_logged_in` receiver: on log-in or sign-up, the "Was this helpful?" votes given in
    this browser move into the account."""
    session = getattr(request, "session", None)
    if session is not None:
        helpful_votes_claim(user=user, visitor_key=session.pop(VISITOR_SESSION_KEY, ""))


# Sent while an article page is made, with `article` and `request`. Each receiver returns HTML
# (safe, made from its own template) to show after the article, or "" for nothing: how another app
# adds to the page without this app knowing it (the quizzes' "Test yourself" links, say). Element
# ids in that HTML start with "extra-" (models.EXTRA_ID_PREFIX), which section anchors never do.
article_page_extras = Signal()

# Sent while the home page is made, with `request`: each receiver returns HTML (safe, from its own
# template) to show on it, or "" (the quizzes' list, say), as for article pages above.
home_page_extras = Signal()


def page_extras(signal, **kwargs):
    """The HTML that receivers of `signal` (one of the two above) add to the page being made."""
    return [html for _, html in signal.send(sender=Article, **kwargs) if html]


def search_index_repair(sender, using="default", **kwargs):
    """`post_migrate` receiver: on SQLite, the full-text index's table and triggers are there
    (a later migration that rebuilds articles_section drops its triggers: see articles/fts.py)."""
    from django.db import connections

    from articles.fts import search_index_make

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            search_index_make(cursor)
