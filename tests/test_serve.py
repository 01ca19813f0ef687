"""`make serve`: the site as production serves it (debug off, gunicorn, collected static files)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from faqsite import serve

PROJECT = Path(__file__).resolve().parent.parent


def test_the_secret_key_is_made_once_kept_private_and_reused(tmp_path):
    path = tmp_path / ".secret_key"
    first = serve.secret_key(path)
    assert len(first) >= 50 and path.stat().st_mode & 0o777 == 0o600
    assert serve.secret_key(path) == first
    path.chmod(0o644)  # made some other way
    assert serve.secret_key(path) == first and path.stat().st_mode & 0o777 == 0o600


def test_an_empty_key_file_stops_serve_with_one_line(tmp_path):
    path = tmp_path / ".secret_key"
    path.write_text("")
    with pytest.raises(SystemExit, match="is empty: delete it"):
        serve.secret_key(path)


def test_serve_turns_debug_and_the_https_redirect_off_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "KEY_FILE", tmp_path / ".secret_key")
    env, said = serve.serve_environment({"DJANGO_DEBUG": "true"}, "8123")
    assert env["DJANGO_DEBUG"] == "false" and env["DJANGO_SECURE_SSL_REDIRECT"] == "false"
    assert env["DJANGO_SECRET_KEY"] == (tmp_path / ".secret_key").read_text().strip()
    assert env["FAQSITE_URL"] == "http://127.0.0.1:8123"
    assert any("HTTPS redirect off" in line for line in said)
    # A key and a redirect the operator chose are kept, and no key file is made.
    (tmp_path / ".secret_key").unlink()
    env, said = serve.serve_environment(
        {"DJANGO_SECRET_KEY": "theirs", "DJANGO_SECURE_SSL_REDIRECT": "on"}, "80"
    )
    assert env["DJANGO_SECRET_KEY"] == "theirs" and env["DJANGO_SECURE_SSL_REDIRECT"] == "on"
    assert said == [] and not (tmp_path / ".secret_key").exists()


def test_serves_settings_pass_the_deploy_check_but_for_the_redirect_it_turned_off(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "KEY_FILE", tmp_path / ".secret_key")
    env, _ = serve.serve_environment(
        {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, "8000"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    issues = [line for line in result.stderr.splitlines() if line.startswith("?: (")]
    assert len(issues) == 1 and issues[0].startswith("?: (security.W008)"), issues  # SECURE_SSL_REDIRECT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_make_serve_serves_the_site_with_gunicorn_and_the_styled_404(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SECRET_KEY": "serve-test-key-" + "x" * 40,
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "faqsite.serve"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                status, home, headers = get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer within 90 s")
        assert status == 200 and "<h1" in home
        assert "gunicorn" in headers.get("Server", "")
        status, page, _ = get(f"http://127.0.0.1:{port}/articles/no-such-article/")
        assert status == 404 and "/static/css/site." in page  # our styled page, hashed CSS
        css = page.split('href="/static/css/site.')[1].split('"')[0]
        assert get(f"http://127.0.0.1:{port}/static/css/site.{css}")[0] == 200
    finally:
        os.killpg(server.pid, 15)
        output = server.communicate(timeout=30)[0]
    assert "HTTPS redirect off" in output and f"http://127.0.0.1:{port}/" in output
    # A database named by DATABASE_URL may be a real one: no demo articles are put into it.
    assert "DATABASE_URL is set: the demo content is not loaded" in output
