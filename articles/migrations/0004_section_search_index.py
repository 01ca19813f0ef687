"""On PostgreSQL only: each section's weighted search vector (question A, answer C), stored in a
generated column that PostgreSQL keeps up to date, with a GIN index (articles.search uses both).

Stored, not computed in each search: recomputing to_tsvector for every matching row made a
search for a common word take seconds on 20,000 sections. SQLite has neither; its simpler search
needs none at this size.
"""

from django.db import migrations

COLUMN_SQL = """
ALTER TABLE articles_section ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(question, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(answer, '')), 'C')
) STORED;
CREATE INDEX section_search_vector ON articles_section USING gin (search_vector);
"""
DROP_SQL = """
DROP INDEX IF EXISTS section_search_vector;
ALTER TABLE articles_section DROP COLUMN IF EXISTS search_vector;
"""


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COLUMN_SQL)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_review_dates_share_links_feedback")]

    operations = [migrations.RunPython(add_search_vector, drop_search_vector)]
