"""The "Editors" group, shared by the apps' data migrations (keep it stable: migrations use it)."""

from django.contrib.auth.management import create_permissions

GROUP = "Editors"
ACTIONS = ("add", "change", "delete", "view")


def grant_editors(apps, app_label, model_names):
    """Give the Editors group (made if missing) every permission on these models."""
    # Permissions are normally created after all migrations have run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in model_names for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def revoke_editors(apps, app_label, model_names):
    Group = apps.get_model("auth", "Group")
    codenames = [f"{action}_{model}" for model in model_names for action in ACTIONS]
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=app_label, codename__in=codenames)
        )
