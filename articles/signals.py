from django.apps import apps as global_apps
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS
from django.dispatch import Signal

from articles.markdown import RENDERER
from articles.models import Article, Section
from articles.services import VISITOR_SESSION_KEY, feedback_claim, sections_render


def section_render_on_raw_save(sender, instance, raw, **kwargs):
    """`pre_save` receiver: a raw save (restoring a revision, loading a fixture) skips
    Section.save(), and revisions don't keep the rendered answer: render it here."""
    if raw:
        instance.render_answer()


def sections_render_stale(sender, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """`post_migrate` receiver: answers rendered by another renderer (an upgraded nh3 or Markdown,
    a changed allowlist), or saved before answers were rendered on write, are rendered again.
    Nothing to do where the migrations leave no such column (migrating backwards). A database
    flush sends this signal without `apps`."""
    try:
        apps.get_model("articles", "Section")._meta.get_field("rendered_with")
    except (LookupError, FieldDoesNotExist):
        return
    sections_render(sections=Section.objects.using(using).exclude(rendered_with=RENDERER))


def visitor_votes_claim(sender, request, user, **kwargs):
    """`user_logged_in` receiver: on log-in or sign-up, the "Was this helpful?" votes given in
    this browser move into the account."""
    session = getattr(request, "session", None)
    if session is not None:
        feedback_claim(user=user, visitor_key=session.pop(VISITOR_SESSION_KEY, ""))


# Sent while an article page is made, with `article` and `request`. Each receiver returns HTML
# (safe, made from its own template) to show after the article, or "" for nothing: how another app
# adds to the page without this app knowing it (the quizzes' "Test yourself" links, say). Element
# ids in that HTML start with "extra-" (models.EXTRA_ID_PREFIX), which section anchors never do.
article_page_extras = Signal()


def article_page_extras_for(article, request):
    responses = article_page_extras.send(sender=Article, article=article, request=request)
    return [html for _, html in responses if html]
