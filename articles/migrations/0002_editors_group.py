"""The "Editors" group: staff in it manage articles, sections and topics, and nothing else."""

from django.db import migrations

from faqsite.editors import GROUP, grant_editors

MODELS = ["article", "section", "topic"]


def create_editors_group(apps, schema_editor):
    grant_editors(apps, "articles", MODELS)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
