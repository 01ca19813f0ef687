"""On SQLite only: a full-text index of each section's question and plain-text answer (FTS5, built
into Python's sqlite3), with the Porter stemmer, kept in step with articles_section by triggers, so
that every write path (the admin, imports, bulk updates, deletes) updates it in the same
transaction. articles.search ranks with bm25, the question weighted. PostgreSQL has its own
stored vector (0004)."""

from django.db import migrations

CREATE = [
    """CREATE VIRTUAL TABLE articles_section_fts USING fts5(
        question, answer_text, content='articles_section', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_section_fts_insert AFTER INSERT ON articles_section BEGIN
        INSERT INTO articles_section_fts(rowid, question, answer_text)
        VALUES (new.id, new.question, new.answer_text);
    END""",
    """CREATE TRIGGER articles_section_fts_delete AFTER DELETE ON articles_section BEGIN
        INSERT INTO articles_section_fts(articles_section_fts, rowid, question, answer_text)
        VALUES ('delete', old.id, old.question, old.answer_text);
    END""",
    """CREATE TRIGGER articles_section_fts_update AFTER UPDATE OF question, answer_text
    ON articles_section BEGIN
        INSERT INTO articles_section_fts(articles_section_fts, rowid, question, answer_text)
        VALUES ('delete', old.id, old.question, old.answer_text);
        INSERT INTO articles_section_fts(rowid, question, answer_text)
        VALUES (new.id, new.question, new.answer_text);
    END""",
    "INSERT INTO articles_section_fts(articles_section_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS articles_section_fts_insert",
    "DROP TRIGGER IF EXISTS articles_section_fts_delete",
    "DROP TRIGGER IF EXISTS articles_section_fts_update",
    "DROP TABLE IF EXISTS articles_section_fts",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_articlebody_head")]

    operations = [migrations.RunPython(create, drop)]
