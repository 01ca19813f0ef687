"""`make serve`: the site as production serves it, on this machine, in one command.

Debug off, static files collected and served by whitenoise, gunicorn with gunicorn.conf.py, the
database migrated and, on the local SQLite database (no DATABASE_URL), the demo content loaded, on
http://127.0.0.1:8000 (PORT for another port).
DJANGO_SECRET_KEY is used if set, else a random key kept in `.secret_key` (ignored by git), so
sessions survive a restart. Plain HTTP only: the HTTPS redirect is off, and it says so.
"""

import os
import secrets
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
KEY_FILE = PROJECT / ".secret_key"


def secret_key(path=None):
    """The key kept in `path` (.secret_key), made if there is none yet: created readable by its
    owner only (never readable by others, even for a moment), and by one process when two start."""
    path = path or KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        path.chmod(0o600)  # in case it was made another way
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
    key = path.read_text().strip()
    if not key:
        raise SystemExit(f"{path} is empty: delete it (a new key is made) or set DJANGO_SECRET_KEY.")
    return key


def serve_environment(environ, port):
    """What `make serve` adds to the environment: production settings for a local, plain-HTTP run.
    Returns the environment and the lines to say about it."""
    env = dict(environ)
    said = []
    env["DJANGO_DEBUG"] = "false"
    if not env.get("DJANGO_SECRET_KEY"):
        env["DJANGO_SECRET_KEY"] = secret_key()
        said.append(f"Using the secret key kept in {KEY_FILE.name} (set DJANGO_SECRET_KEY to use your own).")
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("FAQSITE_URL", f"http://127.0.0.1:{port}")
    if env.get("DJANGO_SECURE_SSL_REDIRECT", "").lower() not in ("1", "true", "yes", "on"):
        env["DJANGO_SECURE_SSL_REDIRECT"] = "false"
        said.append(
            "HTTPS redirect off: this serves plain HTTP on this machine. Behind an HTTPS proxy, "
            "leave DJANGO_SECURE_SSL_REDIRECT on (the default)."
        )
    return env, said


def main():
    port = os.environ.get("PORT", "8000")
    env, said = serve_environment(os.environ, port)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faqsite.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if os.environ.get("DATABASE_URL"):
        print("DATABASE_URL is set: the demo content is not loaded into that database.")
    else:
        call_command("load_demo")
    call_command("collectstatic", interactive=False, verbosity=0)
    for line in said:
        print(line)
    print(f"Serving with gunicorn (debug off) on http://127.0.0.1:{port}/ ; Ctrl-C stops it.", flush=True)
    # This process becomes gunicorn (this Python, fixed arguments, no shell), so Ctrl-C reaches it.
    arguments = [sys.executable, "-m", "gunicorn", "--config", str(PROJECT / "gunicorn.conf.py")]
    os.execv(sys.executable, arguments)  # noqa: S606


if __name__ == "__main__":
    main()
