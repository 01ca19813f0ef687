"""The Editors group also writes quizzes, their questions and choices."""

from django.db import migrations

from faqsite.editors import grant_editors, revoke_editors

MODELS = ["quiz", "question", "choice"]


def grant(apps, schema_editor):
    grant_editors(apps, "quizzes", MODELS)


def revoke(apps, schema_editor):
    revoke_editors(apps, "quizzes", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("articles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
