"""The "Editors" group: staff who write and publish articles, topics and quizzes, and nothing else.

What editors may do is said here and only here: after every `migrate` the group is made if it is
missing and given exactly these permissions, so changing them is one edit to EDITOR_MODELS.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

GROUP = "Editors"
ACTIONS = ("add", "change", "delete", "view")
# app label: model names whose every permission (add, change, delete, view) editors hold.
EDITOR_MODELS = {
    "articles": ["article", "section", "topic", "sharelink"],
    "quizzes": ["quiz", "question", "choice"],
}


def editor_permissions(using="default"):
    wanted = Q(pk__in=[])
    for app_label, models in EDITOR_MODELS.items():
        codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    return Permission.objects.using(using).filter(wanted)


def editors_group_sync(*, using="default", **kwargs):
    """post_migrate receiver: the Editors group with exactly the permissions above."""
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.set(editor_permissions(using))
