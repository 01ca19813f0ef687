"""backup_database and restore_database: a backup restored into a fresh database holds every row
of every table, timestamps exact to the microsecond (dumpdata would cut them)."""

import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, SectionFeedback
from quizzes import services

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLED = ["articles_article", "articles_section", "quizzes_attempt", "quizzes_attemptitem"]


@pytest.fixture
def content(make_quiz, reader):
    quiz = make_quiz(questions=3)
    attempt, _ = services.attempt_start(quiz=quiz, user=reader)
    item = attempt.items.first()
    services.answer_save(item=item, chosen_ids=item.correct_ids)
    SectionFeedback.objects.create(section=quiz.questions.first().section, voter="visitor:k", helpful=True)
    return quiz


def _tables():
    return [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]


def _live(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_sqlite_backup_holds_every_row_exactly_and_restores(content, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's online backup")
    path = tmp_path / "site.sqlite3"
    out = StringIO()
    call_command("backup_database", str(path), stdout=out)
    assert out.getvalue().strip() == f"Backed up the database to {path}."
    copy = sqlite3.connect(
        path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    )  # as Django reads
    for table in _tables():
        sql = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608 - table names from introspection
        assert copy.execute(sql).fetchall() == _live(sql), table
    for table in SAMPLED:
        sql = f'SELECT * FROM "{table}" ORDER BY id'  # noqa: S608
        assert copy.execute(sql).fetchall() == _live(sql) != [], table
    copy.close()
    # Restored over a changed database, it is as it was.
    before = list(Article.objects.values_list("pk", "title", "updated_at"))
    Article.objects.update(title="Changed after the backup")
    call_command("restore_database", str(path), "--yes", stdout=StringIO())
    assert list(Article.objects.values_list("pk", "title", "updated_at")) == before


def test_postgresql_backup_restores_into_a_fresh_database_with_every_row(content, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore")
    import psycopg

    from faqsite.backup import restore

    path = tmp_path / "site.dump"
    call_command("backup_database", str(path), stdout=StringIO())
    settings = connection.settings_dict
    fresh = f"{settings['NAME']}_restore_check"
    params = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
    if settings.get("PASSWORD"):
        params["password"] = settings["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore(connection, path, database=fresh)
        # Both read the same way (psycopg's own types), the live one as committed by the fixture.
        with (
            psycopg.connect(dbname=fresh, **params) as copy,
            psycopg.connect(dbname=settings["NAME"], **params) as live,
        ):
            for table in _tables():
                sql = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608
                assert copy.execute(sql).fetchall() == live.execute(sql).fetchall(), table
            for table in SAMPLED:
                sql = f'SELECT * FROM "{table}" ORDER BY id'  # noqa: S608
                assert copy.execute(sql).fetchall() == live.execute(sql).fetchall() != [], table
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')


def test_bad_input_is_one_line_and_changes_nothing(content, tmp_path):
    existing = tmp_path / "taken"
    existing.write_text("x")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup_database", str(existing))
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore_database", str(existing))
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore_database", str(tmp_path / "missing"), "--yes")
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="is not an SQLite backup"):
            call_command("restore_database", str(existing), "--yes")
    assert Article.objects.count() == 1  # the quiz's article is still there
