"""
Settings for faqsite: one module, driven by environment variables.

Development defaults are safe (debug off unless DJANGO_DEBUG is set, SQLite in the project folder);
production must set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. The README lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import bootstrap
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name, default):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(use a long random value, e.g. from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`)."
        )
    # Development only: a fixed key is harmless while debug is on and nothing is public.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "reversion",
    "nested_admin",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "articles",
    "quizzes",
    "accounts",
    # Last: it wires the apps above, and its post_migrate receiver needs their permissions.
    "faqsite",
]

MIDDLEWARE = [
    # First: a page kept for visitors who are not logged in is served before anything else runs.
    "faqsite.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the middleware below made (it makes a strong ETag weak, as it should).
    "django.middleware.gzip.GZipMiddleware",
    # An ETag for every page that may be kept, and 304 Not Modified when the browser has it.
    "django.middleware.http.ConditionalGetMiddleware",
    # Public or private: sees the cookies that the session and CSRF middleware below set.
    "faqsite.caching.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session's log-in included a code from an authenticator app (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # A signed-in session ends after a while without a visit, sooner for staff.
    "accounts.middleware.IdleSessionMiddleware",
    # Staff who must give a code and have not yet are sent to do so from every page.
    "accounts.middleware.StaffTwoStepMiddleware",
    # A visitor shown a form gets the seed of their key (one visitor from their first request).
    "articles.visitors.VisitorSeedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A NUL character in an address is a 400 before any view (PostgreSQL can't hold one); after
    # the middleware above, so that answer has the same security headers as any page.
    "faqsite.middleware.RefuseNulMiddleware",
    # A malformed `_source_model` in an admin pop-up's form is a 400 before the admin saves it.
    "faqsite.middleware.AdminPopupGuardMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "faqsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "faqsite.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "faqsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Production keeps each worker's connection for a minute instead of opening one per
        # request, and checks it before reuse so a restarted database costs no failed request.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=envbool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock at BEGIN and wait for each other instead of failing with
    # "database is locked"; WAL lets readers go on while one writes. synchronous=NORMAL, SQLite's
    # advice for WAL: a commit is not flushed to the disk at once (an answer saved took 0.7 ms of
    # fsync here), so a power cut or a crash of the machine may lose the last moments of writes;
    # a crashed or killed process loses nothing, and the database is never corrupted. A site
    # that can't lose those moments runs on PostgreSQL (DATABASE_URL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches. "default" holds the per-address limits (django-ratelimit: feedback votes, sign-ups,
# password resets); "pages" holds whole pages for visitors who are not logged in (faqsite/caching.py).
# Without REDIS_URL: limits in each process's memory, pages in files shared by the processes of one
# machine. Several machines, or exact limits across gunicorn workers, need a shared one: REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Django's Redis cache, failing soft (faqsite/cache.py): with Redis gone, the site serves
    # without it. An unreachable Redis is given up on within half a second.
    REDIS_CACHE = {
        "BACKEND": "faqsite.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {
        "default": REDIS_CACHE,
        "pages": {**REDIS_CACHE, "KEY_PREFIX": "pages"},
        # Sessions kept here 5 minutes at a time: a log-out Redis missed can't outlive that.
        "sessions": {**REDIS_CACHE, "BACKEND": "faqsite.cache.SessionsRedisCache", "KEY_PREFIX": "sessions"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("FAQSITE_PAGE_CACHE_DIR", str(BASE_DIR / ".cache" / "pages")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("FAQSITE_SESSION_CACHE_DIR", str(BASE_DIR / ".cache" / "sessions")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
    }
# Sessions are kept in the database (shared by every instance, kept across restarts) and read
# through a cache shared by the processes ("sessions": files on one machine, Redis across
# machines), which saves a logged-in reader's every page a query. A session the cache has lost is
# read from the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
# What says whether kept things are current (articles/freshness.py): shared, like the pages.
ARTICLES_CONTENT_CACHE = "pages"
# How long a page is kept (seconds); 0 turns the page cache off (the default in debug, so template
# edits show at once). Pages are dropped anyway as soon as an editor changes what they show, so this
# only bounds how long a page can outlive a deploy.
FAQSITE_PAGE_CACHE_SECONDS = envint("FAQSITE_PAGE_CACHE_SECONDS", 0 if DEBUG else 600)
# How long browsers and shared caches (a CDN) may keep a public page without asking again; after
# that they ask with the page's ETag and get "304 Not Modified" when it has not changed.
FAQSITE_BROWSER_CACHE_SECONDS = envint("FAQSITE_BROWSER_CACHE_SECONDS", 60)

# Per-address limits count the client's address as the log-in pauses do (behind a proxy too), each
# address on its own (django-ratelimit would otherwise count a whole IPv6 /64 as one).
RATELIMIT_IP_META_KEY = "faqsite.proxy.client_ip"
# A limit that can't be counted (the cache is down) lets the request through: a lost Redis must not
# stop sign-ups, password resets and votes (faqsite/cache.py logs it).
RATELIMIT_FAIL_OPEN = True
# How long what visitors without an account leave (quiz attempts, votes) is kept once they stop
# using it: `manage.py clear_guest_data` (run it daily from cron) deletes what is older.
FAQSITE_GUEST_DATA_DAYS = envint("FAQSITE_GUEST_DATA_DAYS", 90)
RATELIMIT_IPV6_MASK = 128

AUTHENTICATION_BACKENDS = [
    # First: refuses log-ins while a username and address are locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "quizzes:progress"
LOGOUT_REDIRECT_URL = "articles:article_list"

# Repeated failed log-ins (django-axes): after 5 failures for one username from one address, that
# pair waits 15 minutes. The same happens whether or not the account exists.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind a proxy, REMOTE_ADDR is the proxy's: axes then reads the client's address from the
# proxy's X-Forwarded-For, so one client can't lock a username for everybody.
AXES_CLIENT_IP_CALLABLE = "faqsite.proxy.client_ip"
# Only failures are kept (for the pauses), not a log of every successful log-in: nothing about a
# reader is kept that "My account" doesn't list.
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_CALLABLE = "faqsite.axes.attempted_username"  # at most 255 characters, as axes keeps

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from a Python package, so the site needs no CDN and works offline.
    ("bootstrap", Path(list(bootstrap.__path__)[0])),  # a namespace package: css/ and js/
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Django refuses a form of more than 1,000 fields (a bare 400, every edit lost). A quiz's admin
# page at its bound (100 questions of 10 choices: quizzes/admin/nested.py) posts about 8,400, plus one
# per topic ticked; an article's at its bound (200 sections) about 1,300. The cap stays, just
# above the largest honest page (tests/quizzes/test_admin_bounds.py posts one); the body's size
# cap (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) is unchanged, so no request is read into more memory.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# When the database can't be reached for a moment, pages say to try again and send this as
# Retry-After (faqsite.views.server_error, and a quiz answer that could not be saved).
RETRY_AFTER_SECONDS = 30

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The site's own name and address, for canonical URLs and Open Graph tags.
SITE_NAME = os.environ.get("FAQSITE_NAME", "Therapy Ethics Q&A")
# The public address for links that leave the page (canonical, Open Graph, feeds, share links);
# unset, the address each request came to (so `make run PORT=8001` links to port 8001).
SITE_URL = os.environ.get("FAQSITE_URL", "").rstrip("/")

# Content Security Policy (Django's own middleware). Scripts need the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Email: the console in development, SMTP in production.
if DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "faqsite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. With debug off these default to the strict values that `check --deploy` asks for.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A signed-in session ends after this long without a visit (accounts/middleware.py): readers
# 14 days, staff 8 hours.
SESSION_COOKIE_AGE = envint("FAQSITE_SESSION_DAYS", 14) * 24 * 3600
# Staff log in in two steps, the password and then a code from an authenticator app (TOTP), when
# this is on: by default with debug off. Off, staff may still set an app up for themselves.
FAQSITE_STAFF_TWO_STEP = envbool("FAQSITE_STAFF_TWO_STEP", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an app's secret or its QR code
FAQSITE_STAFF_SESSION_SECONDS = envint("FAQSITE_STAFF_SESSION_HOURS", 8) * 3600
BEHIND_PROXY = envbool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only behind a proxy that sets these headers itself (and replaces what clients send).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Django's own console handler is for debug mode only; in production errors go here.
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
