"""Backups of the database, exact to the microsecond (dumpdata cuts timestamps): SQLite's online
backup, or PostgreSQL's pg_dump and pg_restore. Used by `manage.py backup_database` and
`restore_database`."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path


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


def _run(args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupProblem(f"{Path(args[0]).name} failed: {last}")


def backup(connection, path):
    """Write a copy of the database `connection` uses to `path` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupProblem(f"{path} exists already: choose a new file name.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
    elif connection.vendor == "postgresql":
        args, env = _pg_command("pg_dump", connection.settings_dict)
        _run([*args, "--format=custom", "--file", str(path), connection.settings_dict["NAME"]], env)
    else:
        raise BackupProblem(f"No backup for {connection.vendor} databases.")


def restore(connection, path, database=None):
    """Replace the database's contents (or those of `database`, another PostgreSQL database on the
    same server) with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupProblem(f"{path} is not a file.")
    if connection.vendor == "sqlite":
        with path.open("rb") as file:
            if file.read(16) != b"SQLite format 3\x00":
                raise BackupProblem(f"{path} is not an SQLite backup.")
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
                source.execute("PRAGMA schema_version").fetchone()
                connection.ensure_connection()
                source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupProblem(f"{path} is not an SQLite backup ({error}).") from None
    elif connection.vendor == "postgresql":
        args, env = _pg_command("pg_restore", connection.settings_dict)
        target = database or connection.settings_dict["NAME"]
        _run(
            [
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                target,
                str(path),
            ],
            env,
        )
    else:
        raise BackupProblem(f"No restore for {connection.vendor} databases.")
