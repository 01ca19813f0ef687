"""`make bench`: reader's pages served as `make serve` serves them, against the floor, in one run.

Builds a throwaway SQLite database with the demo content (its article "Are therapists allowed to
cry?" is the one measured), starts gunicorn with gunicorn.conf.py and debug off three times (the
site; the site with FAQSITE_PAGE_CACHE_SECONDS=0; and tests/benchmarks/floor.py, a bare Django
view returning the article's bytes), and measures each page with wrk (10 connections), in five
short turns each between two turns of the floor. Prints requests a second, the median and
99th-percentile latency, and the ratio to the floor (the median turn's, with the lowest and
highest in brackets); only the ratios are comparable between machines.

    make bench                   # 10 seconds a page
    make bench BENCH_SECONDS=3   # quicker, noisier
    .venv/bin/python -m tests.benchmarks.serving --only "cache off" question   # some pages
"""

import argparse
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median

from articles.visitors import Reader
from tests.benchmarks import CantRun, run_or_exit

PROJECT = Path(__file__).resolve().parents[2]
ARTICLE_SLUG = "are-therapists-allowed-to-cry"
CONNECTIONS = 10
ROUNDS = 5
ANSWER_SCRIPT = """wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def require_wrk():
    """wrk from Debian, installed when missing and this runs as root (as CI and these machines do)."""
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise CantRun("wrk is not installed: run `sudo apt-get install wrk` (Debian's package)")
    print("Installing wrk (apt-get install wrk)...", flush=True)
    apt = shutil.which("apt-get") or "apt-get"
    subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env):
    """The database, static files and a logged-in reader with a quiz attempt; returns what the
    measured requests need: the reader's cookie, the question page and the answer's form body."""
    os.environ.update(env)
    from tests.benchmarks import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections

    from quizzes.models import Quiz
    from quizzes.services import attempt_start

    with open(os.devnull, "w") as quiet:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=quiet)
        call_command("collectstatic", interactive=False, verbosity=0)
    reader = get_user_model().objects.create_user("bench-reader", password=secrets.token_urlsafe())
    session = SessionStore()
    session["_auth_user_id"] = str(reader.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = reader.get_session_auth_hash()
    session.create()
    # A test, not a learning quiz: its answers can be saved again and again.
    attempt, _ = attempt_start(
        quiz=Quiz.objects.published().filter(pace="test").first(), reader=Reader(user=reader)
    )
    csrf = secrets.token_hex(16)  # a CSRF secret: the cookie and the form carry the same one
    connections.close_all()
    return {
        "cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
        "question": f"/attempts/{attempt.pk}/questions/1/",
        "answer_body": f"csrfmiddlewaretoken={csrf}&answer=1",  # the first choice, as the page sends it
    }


def start(app, port, env, log):
    command = [sys.executable, "-m", "gunicorn", "--config", str(PROJECT / "gunicorn.conf.py")]
    server = subprocess.Popen(  # noqa: S603
        [*command, *([app] if app else [])],
        cwd=PROJECT,
        env={**env, "PORT": str(port), "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": log},
        stdout=subprocess.DEVNULL,
        stderr=open(log + ".err", "w"),  # noqa: SIM115
    )
    ready = f"http://127.0.0.1:{port}/" + ("" if app else "healthz")
    for _ in range(100):
        try:
            urllib.request.urlopen(ready)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise CantRun(f"gunicorn did not start on port {port}: see {log}.err")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def parse(output):
    """Requests a second and the 50th and 99th percentile latencies (ms) from `wrk --latency`."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {}
    for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M):
        percentiles[percent] = float(value) * UNITS[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*", output)
    return rate, percentiles["50"], percentiles["99"], (bad.group(1) if bad else "0"), errors


def measure(url, seconds, *, headers=(), script=None):
    command = ["wrk", "--latency", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate, p50, p99, bad, errors = parse(output)
    if bad != "0" or errors:
        raise CantRun(f"{url}: {bad} responses were not 2xx/3xx ({errors.group(0) if errors else ''})")
    return rate, p50, p99


def machine():
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    import sqlite3

    return (
        f"{model or platform.processor() or 'unknown CPU'}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def run(*, seconds=10, only=None, out=sys.stdout):
    require_wrk()
    with tempfile.TemporaryDirectory(prefix="faqsite-bench-") as tmp:
        from faqsite.serve import serve_environment

        env, _ = serve_environment({**os.environ, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}, "8000")
        env.update(
            DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
            DJANGO_STATIC_ROOT=f"{tmp}/static",
            FAQSITE_PAGE_CACHE_DIR=f"{tmp}/pages",
            DJANGO_LOG_LEVEL="ERROR",
        )
        env.pop("REDIS_URL", None)  # the default set-up: no Redis
        reader = prepare(env)
        site, uncached, floor = free_port(), free_port(), free_port()
        servers = [
            start(None, site, env, f"{tmp}/site.log"),
            start(None, uncached, {**env, "FAQSITE_PAGE_CACHE_SECONDS": "0"}, f"{tmp}/uncached.log"),
        ]
        try:
            article = f"/articles/{ARTICLE_SLUG}/"
            body = urllib.request.urlopen(f"http://127.0.0.1:{site}{article}").read()
            Path(tmp, "article.html").write_bytes(body)
            floor_env = {**env, "FAQSITE_FLOOR_BODY": f"{tmp}/article.html"}
            servers.append(start("tests.benchmarks.floor:application", floor, floor_env, f"{tmp}/floor.log"))
            script = Path(tmp, "answer.lua")
            script.write_text(ANSWER_SCRIPT.format(body=reader["answer_body"]))
            cookie = [f"Cookie: {reader['cookie']}"]
            pages = [
                ("article, cached", f"http://127.0.0.1:{site}{article}", {}),
                ("article, cache off", f"http://127.0.0.1:{uncached}{article}", {}),
                ("home, cached", f"http://127.0.0.1:{site}/", {}),
                ("search", f"http://127.0.0.1:{site}/search/?q=red+flags+in+a+therapist", {}),
                ("question page", f"http://127.0.0.1:{site}{reader['question']}", {"headers": cookie}),
                (
                    "answer (POST)",
                    f"http://127.0.0.1:{site}{reader['question']}",
                    {"headers": cookie, "script": str(script)},
                ),
            ]
            if only:
                pages = [page for page in pages if any(word in page[0] for word in only)]
            floor_url = f"http://127.0.0.1:{floor}/"
            measure(floor_url, 1)  # warm up every worker of each server
            for _, url, options in pages:
                measure(url, 1, **options)
            # Each page in ROUNDS short turns, each between two turns of the floor: a turn's ratio is
            # the page's rate over the mean of the floor's two around it, so the minutes in which
            # this machine runs slower or faster (it does, by a third) move both sides alike; the
            # table shows each page's median turn.
            turn = seconds / ROUNDS
            results = []
            for name, url, options in pages:
                floors, turns = [measure(floor_url, turn)], []
                for _ in range(ROUNDS):
                    turns.append(measure(url, turn, **options))
                    floors.append(measure(floor_url, turn))
                ratios = [
                    page[0] / ((before[0] + after[0]) / 2)
                    for page, before, after in zip(turns, floors, floors[1:], strict=False)
                ]
                results.append((name, turns, floors, ratios))
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
    out.write(f"{machine()}; gunicorn as make serve runs it; wrk, {CONNECTIONS} connections, ")
    out.write(f"{seconds} s a page in {ROUNDS} turns between turns of the floor\n")
    out.write(f"article page: {len(body):,} bytes\n\n")
    out.write("| page | req/s | p50 | p99 | ratio to floor |\n|---|---:|---:|---:|---:|\n")
    all_floors = [run for _, _, floors, _ in results for run in floors]
    out.write(f"| floor (bare Django view, same bytes; median of {len(all_floors)} turns) ")
    out.write(f"| {median(r[0] for r in all_floors):,.0f} | {median(r[1] for r in all_floors):.1f} ms ")
    out.write(f"| {median(r[2] for r in all_floors):.1f} ms | 1.00 |\n")
    for name, turns, _, ratios in results:
        rate, p50, p99 = (median(run[i] for run in turns) for i in range(3))
        spread = f" ({min(ratios):.2f}–{max(ratios):.2f})"
        out.write(f"| {name} | {rate:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {median(ratios):.2f}{spread} |\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="how long each page is measured")
    parser.add_argument(
        "--only", nargs="+", metavar="WORD", help="measure only the pages whose name has one of these words"
    )
    args = parser.parse_args(argv)
    run_or_exit(run, seconds=args.seconds, only=args.only)


if __name__ == "__main__":
    main()
