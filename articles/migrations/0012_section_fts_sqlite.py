"""On SQLite only: a full-text index of each section's question and plain-text answer (FTS5, built
into Python's sqlite3), with the Porter stemmer, kept in step with articles_section by triggers, so
that every write path (the admin, imports, bulk updates, deletes) updates it in the same
transaction. articles.search ranks with bm25, the question weighted. PostgreSQL has its own
stored vector (0004)."""

from django.db import migrations

from articles.fts import search_index_make

DROP = [
    "DROP TRIGGER IF EXISTS articles_section_fts_insert",
    "DROP TRIGGER IF EXISTS articles_section_fts_delete",
    "DROP TRIGGER IF EXISTS articles_section_fts_update",
    "DROP TABLE IF EXISTS articles_section_fts",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # The SQL is in articles/fts.py, which also repairs the triggers after later migrations.
        with schema_editor.connection.cursor() as cursor:
            search_index_make(cursor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_articlebody_head")]

    operations = [migrations.RunPython(create, drop)]
