"""Editors also make and revoke share links for reviewers."""

from django.db import migrations

from faqsite.editors import grant_editors, revoke_editors

MODELS = ["sharelink"]


def grant(apps, schema_editor):
    grant_editors(apps, "articles", MODELS)


def revoke(apps, schema_editor):
    revoke_editors(apps, "articles", MODELS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_section_search_index")]

    operations = [migrations.RunPython(grant, revoke)]
