"""On PostgreSQL only: a GIN index on the sections' weighted search vector (articles.search).

The index is built on the same expression the search uses, so PostgreSQL can use it. SQLite has no
such index; its simpler search needs none at this size.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from articles.search import section_vector

INDEX = "section_search_vector"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        section = apps.get_model("articles", "Section")
        schema_editor.add_index(section, GinIndex(section_vector(), name=INDEX))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        section = apps.get_model("articles", "Section")
        schema_editor.remove_index(section, GinIndex(section_vector(), name=INDEX))


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_review_dates_share_links_feedback")]

    operations = [migrations.RunPython(create_index, drop_index)]
