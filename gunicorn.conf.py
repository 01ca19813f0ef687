"""Gunicorn's settings for faqsite (`make serve`, and production: `gunicorn faqsite.wsgi`).

Each can be changed by an environment variable; the README's "Deploying" section lists them.
"""

import multiprocessing
import os

wsgi_app = "faqsite.wsgi"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: two per core and one more, gunicorn's own rule of thumb for I/O-bound pages. Each
# keeps a database connection open (DATABASE_CONN_MAX_AGE): workers times instances must stay under
# PostgreSQL's max_connections. In a container, cpu_count() sees the host's cores: set this.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request that takes longer than this is stuck: its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a restart or deploy, workers finish the requests they have before stopping.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Each request on the console (as a process manager or container log expects), errors too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Behind a proxy on the same machine, trust its X-Forwarded-* headers (Django reads them only
# when DJANGO_BEHIND_PROXY is on). FORWARDED_ALLOW_IPS is gunicorn's own variable for this.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket lives at one path per user: several instances on one machine (and the
# tests' own) would fight over it, and nothing here uses it.
control_socket_disable = True
