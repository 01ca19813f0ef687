"""backup_database and restore_database: a backup restored into a fresh database holds every row
of every table, timestamps exact to the microsecond (dumpdata would cut them)."""

import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from articles.models import Article, HelpfulVote
from articles.visitors import Reader
from quizzes import services

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLED = ["articles_article", "articles_section", "quizzes_attempt", "quizzes_attemptitem"]


@pytest.fixture
def content(make_quiz, reader):
    quiz = make_quiz(questions=3)
    attempt, _ = services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    item = attempt.items.first()
    services.answer_save(item=item, chosen_ids=item.correct_ids)
    HelpfulVote.objects.create(section=quiz.questions.first().section, visitor_key="k", helpful=True)
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


def test_a_backup_file_is_readable_by_its_owner_only(content, tmp_path):
    path = tmp_path / "site.backup"
    call_command("backup_database", str(path), stdout=StringIO())
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.stat().st_size > 0


def test_a_restore_drops_tables_made_after_the_backup(content, tmp_path):
    path = tmp_path / "site.backup"
    call_command("backup_database", str(path), stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE made_after_the_backup (id integer PRIMARY KEY)")
        cursor.execute("CREATE INDEX index_after_the_backup ON articles_article (summary)")
    assert "made_after_the_backup" in _tables()
    call_command("restore_database", str(path), "--yes", stdout=StringIO())
    connection.close()  # the next query reads the schema as restored
    assert "made_after_the_backup" not in _tables()
    indexes = connection.introspection.get_constraints(connection.cursor(), "articles_article")
    assert "index_after_the_backup" not in indexes
    assert Article.objects.count() == 1


def test_a_restore_ends_every_session_and_clears_the_kept_pages(content, tmp_path, client, reader):
    from django.contrib.sessions.models import Session

    article = Article.objects.get()
    before = Client()
    before.force_login(reader)  # a session the backup holds
    path = tmp_path / "site.backup"
    call_command("backup_database", str(path), stdout=StringIO())
    after = Client()
    after.force_login(reader)  # a session the restore removes (its copy is in the sessions' cache)
    article.title = "Changed after the backup"
    article.save()
    assert "Changed after the backup" in client.get(article.get_absolute_url()).content.decode()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    out = StringIO()
    call_command("restore_database", str(path), "--yes", stdout=out)
    assert (
        "Every session has ended (everyone logs in again) and the kept pages are cleared." in out.getvalue()
    )
    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Changed after the backup" not in page.content.decode()
    assert not Session.objects.exists()
    for browser in (before, after):
        response = browser.get("/progress/")
        assert response.status_code == 200 and "Log in" in response.content.decode()
        assert "alice" not in response.content.decode()


def test_a_backup_cut_short_is_refused_and_changes_nothing(content, tmp_path):
    path = tmp_path / "site.backup"
    call_command("backup_database", str(path), stdout=StringIO())
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])
    before = list(Article.objects.values_list("pk", "title", "updated_at"))
    Article.objects.update(title="Changed after the backup")
    with pytest.raises(CommandError) as refused:
        call_command("restore_database", str(path), "--yes", stdout=StringIO())
    assert "\n" not in str(refused.value)
    connection.close()
    assert list(Article.objects.values_list("title", flat=True)) == ["Changed after the backup"]
    assert len(before) == 1
