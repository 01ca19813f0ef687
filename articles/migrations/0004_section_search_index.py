"""On PostgreSQL only: a GIN index on the sections' weighted search vector (articles.search).

The index is built on the same expression as articles.search.section_vector() (copied here, so
that this migration never changes), which lets PostgreSQL use it. SQLite has no such index; its
simpler search needs none at this size.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = "section_search_vector"


def section_vector():
    return SearchVector("question", weight="A", config="english") + SearchVector(
        "answer", weight="C", config="english"
    )


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
