"""The "Editors" group: staff who write and publish articles, topics and quizzes, and nothing else.

What editors may do is said here and only here: after every `migrate` the group is made if it is
missing and given exactly these permissions, so changing them is one edit to EDITOR_MODELS (or
EDITOR_VIEW_MODELS, for what they may only look at).
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import Q

GROUP = "Editors"
ACTIONS = ("add", "change", "delete", "view")
# app label: model names whose every permission (add, change, delete, view) editors hold.
EDITOR_MODELS = {
    # A published article's drafts: what editors may do to the article they may do to its draft
    # (deleting an article deletes its drafts, which the admin checks permission for). Publishing a
    # draft also asks for change_article (articles/admin/article_drafts.py).
    "articles": [
        "article",
        "section",
        "topic",
        "sharelink",
        "searchsynonym",
        "articledraft",
        "draftsection",
        "source",
    ],
    "quizzes": ["quiz", "question", "choice"],
}
# app label: model names editors may only view. What readers searched for is counted by the site
# and deleted by clear_guest_data; no one edits it.
EDITOR_VIEW_MODELS = {"articles": ["weeklysearch"]}


def editors_group_sync(*, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: the Editors group with exactly the permissions above. Like Django's
    own permission receiver, it does nothing where auth's tables aren't (migrating auth to zero)."""
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    if not router.allow_migrate_model(using, Group):
        return
    wanted = Q(pk__in=[])
    for app_label, models in EDITOR_MODELS.items():
        codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    for app_label, models in EDITOR_VIEW_MODELS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=[f"view_{model}" for model in models])
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.set(Permission.objects.using(using).filter(wanted))
