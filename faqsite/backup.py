"""Backups of the database, exact to the microsecond (dumpdata cuts timestamps): SQLite's online
backup, or PostgreSQL's pg_dump and pg_restore. Used by `manage.py backup_database` and
`restore_database`.

A backup file holds password hashes, two-step secrets and session keys: it is created readable by
its owner only (0600). A restore makes the database what the backup was, and nothing else: on
SQLite the backup API replaces the whole file; on PostgreSQL every table, view and sequence of the
schema is dropped and the backup's are made, in one transaction (a restore that fails leaves the
database as it was). Then `forget_what_was_kept` ends every session and clears the kept pages.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS

from articles.freshness import content_changed


class BackupProblem(Exception):
    """The backup or restore can't be done; the message says why in one line."""


def _pg_command(program, settings_dict):
    path = shutil.which(program)
    if path is None:
        raise BackupProblem(f"{program} is not installed (Debian: apt-get install postgresql-client).")
    args = [path, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _problem(args, stderr):
    lines = stderr.strip().splitlines() or ["no message"]
    said = next((line for line in lines if "ERROR" in line), lines[-1])
    return BackupProblem(f"{Path(args[0]).name} failed: {said}")


def _run(args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise _problem(args, done.stderr)


def _new_private_file(path):
    """Create `path` readable and writable by its owner only; BackupProblem if it exists."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise BackupProblem(f"{path} exists already: choose a new file name.") from None
    except OSError as error:
        raise BackupProblem(f"{path} can't be written: {error.strerror}.") from None


def backup(connection, path):
    """Write a copy of the database `connection` uses to `path` (which must not exist yet)."""
    path = Path(path)
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupProblem(f"No backup for {connection.vendor} databases.")
    _new_private_file(path)
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with closing(sqlite3.connect(path)) as copy:
                connection.connection.backup(copy)
        else:
            args, env = _pg_command("pg_dump", connection.settings_dict)
            _run([*args, "--format=custom", "--file", str(path), connection.settings_dict["NAME"]], env)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


# Before the backup's tables are made: every relation of the schema goes (CASCADE takes indexes,
# constraints and owned sequences with their tables), so a table made after the backup goes too.
_DROP_EVERY_RELATION = """
SET LOCAL client_min_messages = warning;
DO $$
DECLARE
    relation record;
BEGIN
    FOR relation IN
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        ORDER BY c.relkind = 'S'  -- sequences last: an identity column's goes with its table
    LOOP
        EXECUTE format(
            'DROP %s IF EXISTS %I CASCADE',
            CASE relation.relkind
                WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE'
            END,
            relation.relname
        );
    END LOOP;
END
$$;
"""


def restore(connection, path, database=None):
    """Replace the database's contents (or those of `database`, another PostgreSQL database on the
    same server) with the backup at `path`, and nothing else."""
    path = Path(path)
    if not path.is_file():
        raise BackupProblem(f"{path} is not a file.")
    if connection.vendor == "sqlite":
        with path.open("rb") as file:
            if file.read(16) != b"SQLite format 3\x00":
                raise BackupProblem(f"{path} is not an SQLite backup.")
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
                # Sound: the backup API copies pages as they are, damage included.
                checked = source.execute("PRAGMA quick_check").fetchall()
                if checked != [("ok",)]:
                    raise BackupProblem(f"{path} is damaged ({checked[0][0]}): nothing was restored.")
                connection.ensure_connection()
                source.backup(connection.connection)  # page by page: the file becomes the backup
        except sqlite3.DatabaseError as error:
            raise BackupProblem(f"{path} is not an SQLite backup ({error}).") from None
    elif connection.vendor == "postgresql":
        _pg_restore(connection.settings_dict, path, database or connection.settings_dict["NAME"])
    else:
        raise BackupProblem(f"No restore for {connection.vendor} databases.")


def _pg_restore(settings_dict, path, database):
    restore_args, env = _pg_command("pg_restore", settings_dict)
    psql_args, _ = _pg_command("psql", settings_dict)
    # The backup as SQL, whole, before anything changes: a file that is not a backup, or one cut
    # short, is refused here (streamed into psql, a cut one would be committed as far as it went).
    # The temporary file is created readable by its owner only, and deleted.
    with tempfile.NamedTemporaryFile(suffix=".sql") as script:
        _run([*restore_args, "--no-owner", "--file", script.name, str(path)], env)
        _run(
            [
                *psql_args,
                "--quiet",
                "--single-transaction",
                "--set",
                "ON_ERROR_STOP=1",
                "--dbname",
                database,
                "--command",
                _DROP_EVERY_RELATION,
                "--file",
                script.name,
            ],
            env,
        )


def forget_what_was_kept(using=DEFAULT_DB_ALIAS):
    """After a restore nothing may be served from the database as it was: every session ends (in
    the database and in the cache sessions are read through, which would otherwise keep a removed
    session logged in), and every kept page and remembered part of a page goes. Returns the caches
    that could not be cleared (unreachable)."""
    from django.contrib.sessions.models import Session

    Session.objects.using(using).all().delete()
    unreachable = []
    for alias in dict.fromkeys([settings.SESSION_CACHE_ALIAS, "pages"]):
        if caches[alias].clear() is False:  # the forgiving Redis cache says so
            unreachable.append(alias)
    content_changed()
    return unreachable
